/* The codecs of control messages; see wire.h for the formats. */
#include "wire.h"

#include <errno.h>
#include <string.h>

#include "hmac.h"
#include "messages.h"

struct writer {
	uint8_t *buf;
	size_t len, pos;
	int error;
};

struct reader {
	const uint8_t *buf;
	size_t len, pos;
	int error;
};

static void put(struct writer *w, const void *data, size_t n)
{
	if (w->error || w->len - w->pos < n) {
		w->error = -EINVAL;
		return;
	}
	memcpy(w->buf + w->pos, data, n);
	w->pos += n;
}

static void put_u8(struct writer *w, uint8_t v)
{
	put(w, &v, 1);
}

static void put_u16(struct writer *w, uint16_t v)
{
	uint8_t b[2] = {(uint8_t)(v >> 8), (uint8_t)v};

	put(w, b, 2);
}

static void put_u32(struct writer *w, uint32_t v)
{
	uint8_t b[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};

	put(w, b, 4);
}

static void put_u64(struct writer *w, uint64_t v)
{
	uint8_t b[8];

	for (int i = 0; i < 8; i++)
		b[i] = (uint8_t)(v >> (56 - 8 * i));
	put(w, b, 8);
}

static int finish(const struct writer *w)
{
	return w->error ? w->error : (int)w->pos;
}

static const uint8_t *take(struct reader *r, size_t n)
{
	const uint8_t *p;

	if (r->error || r->len - r->pos < n) {
		r->error = -EINVAL;
		return NULL;
	}
	p = r->buf + r->pos;
	r->pos += n;
	return p;
}

static uint8_t get_u8(struct reader *r)
{
	const uint8_t *p = take(r, 1);

	return p ? p[0] : 0;
}

static uint16_t get_u16(struct reader *r)
{
	const uint8_t *p = take(r, 2);

	return p ? (uint16_t)(p[0] << 8 | p[1]) : 0;
}

static uint32_t get_u32(struct reader *r)
{
	const uint8_t *p = take(r, 4);

	return p ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3] : 0;
}

