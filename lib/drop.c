/* The names drop counters go by in status output and logs. */
#include "drop.h"

const char *drop_reason_name(enum drop_reason reason)
{
	static const char *const names[DROP_REASON_COUNT] = {
	    [DROP_MALFORMED] = "malformed",
	    [DROP_MAC] = "bad_mac",
	    [DROP_HANDSHAKE] = "bad_handshake",
	    [DROP_RATELIMIT] = "ratelimited",
	    [DROP_NO_SESSION] = "no_session",
	    [DROP_DECRYPT] = "bad_decrypt",
	    [DROP_REPLAY] = "replay",
	    [DROP_NO_CERT] = "no_certificate",
	    [DROP_BAD_CERT] = "bad_certificate",
	    [DROP_SOURCE] = "bad_source",
	    [DROP_NO_ROUTE] = "no_route",
	    [DROP_QUEUE_FULL] = "queue_full",
	    [DROP_RELAY] = "relay_refused",
	    [DROP_DUPLICATE] = "duplicate",
	    [DROP_TOO_BIG] = "too_big",
	    [DROP_BLOCKED] = "blocked",
	};

	return reason < DROP_REASON_COUNT ? names[reason] : "unknown";
}
