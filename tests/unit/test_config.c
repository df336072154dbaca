/*
 * The configuration parser against golden files:
 *   - every configs/NAME.conf prints back exactly as data/<name>.canonical,
 *     and the canonical form parses to the same print-out again;
 *   - a table of broken variants of configs/example.conf gives exactly the
 *     errors in data/config_errors.golden ("file:line: problem").
 * Run with UPDATE_GOLDEN=1 to rewrite the golden files after a deliberate change.
 */
#include <stdio.h>
#include <stdlib.h>

#include "vectors.h"

#include "config.h"

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *text;
	long len;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	text = calloc(1, (size_t)len + 1);
	assert_int_equal(fread(text, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	return text;
}

static void compare_golden(const char *golden_path, const char *actual)
{
	char *expected;

	if (getenv("UPDATE_GOLDEN")) {
		FILE *f = fopen(golden_path, "w");

		assert_non_null(f);
		fputs(actual, f);
		fclose(f);
		return;
	}
	expected = read_file(golden_path);
	if (strcmp(expected, actual) != 0)
		fail_msg("%s differs; got:\n%s", golden_path, actual);
	free(expected);
}

static char *print_to_string(const struct config *cfg)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	config_print(cfg, out);
	fclose(out);
	return text;
}

static void check_canonical(const char *name)
{
	char path[512], golden[512], err[CONFIG_ERROR_LEN];
	struct config cfg, again;
	char *printed, *reprinted;

	snprintf(path, sizeof(path), "%s/%s.conf", CONFIGS_DIR, name);
	snprintf(golden, sizeof(golden), "%s/%s.canonical", TEST_DATA_DIR, name);
	if (config_load(&cfg, path, err, sizeof(err)))
		fail_msg("%s", err);
	printed = print_to_string(&cfg);
	compare_golden(golden, printed);
	if (config_load_string(&again, printed, "canonical", err, sizeof(err)))
		fail_msg("canonical form does not parse: %s", err);
	reprinted = print_to_string(&again);
	assert_string_equal(printed, reprinted);
	config_free(&cfg);
	config_free(&again);
	free(printed);
	free(reprinted);
}

static void test_canonical_example(void **state)
{
	check_canonical("example");
}

static void test_canonical_wireguard_peer(void **state)
{
	check_canonical("wireguard-peer");
}

static void test_canonical_rendezvous(void **state)
{
	check_canonical("rendezvous");
}

static void test_canonical_member(void **state)
{
	check_canonical("member");
}

static void test_canonical_join(void **state)
{
	check_canonical("join");
}

/* Each row replaces the first occurrence of `from` in example.conf. */
static const struct {
	const char *what, *from, *to;
} broken[] = {
    {"string for an integer", "mtu = 1420;", "mtu = \"big\";"},
    {"integer out of range", "listen_port = 51820;", "listen_port = 70000;"},
    {"boolean for an integer", "listen_port = 51820;", "listen_port = true;"},
    {"too many workers", "listen_port = 51820;", "listen_port = 51820; workers = 9;"},
    {"unknown key", "mtu = 1420;", "mtu = 1420; colour = \"blue\";"},
    {"unknown group", "log_level", "logging = 1;\nlog_level"},
    {"bad interface name", "name = \"vpn0\";", "name = \"much/too:long-name\";"},
    {"endpoint without port", "\"192.0.2.2:51820\"", "\"192.0.2.2\""},
    {"endpoint with a name", "\"192.0.2.2:51820\"", "\"vpn.example.com:51820\""},
    {"node ID outside subnet", "\"10.26.0.2\"", "\"10.27.0.2\""},
    {"node ID not an address", "\"10.26.0.2\"", "\"10.26.0.300\""},
    {"short public key", "dECGSKtNXUO4zjWpGLWTJztA2f4+CyZUI5xl7yR+2w0=", "AAAA"},
    {"peer without public key", "public_key = \"dECGSKtNXUO4zjWpGLWTJztA2f4+CyZUI5xl7yR+2w0=\";",
     ""},
    {"subnet with host bits", "\"10.26.0.0/24\"", "\"10.26.0.1/24\""},
    {"certificate garbage", "certificate = \"VlBOQw", "certificate = \"XlBOQw"},
    {"unknown log level", "\"info\";       #", "\"loud\";       #"},
    {"syntax error", "mtu = 1420;", "mtu = = 1420;"},
    {"duplicate setting", "mtu = 1420;", "mtu = 1420; mtu = 1400;"},
    {"keepalive negative", "persistent_keepalive = 25;", "persistent_keepalive = -1;"},
    {"relative socket path", "\"/run/vpnd/vpn0.sock\"", "\"vpn0.sock\""},
    {"bad stun server", "\"192.0.2.254:3478\"", "\"stun.example.com:3478\""},
    {"rendezvous without the flag",
     "log_level =", "rendezvous = { enabled = true; };\nlog_level ="},
    {"bad join token", "log_level =", "enroll = { token = \"AAAA\"; };\nlog_level ="},
};

static char *replace_once(const char *text, const char *from, const char *to)
{
	const char *at = strstr(text, from);
	char *out;

	assert_non_null(at);
	out = malloc(strlen(text) + strlen(to) + 1);
	memcpy(out, text, (size_t)(at - text));
	strcpy(out + (at - text), to);
	strcat(out, at + strlen(from));
	return out;
}

static void test_errors_golden(void **state)
{
	char path[512], golden[512], err[CONFIG_ERROR_LEN];
	char *base, *report = NULL;
	size_t report_len = 0;
	FILE *out = open_memstream(&report, &report_len);

	snprintf(path, sizeof(path), "%s/example.conf", CONFIGS_DIR);
	snprintf(golden, sizeof(golden), "%s/config_errors.golden", TEST_DATA_DIR);
	base = read_file(path);
	for (size_t i = 0; i < sizeof(broken) / sizeof(broken[0]); i++) {
		char *text = replace_once(base, broken[i].from, broken[i].to);
		struct config cfg;

		if (config_load_string(&cfg, text, "test.conf", err, sizeof(err)) == 0)
			fail_msg("'%s' was accepted", broken[i].what);
		fprintf(out, "%s: %s\n", broken[i].what, err);
		free(text);
	}
	fclose(out);
	compare_golden(golden, report);
	free(report);
	free(base);
}

static void test_missing_file(void **state)
{
	struct config cfg;
	char err[CONFIG_ERROR_LEN];

	assert_int_equal(config_load(&cfg, "/nonexistent/vpnd.conf", err, sizeof(err)), -1);
	assert_string_equal(err,
			    "/nonexistent/vpnd.conf: cannot read file: No such file or directory");
}

static void test_network_file(void **state)
{
	struct network_config net;
	char path[512], err[CONFIG_ERROR_LEN];

	snprintf(path, sizeof(path), "%s/example.network", TEST_DATA_DIR);
	if (network_file_load(&net, path, err, sizeof(err)))
		fail_msg("%s", err);
	assert_string_equal(net.name, "example");
	assert_true(net.has_signing_key);
	/* A node config is not a network file: it has no signing key. */
	snprintf(path, sizeof(path), "%s/example.conf", CONFIGS_DIR);
	assert_int_equal(network_file_load(&net, path, err, sizeof(err)), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_canonical_example),
	    cmocka_unit_test(test_canonical_wireguard_peer),
	    cmocka_unit_test(test_canonical_rendezvous),
	    cmocka_unit_test(test_canonical_member),
	    cmocka_unit_test(test_canonical_join),
	    cmocka_unit_test(test_errors_golden),
	    cmocka_unit_test(test_missing_file),
	    cmocka_unit_test(test_network_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
