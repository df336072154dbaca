/* Hole punching (see punch.h). Timer: punch->round. */
#include "nat/punch.h"

#include <errno.h>
#include <stdlib.h>

#include "clock.h"
#include "core/device.h"
#include "core/hub.h"
#include "core/peer.h"
#include "core/probe.h"
#include "nat/tcp_punch.h"

static void round_due(struct timer *timer);

int punch_peer_init(struct peer *peer)
{
	peer->punch = calloc(1, sizeof(*peer->punch));
	if (!peer->punch)
		return -ENOMEM;
	peer->punch->peer = peer;
	timer_init(&peer->punch->round, &peer->dev->hub->loop, round_due);
	return 0;
}

void punch_peer_free(struct peer *peer)
{
	if (!peer->punch)
		return;
	timer_cancel(&peer->punch->round);
	free(peer->punch);
	peer->punch = NULL;
}

static void schedule(struct punch *punch, uint64_t delay_ms)
{
	timer_arm(&punch->round, clock_ms() + delay_ms);
}

bool punch_start(struct peer *peer)
{
	struct punch *punch = peer->punch;

	if (!peer->dynamic || peer->path.direct_up || timer_armed(&punch->round))
		return false;
	punch->probes_left = PUNCH_PROBES_PER_ROUND;
	schedule(punch, 0);
	return true;
}

void punch_restart(struct peer *peer)
{
	struct punch *punch = peer->punch;
	uint64_t budget_ends = punch->restarts.window_start_ms + PUNCH_BACKOFF_MIN_S * 1000ULL;

	if (budget_take(&punch->restarts, 1, PUNCH_BACKOFF_MIN_S * 1000ULL, clock_ms())) {
		timer_cancel(&punch->round);
		punch->backoff_s = 0;
		return;
	}
	/* Over the budget: the next round goes when it allows, not after
	 * whatever backoff was under way. */
	punch->backoff_s = 0;
	if (timer_armed(&punch->round) && punch->round.deadline_ms > budget_ends)
		timer_arm(&punch->round, budget_ends);
}

void punch_stop(struct peer *peer)
{
	timer_cancel(&peer->punch->round);
}

/* A round failed: wait longer each time before the next. */
static void back_off(struct punch *punch)
{
	unsigned int backoff = punch->backoff_s ? punch->backoff_s * 2 : PUNCH_BACKOFF_MIN_S;

	punch->backoff_s = backoff > PUNCH_BACKOFF_MAX_S ? PUNCH_BACKOFF_MAX_S : backoff;
	punch->probes_left = PUNCH_PROBES_PER_ROUND;
	schedule(punch, punch->backoff_s * 1000ULL);
	tcp_punch_start(punch->peer);
}

static void round_due(struct timer *timer)
{
	struct punch *punch = container_of(timer, struct punch, round);
	struct peer *peer = punch->peer;
	const struct peer_location *at = &peer->location;

	if (peer->path.direct_up || !peer->current.valid)
		return;
	if (punch->probes_left == 0) {
		back_off(punch);
		return;
	}
	punch->probes_left--;
	probe_send_untimed(peer, -1, &at->reflexive);
	/* Where its packets last came from directly (peer-reflexive). */
	if (!endpoint_equal(&peer->endpoint, &at->reflexive))
		probe_send_untimed(peer, peer->path.fd, &peer->endpoint);
	for (size_t i = 0; i < at->candidates.count; i++)
		probe_send_untimed(peer, -1, &at->candidates.items[i]);
	schedule(punch, PUNCH_INTERVAL_MS);
}
