/* Per-peer protocol timers, driven by protocol events (see timers.c). */
#ifndef VPND_TIMERS_H
#define VPND_TIMERS_H

#include <stdint.h>

struct device;
struct peer;

void timers_data_sent(struct peer *peer);
void timers_data_received(struct peer *peer);
void timers_any_authenticated_packet_sent(struct peer *peer);
void timers_any_authenticated_packet_received(struct peer *peer);
void timers_any_authenticated_packet_traversal(struct peer *peer);
void timers_handshake_initiated(struct peer *peer);
void timers_handshake_complete(struct peer *peer);
void timers_session_derived(struct peer *peer);
void timers_certificate_sent(struct peer *peer);
void timers_stop(struct peer *peer);

/* Runs every expired timer; returns ms until the next one (-1: none). */
int timers_run(struct device *dev, uint64_t now_ms);

#endif
