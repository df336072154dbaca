/*
 * Node IDs (a node's address inside the network) as text. inet_ntoa returns
 * one static buffer, so two calls in one printf print the same address
 * twice, and a worker thread may overwrite it meanwhile; node_id_format
 * returns the text by value instead.
 */
#ifndef VPND_NODE_ID_H
#define VPND_NODE_ID_H

#include <netinet/in.h>

enum { NODE_ID_STRLEN = 16 }; /* "255.255.255.255" and NUL */

struct node_id_text {
	char text[NODE_ID_STRLEN];
};

/* "10.26.0.5"; thread-safe, no static buffer. */
struct node_id_text node_id_format(struct in_addr id);

/* For printf arguments: the text lives to the end of the full expression. */
#define NODE_ID(id) (node_id_format(id).text)

#endif
