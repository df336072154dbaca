/* Everything a node sends: handshakes, transport data, keepalives, control. */
#ifndef VPND_SEND_H
#define VPND_SEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "messages.h"

struct device;
struct peer;

void send_handshake_initiation(struct peer *peer, bool is_retry);
void send_handshake_response(struct peer *peer);
void send_keepalive(struct peer *peer);
void send_certificate(struct peer *peer);
void send_certificate_ack(struct peer *peer);
/* A session began: sends our certificate (to vpnd peers), then what waited
 * for the session; a keepalive if nothing did. */
void send_staged_packets(struct peer *peer);
/* Encrypts and sends a plaintext over the peer's path (-ENOKEY: no session). */
int send_plaintext(struct peer *peer, const uint8_t *plain, size_t len);
/* The same, from socket fd (-1: the device's) to one endpoint whatever
 * the path: probes. */
int send_plaintext_to(struct peer *peer, int fd, const union endpoint *ep, const uint8_t *plain,
		      size_t len);
/* The same, alone in its datagram even while a send batch gathers (a UDP
 * GSO train is cut apart only where it must: in a lab, past a small link):
 * path MTU probes. */
int send_plaintext_alone(struct peer *peer, int fd, const union endpoint *ep, const uint8_t *plain,
			 size_t len);
/* A plaintext sealed for the peer through one relay whatever the route: answers to what came
 * through it. */
int send_plaintext_through(struct peer *peer, struct peer *relay, const uint8_t *plain,
			   size_t len);
/* A clear message's room around what it carries in a buffer. */
enum {
	SEND_CLEAR_HEADROOM = MESSAGE_DATA_HEADER_LEN,
	SEND_CLEAR_TAILROOM = NOISE_AUTHTAG_LEN,
};
/* Sends the len bytes at buf + SEND_CLEAR_HEADROOM (a relay envelope) in
 * the clear, under the session's tag (MESSAGE_CLEAR), straight to the peer
 * where it has a direct path; -ENOKEY without a session. */
int send_clear(struct peer *peer, uint8_t *buf, size_t len);
/* The TUN-to-network path for one IP packet read from the TUN. */
void send_packet_from_tun(struct device *dev, const uint8_t *packet, size_t len);
int send_to_endpoint(struct device *dev, const union endpoint *ep, const void *data, size_t len);
/* From socket fd; -1 is the device's own. */
int send_to_endpoint_fd(struct device *dev, int fd, const union endpoint *ep, const void *data,
			size_t len);

#endif
