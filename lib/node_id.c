/* Node IDs as dotted-quad text, returned by value. */
#include "node_id.h"

#include <arpa/inet.h>

_Static_assert(NODE_ID_STRLEN >= INET_ADDRSTRLEN, "node_id_text cannot hold an IPv4 address");

struct node_id_text node_id_format(struct in_addr id)
{
	struct node_id_text t;

	/* Cannot fail: the family is AF_INET and the buffer fits any IPv4 address. */
	inet_ntop(AF_INET, &id, t.text, sizeof(t.text));
	return t;
}
