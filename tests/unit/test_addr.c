/* Endpoint and prefix parsing, table-driven. */
#include <arpa/inet.h>

#include "vectors.h"

#include "addr.h"

static void test_endpoints(void **state)
{
	static const struct {
		const char *text, *canonical;
	} rows[] = {
	    {"192.0.2.1:51820", "192.0.2.1:51820"},
	    {"[2001:db8::1]:443", "[2001:db8::1]:443"},
	    {"[::ffff:192.0.2.1]:7", "[::ffff:192.0.2.1]:7"},
	    {"192.0.2.1", NULL},
	    {"192.0.2.1:0", NULL},
	    {"192.0.2.1:65536", NULL},
	    {"192.0.2.1:-5", NULL},
	    {"192.0.2.1:80x", NULL},
	    {"2001:db8::1:443", NULL},
	    {"[192.0.2.1]:80", NULL},
	    {"example.com:80", NULL},
	    {"[2001:db8::1]443", NULL},
	    {":80", NULL},
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		union endpoint ep;
		char out[ENDPOINT_STRLEN];
		int ret = endpoint_parse(&ep, rows[i].text);

		if (!rows[i].canonical) {
			if (ret == 0)
				fail_msg("'%s' should not parse", rows[i].text);
			continue;
		}
		if (ret != 0)
			fail_msg("'%s' should parse", rows[i].text);
		endpoint_format(&ep, out, sizeof(out));
		assert_string_equal(out, rows[i].canonical);
	}
}

/* A link-local address prints with its link: by name, or by number for
 * an interface that is gone. */
static void test_link_local_scope(void **state)
{
	union endpoint ep = {.in6 = {.sin6_family = AF_INET6, .sin6_port = htons(51820)}};
	char out[ENDPOINT_STRLEN];

	inet_pton(AF_INET6, "fe80::b", &ep.in6.sin6_addr);
	ep.in6.sin6_scope_id = 1; /* lo, in every network namespace */
	endpoint_format(&ep, out, sizeof(out));
	assert_string_equal(out, "[fe80::b%lo]:51820");
	ep.in6.sin6_scope_id = 999999;
	endpoint_format(&ep, out, sizeof(out));
	assert_string_equal(out, "[fe80::b%999999]:51820");
	/* and back (the peer cache keeps endpoints as text) */
	assert_int_equal(endpoint_parse(&ep, "[fe80::b%lo]:51820"), 0);
	assert_int_equal(ep.in6.sin6_scope_id, 1);
	assert_int_equal(endpoint_parse(&ep, "[fe80::b%7]:51820"), 0);
	assert_int_equal(ep.in6.sin6_scope_id, 7);
	assert_int_equal(endpoint_parse(&ep, "[fe80::b%no-such-if]:51820"), -EINVAL);
	assert_int_equal(endpoint_parse(&ep, "[fe80::b%]:51820"), -EINVAL);
	assert_int_equal(endpoint_parse(&ep, "[2001:db8::1%lo]:51820"), -EINVAL); /* global: no link */
	assert_int_equal(endpoint_parse(&ep, "fe80::b%lo:51820"), -EINVAL);
}

static void test_names(void **state)
{
	static const struct {
		const char *text, *host;
		uint16_t port;
	} rows[] = {
	    {"rendezvous.example.net:51820", "rendezvous.example.net", 51820},
	    {"vpn:1", "vpn", 1},
	    {"a-1.b2.example:443", "a-1.b2.example", 443},
	    {"10.26.0.5.nip.io:7", "10.26.0.5.nip.io", 7},
	    {"192.0.2:51820", NULL, 0},		/* an address short of an octet */
	    {"192.0.2.1:51820", NULL, 0},	/* an address: not a name */
	    {"example.com", NULL, 0},		/* no port */
	    {"example.com:0", NULL, 0},
	    {"-bad.example.com:80", NULL, 0},
	    {"bad-.example.com:80", NULL, 0},
	    {"under_score.example:80", NULL, 0},
	    {"double..dot:80", NULL, 0},
	    {"trailing.dot.:80", NULL, 0},
	    {":80", NULL, 0},
	    {"[2001:db8::1]:80", NULL, 0},
	    {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.example:80", NULL, 0},
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char host[ENDPOINT_NAME_MAX + 1];
		uint16_t port = 0;
		int ret = endpoint_name_parse(rows[i].text, host, &port);

		if (!rows[i].host) {
			if (ret == 0)
				fail_msg("'%s' should not parse as a name", rows[i].text);
			continue;
		}
		if (ret != 0)
			fail_msg("'%s' should parse as a name", rows[i].text);
		assert_string_equal(host, rows[i].host);
		assert_int_equal(port, rows[i].port);
	}
}

static void test_v4_mapping_roundtrip(void **state)
{
	union endpoint a, b;

	assert_int_equal(endpoint_parse(&a, "198.51.100.7:9"), 0);
	b = a;
	endpoint_to_v6(&b);
	assert_int_equal(b.sa.sa_family, AF_INET6);
	endpoint_unmap_v4(&b);
	assert_true(endpoint_equal(&a, &b));
}

static void test_prefixes(void **state)
{
	static const struct {
		const char *text;
		int ok;
	} rows[] = {
	    {"10.26.0.0/24", 1}, {"10.0.0.0/8", 1}, {"10.26.0.1/24", 0},
	    {"10.26.0.0/33", 0}, {"10.26.0.0", 0},  {"10.26.0.0/", 0},
	    {"10.26.0.0/-1", 0}, {"garbage/24", 0}, {"0.0.0.0/0", 1},
	};
	struct ipv4_prefix p;
	struct in_addr addr;
	char out[32];

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		if ((ipv4_prefix_parse(rows[i].text, &p) == 0) != rows[i].ok)
			fail_msg("prefix '%s'", rows[i].text);
	assert_int_equal(ipv4_prefix_parse("10.26.0.0/24", &p), 0);
	ipv4_prefix_format(&p, out, sizeof(out));
	assert_string_equal(out, "10.26.0.0/24");
	assert_int_equal(ipv4_parse("10.26.0.77", &addr), 0);
	assert_true(ipv4_prefix_contains(&p, addr));
	assert_int_equal(ipv4_parse("10.26.1.77", &addr), 0);
	assert_false(ipv4_prefix_contains(&p, addr));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_endpoints),
	    cmocka_unit_test(test_names),
	    cmocka_unit_test(test_link_local_scope),
	    cmocka_unit_test(test_v4_mapping_roundtrip),
	    cmocka_unit_test(test_prefixes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
