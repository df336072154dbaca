/* Direct TCP (see tcp_punch.h). */
#include "nat/tcp_punch.h"

#include "core/device.h"
#include "core/hub.h"
#include "core/path.h"
#include "core/peer.h"
#include "core/probe.h"
#include "io/stream.h"
#include "log.h"
#include "node_id.h"

/* Our UDP does not pass: a rendezvous is reached over TCP only. */
static bool udp_blocked_here(const struct device *dev)
{
	for (size_t i = 0; i < dev->peer_count; i++)
		if (dev->peers[i]->config.rendezvous && path_over_tcp(dev->peers[i]))
			return true;
	return false;
}

void tcp_punch_start(struct peer *peer)
{
	struct device *dev = peer->dev;
	const union endpoint *to = &peer->location.reflexive;
	char text[ENDPOINT_STRLEN];
	struct stream *stream;

	/* A relay carries on while the stream connects (or does not). */
	if (!peer->dynamic || peer->path.direct_up || !peer->current.valid ||
	    !peer->path.relay.s_addr || path_over_tcp(peer) || !to->sa.sa_family ||
	    (!udp_blocked_here(dev) && peer->location.nat != NAT_UNKNOWN))
		return;
	stream = stream_connect(&dev->hub->streams, to, dev->hub->listen_port);
	if (!stream)
		return;
	endpoint_format(to, text, sizeof(text));
	log_info("peer %s: no direct path over UDP, trying TCP to %s",
		 NODE_ID(peer->config.node_id), text);
	path_try_stream(peer, stream->fd, to);
	probe_send_untimed(peer, stream->fd, to); /* proves the stream to the other side */
}
