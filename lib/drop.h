/* Why a packet was dropped: the reasons counted per peer (or per device when no peer). */
#ifndef VPND_DROP_H
#define VPND_DROP_H

enum drop_reason {
	DROP_MALFORMED,	 /* too short, bad type, bad inner packet */
	DROP_MAC,	 /* mac1 (or mac2 under load) did not verify */
	DROP_HANDSHAKE,	 /* handshake did not decrypt or was stale */
	DROP_RATELIMIT,	 /* handshake over the per-source rate */
	DROP_NO_SESSION, /* no keypair for the receiver index */
	DROP_DECRYPT,	 /* transport tag did not verify */
	DROP_REPLAY,	 /* counter too old for the window */
	DROP_NO_CERT,	 /* IP packet before the peer's certificate was verified */
	DROP_BAD_CERT,	 /* certificate invalid or not matching the session */
	DROP_SOURCE,	 /* inner source address is not the peer's node ID */
	DROP_NO_ROUTE,	 /* TUN packet for an address no peer owns */
	DROP_QUEUE_FULL, /* too many packets waiting for a handshake */
	DROP_RELAY,	 /* relay envelope refused (malformed, spoofed, no route) */
	DROP_DUPLICATE,	 /* counter seen already: a copy sent on two paths, or a replay */
	DROP_TOO_BIG,	 /* TUN packet too big for its path (DF set: ICMP sent back) */
	DROP_BLOCKED,	 /* to or from a node or key on the blocklist */
	DROP_REASON_COUNT
};

/* The counter's name in status output; "unknown" out of range. */
const char *drop_reason_name(enum drop_reason reason);

#endif
