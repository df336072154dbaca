/*
 * Control messages (lib/messages.h, enum control_type) are dispatched
 * through one table, as tinc's requests are: a row names the message, the
 * standing its sender must have, and its handler. receive.c hands every
 * control message to dispatch_control, which checks the standing, counts
 * the message (or the refusal) per type, and calls the handler; a handler
 * only handles. The table itself is vpnd/message_table.c, above the
 * features whose handlers it names: a new message is one row there and
 * one handler in its own module.
 */
#ifndef VPND_DISPATCH_H
#define VPND_DISPATCH_H

#include <stddef.h>
#include <stdint.h>

#include "drop.h"

struct origin;
struct peer;

/* What the sender must be. */
enum standing {
	STANDING_SESSION,	 /* any peer we have a session with */
	STANDING_VPND_PEER,	 /* a session, and not a plain WireGuard peer */
	STANDING_MEMBER,	 /* a vpnd peer whose certificate verified */
	STANDING_RELAY,		 /* a member whose certificate lets it relay */
	STANDING_OUR_RENDEZVOUS, /* a member we configured as our rendezvous */
	STANDING_OUR_CONTROLLER, /* the peer our join token names (no certificate needed) */
};

struct control_handler {
	uint8_t type; /* enum control_type */
	const char *name;
	enum standing standing;
	enum drop_reason refused; /* counted when the sender lacks the standing */
	void (*handle)(struct peer *peer, uint8_t *msg, size_t len, const struct origin *from);
};

extern const struct control_handler control_handlers[];
extern const size_t control_handler_count;

enum { CONTROL_TYPES = 256 };

struct control_counts {
	uint64_t received[CONTROL_TYPES]; /* handed to the handler */
	uint64_t refused[CONTROL_TYPES];  /* the sender lacked the standing */
};

/* msg starts with its type byte. */
void dispatch_control(struct peer *peer, uint8_t *msg, size_t len, const struct origin *from);
const char *standing_name(enum standing standing);

#endif