static uint64_t get_u64(struct reader *r)
{
	const uint8_t *p = take(r, 8);
	uint64_t v = 0;

	for (int i = 0; p && i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

static void put_candidate(struct writer *w, const union endpoint *ep)
{
	if (ep->sa.sa_family == AF_INET) {
		put_u8(w, 4);
		put(w, &ep->in.sin_addr, 4);
		put_u16(w, ntohs(ep->in.sin_port));
	} else if (ep->sa.sa_family == AF_INET6) {
		put_u8(w, 6);
		put(w, &ep->in6.sin6_addr, 16);
		put_u16(w, ntohs(ep->in6.sin6_port));
	} else {
		put_u8(w, 0); /* none */
	}
}

static void get_candidate(struct reader *r, union endpoint *ep)
{
	uint8_t family = get_u8(r);
	const uint8_t *addr;

	memset(ep, 0, sizeof(*ep));
	if (family == 0)
		return;
	if (family != 4 && family != 6) {
		r->error = -EINVAL;
		return;
	}
	addr = take(r, family == 4 ? 4 : 16);
	if (!addr)
		return;
	if (family == 4) {
		ep->in.sin_family = AF_INET;
		memcpy(&ep->in.sin_addr, addr, 4);
		ep->in.sin_port = htons(get_u16(r));
	} else {
		ep->in6.sin6_family = AF_INET6;
		memcpy(&ep->in6.sin6_addr, addr, 16);
		ep->in6.sin6_port = htons(get_u16(r));
	}
}

static void put_candidates(struct writer *w, const struct candidate_list *list)
{
	put_u8(w, (uint8_t)list->count);
	for (size_t i = 0; i < list->count; i++)
		put_candidate(w, &list->items[i]);
}

static void get_candidates(struct reader *r, struct candidate_list *list)
{
	memset(list, 0, sizeof(*list));
	list->count = get_u8(r);
	if (list->count > WIRE_MAX_CANDIDATES) {
		r->error = -EINVAL;
		return;
	}
	for (size_t i = 0; i < list->count && !r->error; i++) {
		get_candidate(r, &list->items[i]);
		if (!list->items[i].sa.sa_family)
			r->error = -EINVAL;
	}
}

const char *nat_type_name(enum nat_type type)
{
	switch (type) {
	case NAT_CONE:
		return "cone";
	case NAT_SYMMETRIC:
		return "symmetric";
	default:
		return "unknown";
	}
}

static uint8_t get_nat(struct reader *r)
{
	uint8_t nat = get_u8(r);

	if (nat > NAT_SYMMETRIC)
		r->error = -EINVAL;
	return nat;
}

int wire_encode_register(uint8_t *buf, size_t len, const struct registration *reg)
{
	struct writer w = {.buf = buf, .len = len};

	put_u8(&w, CONTROL_REGISTER);
	put_u8(&w, reg->nat);
	put_candidates(&w, &reg->candidates);
	return finish(&w);
}

int wire_decode_register(const uint8_t *buf, size_t len, struct registration *reg)
{
	struct reader r = {.buf = buf, .len = len};

	if (get_u8(&r) != CONTROL_REGISTER)
		return -EINVAL;
	reg->nat = get_nat(&r);
	get_candidates(&r, &reg->candidates);
	return r.error;
}

int wire_encode_peer_info(uint8_t *buf, size_t len, const struct peer_info *info)
{
	struct writer w = {.buf = buf, .len = len};
	uint8_t cert[CERT_MAX_LEN];
	int cert_len = cert_encode(&info->cert, cert, sizeof(cert));

	if (cert_len < 0)
		return cert_len;
	put_u8(&w, CONTROL_PEER_INFO);
	put_u8(&w, (uint8_t)cert_len);
	put(&w, cert, (size_t)cert_len);
	put_u8(&w, info->nat);
	put_candidate(&w, &info->reflexive);
	put_candidates(&w, &info->candidates);
	return finish(&w);
}

int wire_decode_peer_info(const uint8_t *buf, size_t len, struct peer_info *info)
{
	struct reader r = {.buf = buf, .len = len};
	const uint8_t *cert;
	uint8_t cert_len;

	memset(info, 0, sizeof(*info));
	if (get_u8(&r) != CONTROL_PEER_INFO)
		return -EINVAL;
	cert_len = get_u8(&r);
	cert = take(&r, cert_len);
	if (!cert || cert_decode(&info->cert, cert, cert_len))
		return -EINVAL;
	info->nat = get_nat(&r);
	get_candidate(&r, &info->reflexive);
	get_candidates(&r, &info->candidates);
	return r.error;
}

int wire_encode_relay_header(uint8_t *buf, size_t len, const struct relay_header *relay)
{
	struct writer w = {.buf = buf, .len = len};

	if (relay->payload_len > UINT16_MAX)
		return -EINVAL;
	put_u8(&w, CONTROL_RELAY);
	put_u8(&w, relay->hop_limit);
	put_u16(&w, (uint16_t)relay->payload_len);
	put(&w, &relay->src, 4);
	put(&w, &relay->dst, 4);
	if (relay->waypoint_count > WIRE_MAX_WAYPOINTS)
		return -EINVAL;
	put_u8(&w, (uint8_t)relay->waypoint_count);
	for (size_t i = 0; i < relay->waypoint_count; i++)
		put(&w, &relay->waypoints[i], 4);
	return finish(&w);
}

int wire_decode_relay(const uint8_t *buf, size_t len, struct relay_header *relay)
{
	struct reader r = {.buf = buf, .len = len};
	const uint8_t *src, *dst;

	if (get_u8(&r) != CONTROL_RELAY)
		return -EINVAL;
	relay->hop_limit = get_u8(&r);
	relay->payload_len = get_u16(&r);
	src = take(&r, 4);
	dst = take(&r, 4);
	relay->waypoint_count = get_u8(&r);
	if (r.error || !src || !dst || relay->waypoint_count > WIRE_MAX_WAYPOINTS)
		return -EINVAL;
	for (size_t i = 0; i < relay->waypoint_count; i++) {
		const uint8_t *waypoint = take(&r, 4);

		if (!waypoint)
			return -EINVAL;
		memcpy(&relay->waypoints[i], waypoint, 4);
	}
	relay->payload = take(&r, relay->payload_len);
	if (r.error)
		return -EINVAL;
	memcpy(&relay->src, src, 4);
	memcpy(&relay->dst, dst, 4);
	return 0;
}

int wire_encode_links(uint8_t *buf, size_t len, const struct link_advert *advert)
{
	struct writer w = {.buf = buf, .len = len};

	if (advert->count > WIRE_MAX_LINKS)
		return -EINVAL;
	put_u8(&w, CONTROL_LINKS);
	put_u16(&w, (uint16_t)advert->count);
	for (size_t i = 0; i < advert->count; i++) {
		put(&w, &advert->links[i].node, 4);
		put_u32(&w, advert->links[i].cost_us);
	}
	/* Appended, so that older nodes read it as padding. */
	for (size_t i = 0; i < advert->count; i++)
		put_u16(&w, advert->links[i].datagram_max);
	return finish(&w);
}

int wire_decode_links(const uint8_t *buf, size_t len, struct link_advert *advert)
{
	struct reader r = {.buf = buf, .len = len};

	if (get_u8(&r) != CONTROL_LINKS)
		return -EINVAL;
	advert->count = get_u16(&r);
	if (r.error || advert->count > WIRE_MAX_LINKS)
		return -EINVAL;
	for (size_t i = 0; i < advert->count; i++) {
		const uint8_t *node = take(&r, 4);

		advert->links[i].cost_us = get_u32(&r);
		if (!node || r.error)
			return -EINVAL;
		memcpy(&advert->links[i].node, node, 4);
	}
	/* From an older node there are none (or padding: zeros, not known). */
	for (size_t i = 0; i < advert->count; i++)
		advert->links[i].datagram_max = r.len - r.pos >= 2 ? get_u16(&r) : 0;
	return 0;
}

int wire_encode_probe(uint8_t *buf, size_t len, uint8_t type, uint64_t nonce)
{
	struct writer w = {.buf = buf, .len = len};

	put_u8(&w, type);
	put_u64(&w, nonce);
	return finish(&w);
}

int wire_decode_probe(const uint8_t *buf, size_t len, uint64_t *nonce)
{
	struct reader r = {.buf = buf, .len = len};
	uint8_t type = get_u8(&r);

	if (type != CONTROL_PROBE && type != CONTROL_PONG)
		return -EINVAL;
	*nonce = get_u64(&r);
	return r.error;
}

int wire_encode_enroll(uint8_t *buf, size_t len, const struct enroll_message *msg)
{
	struct writer w = {.buf = buf, .len = len};

	if (msg->body_len > UINT16_MAX)
		return -EINVAL;
	put_u8(&w, msg->type);
	if (msg->type == CONTROL_ENROLL_REQUEST)
		put(&w, &msg->node_id, 4);
	else
		put_u8(&w, msg->status);
	put_u16(&w, (uint16_t)msg->body_len);
	put(&w, msg->body, msg->body_len);
	return finish(&w);
}

int wire_decode_enroll(const uint8_t *buf, size_t len, struct enroll_message *msg)
{
	struct reader r = {.buf = buf, .len = len};
	const uint8_t *node_id;

	memset(msg, 0, sizeof(*msg));
	msg->type = get_u8(&r);
	if (msg->type == CONTROL_ENROLL_REQUEST) {
		node_id = take(&r, 4);
		if (node_id)
			memcpy(&msg->node_id, node_id, 4);
	} else if (msg->type == CONTROL_ENROLL_REPLY) {
		msg->status = get_u8(&r);
	} else {
		return -EINVAL;
	}
	msg->body_len = get_u16(&r);
	msg->body = take(&r, msg->body_len);
	return r.error;
}

int candidate_list_add(struct candidate_list *list, const union endpoint *ep)
{
	for (size_t i = 0; i < list->count; i++)
		if (endpoint_equal(&list->items[i], ep))
			return 0;
	if (list->count == WIRE_MAX_CANDIDATES || !ep->sa.sa_family)
		return 0;
	list->items[list->count++] = *ep;
	return 1;
}

static bool ipv4_usable(struct in_addr addr, const struct ipv4_prefix *overlay)
{
	uint32_t a = ntohl(addr.s_addr);

	return (a >> 24) != 0 && (a >> 24) != 127 && (a >> 16) != 0xa9fe && /* 169.254/16 */
	       (a >> 28) < 0xe && /* multicast 224/4, reserved 240/4, broadcast */
	       !ipv4_prefix_contains(overlay, addr);
}

static bool ipv6_usable(const struct in6_addr *addr)
{
	return !IN6_IS_ADDR_UNSPECIFIED(addr) && !IN6_IS_ADDR_LOOPBACK(addr) &&
	       !IN6_IS_ADDR_MULTICAST(addr) && !IN6_IS_ADDR_LINKLOCAL(addr) &&
	       !IN6_IS_ADDR_V4MAPPED(addr) && !IN6_IS_ADDR_V4COMPAT(addr);
}

bool candidate_usable(const union endpoint *ep, const struct ipv4_prefix *overlay)
{
	if (ep->sa.sa_family == AF_INET)
		return ep->in.sin_port && ipv4_usable(ep->in.sin_addr, overlay);
	if (ep->sa.sa_family == AF_INET6)
		return ep->in6.sin6_port && ipv6_usable(&ep->in6.sin6_addr);
	return false;
}

size_t candidate_list_sanitize(struct candidate_list *list, const struct ipv4_prefix *overlay)
{
	struct candidate_list kept = {0};
	size_t removed;

	for (size_t i = 0; i < list->count; i++)
		if (candidate_usable(&list->items[i], overlay))
			candidate_list_add(&kept, &list->items[i]);
	removed = list->count - kept.count;
	*list = kept;
	return removed;
}

bool candidate_list_equal(const struct candidate_list *a, const struct candidate_list *b)
{
	if (a->count != b->count)
		return false;
	for (size_t i = 0; i < a->count; i++)
		if (!endpoint_equal(&a->items[i], &b->items[i]))
			return false;
	return true;
}

static const uint8_t beacon_magic[4] = {'V', 'P', 'N', 'B'};

enum { BEACON_VERSION = 1, BEACON_MAC_LEN = 32 };

int wire_encode_beacon(uint8_t *buf, size_t len, const struct beacon *beacon,
		       const uint8_t secret[32])
{
	struct writer w = {.buf = buf, .len = len};
	uint8_t cert[CERT_MAX_LEN], mac[BEACON_MAC_LEN];
	int cert_len = cert_encode(&beacon->cert, cert, sizeof(cert));

	if (cert_len < 0)
		return cert_len;
	put(&w, beacon_magic, sizeof(beacon_magic));
	put_u8(&w, BEACON_VERSION);
	put_u16(&w, beacon->port);
	put_u64(&w, beacon->time_s);
	put_u8(&w, (uint8_t)cert_len);
	put(&w, cert, (size_t)cert_len);
	if (w.error || hmac_blake2s(mac, secret, 32, buf, w.pos))
		return -EINVAL;
	put(&w, mac, sizeof(mac));
	return finish(&w);
}

int wire_decode_beacon(const uint8_t *buf, size_t len, struct beacon *beacon,
		       const uint8_t secret[32])
{
	struct reader r = {.buf = buf, .len = len};
	uint8_t mac[BEACON_MAC_LEN];
	const uint8_t *magic, *cert, *sent_mac;
	uint8_t cert_len;

	memset(beacon, 0, sizeof(*beacon));
	magic = take(&r, sizeof(beacon_magic));
	if (!magic || memcmp(magic, beacon_magic, sizeof(beacon_magic)) ||
	    get_u8(&r) != BEACON_VERSION)
		return -EINVAL;
	beacon->port = get_u16(&r);
	beacon->time_s = get_u64(&r);
	cert_len = get_u8(&r);
	cert = take(&r, cert_len);
	sent_mac = take(&r, BEACON_MAC_LEN);
	if (!sent_mac || r.pos != len)
		return -EINVAL;
	if (hmac_blake2s(mac, secret, 32, buf, len - BEACON_MAC_LEN) ||
	    crypto_memneq(mac, sent_mac, sizeof(mac)))
		return -EACCES;
	return cert_decode(&beacon->cert, cert, cert_len) ? -EINVAL : 0;
}
