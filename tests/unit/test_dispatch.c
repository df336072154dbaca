/*
 * Control messages through the table: each message from senders of every
 * standing - handled, or refused and counted as the row says - without
 * sockets. What a stranger or a member could send: a LINKS advert from a
 * member that may not relay, a PEER_INFO from a peer that is not our
 * rendezvous, an ENROLL_REPLY from anyone but our controller, a REGISTER
 * before the certificate, a type nobody knows.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/dispatch.h"
#include "core/receive.h"
#include "test_device.h"

enum { PLAIN, MEMBER, RELAY, RENDEZVOUS, CONTROLLER, WIREGUARD, KINDS };

static struct device *dev;
static struct peer *senders[KINDS];
static const char *const kind_names[KINDS] = {"session only",	"member",	  "relay",
					      "our rendezvous", "our controller", "wireguard"};

static int setup(void **state)
{
	dev = test_device_new();
	for (int k = 0; k < KINDS; k++) {
		senders[k] = test_device_add_peer(dev, 10 + (uint32_t)k, k == WIREGUARD);
		senders[k]->current.valid = true;
	}
	test_make_member(senders[MEMBER], 0);
	test_make_member(senders[RELAY], CERT_FLAG_RELAY);
	test_make_member(senders[RENDEZVOUS], CERT_FLAG_RENDEZVOUS);
	senders[RENDEZVOUS]->config.rendezvous = true;
	senders[CONTROLLER]->config.from_token = true;
	return 0;
}

static int teardown(void **state)
{
	test_device_free(dev);
	return 0;
}

static uint64_t drops(const struct peer *peer)
{
	uint64_t sum = 0;

	for (int i = 0; i < DROP_REASON_COUNT; i++)
		sum += peer->stats.drops[i];
	return sum;
}

/* Which senders each message type needs: 1 taken, 0 refused. */
static void test_standing(void **state)
{
	static const struct {
		uint8_t type;
		enum drop_reason refused_as;
		bool taken[KINDS];
	} rows[] = {
	    {CONTROL_PROBE, DROP_MALFORMED, {1, 1, 1, 1, 1, 1}},
	    {CONTROL_PONG, DROP_MALFORMED, {1, 1, 1, 1, 1, 1}},
	    {CONTROL_CERTIFICATE_ACK, DROP_MALFORMED, {1, 1, 1, 1, 1, 0}},
	    {CONTROL_REGISTER, DROP_MALFORMED, {0, 1, 1, 1, 0, 0}},
	    {CONTROL_RELAY, DROP_RELAY, {0, 1, 1, 1, 0, 0}},
	    {CONTROL_LINKS, DROP_RELAY, {0, 0, 1, 1, 0, 0}},
	    {CONTROL_PEER_INFO, DROP_MALFORMED, {0, 0, 0, 1, 0, 0}},
	    {CONTROL_ENROLL_REPLY, DROP_MALFORMED, {0, 0, 0, 0, 1, 0}},
	};
	const struct origin from = {.fd = -1};

	for (size_t r = 0; r < sizeof(rows) / sizeof(rows[0]); r++) {
		for (int k = 0; k < KINDS; k++) {
			struct peer *peer = senders[k];
			uint8_t msg[64] = {rows[r].type};
			uint64_t received = dev->control.received[rows[r].type];
			uint64_t refused = dev->control.refused[rows[r].type];
			uint64_t reason = peer->stats.drops[rows[r].refused_as];

			dispatch_control(peer, msg, sizeof(msg), &from);
			if (dev->control.received[rows[r].type] - received != rows[r].taken[k] ||
			    dev->control.refused[rows[r].type] - refused != !rows[r].taken[k])
				fail_msg("type %#x from %s: counted wrong", rows[r].type,
					 kind_names[k]);
			if (!rows[r].taken[k] &&
			    peer->stats.drops[rows[r].refused_as] != reason + 1)
				fail_msg("type %#x from %s: refusal not counted as its drop",
					 rows[r].type, kind_names[k]);
		}
	}
}

static void test_unknown_type(void **state)
{
	uint8_t msg[8] = {0x7f};
	uint64_t before = drops(senders[MEMBER]);

	dispatch_control(senders[MEMBER], msg, sizeof(msg), &(struct origin){.fd = -1});
	assert_int_equal(drops(senders[MEMBER]), before + 1);
	assert_int_equal(senders[MEMBER]->stats.drops[DROP_MALFORMED], 1);
}

/* Every row names a distinct type and has a handler. */
static void test_table(void **state)
{
	for (size_t i = 0; i < control_handler_count; i++) {
		assert_non_null(control_handlers[i].handle);
		assert_non_null(control_handlers[i].name);
		for (size_t j = 0; j < i; j++)
			assert_int_not_equal(control_handlers[i].type, control_handlers[j].type);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_standing, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unknown_type, setup, teardown),
	    cmocka_unit_test(test_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
