/* Control messages inside sessions and STUN on the shared socket. */
#include "stun.h"
#include "token.h"
#include "wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct registration reg;
	struct peer_info info;
	struct relay_header relay;
	uint8_t txid[STUN_TXID_LEN];
	union endpoint mapped;
	uint64_t nonce;
	struct join_token token;
	struct enroll_message enroll;
	static struct link_advert links;

	wire_decode_register(data, size, &reg);
	wire_decode_peer_info(data, size, &info);
	if (wire_decode_relay(data, size, &relay) == 0 &&
	    (relay.payload + relay.payload_len > data + size ||
	     relay.waypoint_count > WIRE_MAX_WAYPOINTS))
		__builtin_trap(); /* a payload past the buffer, or too many waypoints */
	wire_decode_probe(data, size, &nonce);
	if (wire_decode_links(data, size, &links) == 0 && links.count > WIRE_MAX_LINKS)
		__builtin_trap();
	if (wire_decode_enroll(data, size, &enroll) == 0 &&
	    enroll.body + enroll.body_len > data + size)
		__builtin_trap();
	token_decode(&token, data, size);
	stun_parse_request(data, size, txid);
	stun_parse_response(data, size, txid, &mapped);
	return 0;
}
