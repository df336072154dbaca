/* Relayed routes checked end to end (see verify.h). Timer: verifier->tick. */
#include "route/verify.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "core/device.h"
#include "core/hub.h"
#include "core/path.h"
#include "core/peer.h"
#include "core/send.h"
#include "log.h"
#include "node_id.h"
#include "route/select.h"
#include "wire.h"

static void tick(struct timer *timer);

int verify_device_init(struct device *dev)
{
	dev->verifier = calloc(1, sizeof(*dev->verifier));
	if (!dev->verifier)
		return -ENOMEM;
	dev->verifier->dev = dev;
	timer_init(&dev->verifier->tick, &dev->hub->loop, tick);
	timer_arm(&dev->verifier->tick, clock_ms() + VERIFY_INTERVAL_MS);
	return 0;
}

void verify_device_free(struct device *dev)
{
	if (!dev->verifier)
		return;
	timer_cancel(&dev->verifier->tick);
	free(dev->verifier);
	dev->verifier = NULL;
}

int verify_peer_init(struct peer *peer)
{
	peer->route_check = calloc(1, sizeof(*peer->route_check));
	return peer->route_check ? 0 : -ENOMEM;
}

void verify_peer_free(struct peer *peer)
{
	free(peer->route_check);
	peer->route_check = NULL;
}

bool verify_answered(struct peer *peer, uint64_t nonce)
{
	struct route_check *check = peer->route_check;

	for (unsigned int i = 0; i < VERIFY_MISSES; i++) {
		if (nonce && check->nonces[i] == nonce) {
			check->nonces[i] = 0;
			check->answered = true;
			check->misses = 0;
			return true;
		}
	}
	return false;
}

struct in_addr verify_avoided(const struct peer *peer, uint64_t now_ms)
{
	const struct route_check *check = peer->route_check;
	struct in_addr none = {0};

	return check && now_ms < check->avoid_until_ms ? check->avoid : none;
}

/* Too many probes along the route went unanswered: its first relay is
 * left for a while. */
static void give_up_on(struct peer *peer, struct in_addr relay, uint64_t now_ms)
{
	struct route_check *check = peer->route_check;
	bool again = check->avoid.s_addr == relay.s_addr && check->avoid_ms;

	check->avoid_ms = again ? check->avoid_ms * 2 : VERIFY_AVOID_MS;
	if (check->avoid_ms > VERIFY_AVOID_MAX_MS)
		check->avoid_ms = VERIFY_AVOID_MAX_MS;
	check->avoid = relay;
	check->avoid_until_ms = now_ms + check->avoid_ms;
	memset(check->nonces, 0, sizeof(check->nonces));
	check->misses = 0;
	log_warnx("peer %s: %u probes through relay %s went unanswered: routing around it "
		  "for %llu s",
		  NODE_ID(peer->config.node_id), VERIFY_MISSES, NODE_ID(relay),
		  (unsigned long long)(check->avoid_ms / 1000));
}

/* Whether the check found a black hole (the selector must choose again). */
static bool check_peer(struct peer *peer, uint64_t now_ms)
{
	struct route_check *check = peer->route_check;
	struct in_addr relay = path_first_relay(peer);
	uint8_t msg[WIRE_PROBE_LEN];

	uint64_t *nonce = &check->nonces[check->next];

	if (!relay.s_addr || peer->config.wireguard || !peer->current.valid) {
		memset(check->nonces, 0, sizeof(check->nonces));
		check->misses = 0;
		return false;
	}
	/* Still through the relay it avoids: no other route is left, and more
	 * misses would only make it avoid it longer. */
	if (relay.s_addr == check->avoid.s_addr && now_ms < check->avoid_until_ms)
		return false;
	/* A tick after a probe went out with nothing answered since. */
	if (!check->answered && check->nonces[(check->next + VERIFY_MISSES - 1) % VERIFY_MISSES] &&
	    ++check->misses >= VERIFY_MISSES) {
		give_up_on(peer, relay, now_ms);
		return true;
	}
	check->answered = false;
	crypto_random(nonce, sizeof(*nonce));
	if (wire_encode_probe(msg, sizeof(msg), CONTROL_PROBE, *nonce) < 0 ||
	    send_plaintext(peer, msg, sizeof(msg)))
		*nonce = 0;
	check->next = (check->next + 1) % VERIFY_MISSES;
	return false;
}

static void tick(struct timer *timer)
{
	struct verifier *verifier = container_of(timer, struct verifier, tick);
	struct device *dev = verifier->dev;
	uint64_t now = clock_ms();
	bool choose_again = false;

	for (size_t i = 0; i < dev->peer_count; i++)
		choose_again |= check_peer(dev->peers[i], now);
	if (choose_again)
		select_routes(dev);
	timer_arm(timer, now + VERIFY_INTERVAL_MS);
}
