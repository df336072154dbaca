/* A peer's protocol timers, driven by protocol events (see timers.c). */
#ifndef VPND_TIMERS_H
#define VPND_TIMERS_H

struct peer;

void timers_init(struct peer *peer);
void timers_data_sent(struct peer *peer);
void timers_data_received(struct peer *peer);
void timers_any_authenticated_packet_sent(struct peer *peer);
void timers_any_authenticated_packet_received(struct peer *peer);
void timers_any_authenticated_packet_traversal(struct peer *peer);
void timers_handshake_initiated(struct peer *peer);
void timers_handshake_complete(struct peer *peer);
void timers_session_derived(struct peer *peer);
void timers_certificate_sent(struct peer *peer);
void timers_certificate_acked(struct peer *peer);
void timers_stop(struct peer *peer);

#endif
