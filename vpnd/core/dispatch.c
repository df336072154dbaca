/* Control messages: the standing check, the counts, the handler (see dispatch.h). */
#include "core/dispatch.h"

#include "core/device.h"
#include "core/peer.h"

static const struct control_handler *handler_of(uint8_t type)
{
	for (size_t i = 0; i < control_handler_count; i++)
		if (control_handlers[i].type == type)
			return &control_handlers[i];
	return NULL;
}

static bool has_standing(const struct peer *peer, enum standing standing)
{
	switch (standing) {
	case STANDING_SESSION:
		return true;
	case STANDING_VPND_PEER:
		return !peer->config.wireguard;
	case STANDING_MEMBER:
		return peer_is_member(peer);
	case STANDING_RELAY:
		return peer_can_relay(peer);
	case STANDING_OUR_RENDEZVOUS:
		return peer->config.rendezvous && peer_is_member(peer);
	case STANDING_OUR_CONTROLLER:
		return peer->config.from_token;
	}
	return false;
}

void dispatch_control(struct peer *peer, uint8_t *msg, size_t len, const struct origin *from)
{
	const struct control_handler *handler = handler_of(msg[0]);
	struct control_counts *counts = &peer->dev->control;

	if (!handler) {
		peer_count_drop(peer, DROP_MALFORMED);
		return;
	}
	if (!has_standing(peer, handler->standing)) {
		counts->refused[msg[0]]++;
		peer_count_drop(peer, handler->refused);
		return;
	}
	counts->received[msg[0]]++;
	handler->handle(peer, msg, len, from);
}

const char *standing_name(enum standing standing)
{
	static const char *const names[] = {
	    [STANDING_SESSION] = "session",
	    [STANDING_VPND_PEER] = "vpnd peer",
	    [STANDING_MEMBER] = "member",
	    [STANDING_RELAY] = "relay",
	    [STANDING_OUR_RENDEZVOUS] = "our rendezvous",
	    [STANDING_OUR_CONTROLLER] = "our controller",
	};

	return standing < sizeof(names) / sizeof(names[0]) ? names[standing] : "?";
}
