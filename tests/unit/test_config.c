/*
 * The configuration parser against golden files:
 *   - every configs/NAME.conf prints back exactly as data/<name>.canonical,
 *     and the canonical form parses to the same print-out again;
 *   - a table of broken variants of configs/example.conf gives exactly the
 *     errors in data/config_errors.golden ("file:line: problem").
 *   - secrets: hidden when printed unless asked for, read from files of
 *     their own (next to the configuration, or systemd's credentials
 *     directory), refused from files that others may read.
 * Run with UPDATE_GOLDEN=1 to rewrite the golden files after a deliberate change.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vectors.h"

#include "config.h"
#include "secret_file.h"

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

static char *print_config(const struct config *cfg, unsigned int flags)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	config_print(cfg, out, flags);
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
	printed = print_config(&cfg, CONFIG_PRINT_SECRETS);
	compare_golden(golden, printed);
	if (config_load_string(&again, printed, "canonical", err, sizeof(err)))
		fail_msg("canonical form does not parse: %s", err);
	reprinted = print_config(&again, CONFIG_PRINT_SECRETS);
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
    {"endpoint with a bad name", "\"192.0.2.2:51820\"", "\"vpn_1.example.com:51820\""},
    {"endpoint short of an address", "\"192.0.2.2:51820\"", "\"192.0.2:51820\""},
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
    {"beacon on the listen port", "port = 51821;", "port = 51820;"},
    {"unknown portmap protocol", "\"natpmp\", \"upnp\"", "\"natpmp\", \"igd\""},
    {"portmap protocol twice", "\"natpmp\", \"upnp\"", "\"natpmp\", \"pcp\""},
    {"no portmap protocol", "( \"pcp\", \"natpmp\", \"upnp\" )", "( )"},
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

static const char example_key[] = "MJpb6Lab608MaBIisU3PBQPyfD/GMsk0ZS2bymYUCEc=";
static const char example_secret[] = "a+o7NU8/2oJZdHY7pGJoQVEh6erU+lcexn1RH56gB0w=";

/* vpnd -n: no key or secret unless asked for. */
static void test_secrets_hidden(void **state)
{
	struct config cfg;
	char path[512], err[CONFIG_ERROR_LEN], *hidden, *shown;

	snprintf(path, sizeof(path), "%s/example.conf", CONFIGS_DIR);
	if (config_load(&cfg, path, err, sizeof(err)))
		fail_msg("%s", err);
	hidden = print_config(&cfg, 0);
	shown = print_config(&cfg, CONFIG_PRINT_SECRETS);
	assert_null(strstr(hidden, example_key));
	assert_null(strstr(hidden, example_secret));
	assert_non_null(strstr(hidden, "private_key = \"(hidden)\";"));
	assert_non_null(strstr(hidden, "secret = \"(hidden)\";"));
	assert_non_null(strstr(shown, example_key));
	assert_non_null(strstr(shown, example_secret));
	free(hidden);
	free(shown);
	config_free(&cfg);
}

/* A scratch directory with example.conf's key and secret moved into files
 * there; the configuration in the directory too, or at conf when given. */
struct scratch {
	char dir[64], conf[128], key[128], secret[128];
};

static void write_file(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	assert_int_equal(chmod(path, mode), 0);
}

static void scratch_make(struct scratch *s, const char *conf)
{
	char example[512], *base, *step, *text;

	strcpy(s->dir, "/tmp/vpnd-config-test.XXXXXX");
	assert_non_null(mkdtemp(s->dir));
	snprintf(s->conf, sizeof(s->conf), "%s/vpnd.conf", s->dir);
	if (conf)
		snprintf(s->conf, sizeof(s->conf), "%s", conf);
	snprintf(s->key, sizeof(s->key), "%s/node.key", s->dir);
	snprintf(s->secret, sizeof(s->secret), "%s/network.secret", s->dir);
	write_file(s->key, "MJpb6Lab608MaBIisU3PBQPyfD/GMsk0ZS2bymYUCEc=\n", 0600);
	write_file(s->secret, "  a+o7NU8/2oJZdHY7pGJoQVEh6erU+lcexn1RH56gB0w=\n", 0400);
	snprintf(example, sizeof(example), "%s/example.conf", CONFIGS_DIR);
	base = read_file(example);
	step = replace_once(base, "private_key = \"MJpb6Lab608MaBIisU3PBQPyfD/GMsk0ZS2bymYUCEc=\";",
			    "private_key_file = \"node.key\";");
	text = replace_once(step, "secret = \"a+o7NU8/2oJZdHY7pGJoQVEh6erU+lcexn1RH56gB0w=\";",
			    "secret_file = \"network.secret\";");
	write_file(s->conf, text, 0600);
	free(base);
	free(step);
	free(text);
}

static void scratch_remove(struct scratch *s)
{
	unlink(s->conf);
	unlink(s->key);
	unlink(s->secret);
	rmdir(s->dir);
}

static void test_secret_files(void **state)
{
	struct scratch s;
	struct config cfg, inline_cfg;
	char err[CONFIG_ERROR_LEN], path[512], *printed;

	unsetenv("CREDENTIALS_DIRECTORY");
	scratch_make(&s, NULL); /* the files next to the configuration */
	if (config_load(&cfg, s.conf, err, sizeof(err)))
		fail_msg("%s", err);
	snprintf(path, sizeof(path), "%s/example.conf", CONFIGS_DIR);
	assert_int_equal(config_load(&inline_cfg, path, err, sizeof(err)), 0);
	assert_memory_equal(cfg.private_key, inline_cfg.private_key, sizeof(cfg.private_key));
	assert_memory_equal(cfg.network.secret, inline_cfg.network.secret,
			    sizeof(cfg.network.secret));
	printed = print_config(&cfg, CONFIG_PRINT_SECRETS);
	assert_non_null(strstr(printed, "private_key_file = \"node.key\";"));
	assert_non_null(strstr(printed, "secret_file = \"network.secret\";"));
	assert_null(strstr(printed, example_key));
	free(printed);
	config_free(&cfg);
	config_free(&inline_cfg);
	scratch_remove(&s);

	/* systemd's LoadCredential=: relative names are in its directory. */
	scratch_make(&s, "/tmp/vpnd-config-test-elsewhere.conf");
	assert_int_equal(config_load(&cfg, s.conf, err, sizeof(err)), -1);
	setenv("CREDENTIALS_DIRECTORY", s.dir, 1);
	if (config_load(&cfg, s.conf, err, sizeof(err)))
		fail_msg("%s", err);
	config_free(&cfg);
	unsetenv("CREDENTIALS_DIRECTORY");
	scratch_remove(&s);
}

/* The line of a file that first contains needle. */
static int line_of(const char *path, const char *needle)
{
	char *text = read_file(path), *at = strstr(text, needle);
	int line = 1;

	assert_non_null(at);
	for (const char *c = text; c < at; c++)
		line += *c == '\n';
	free(text);
	return line;
}

/* Each refused with the file, line and what is wrong; nothing loaded. */
static void test_secret_files_refused(void **state)
{
	struct scratch s;
	struct config cfg;
	char err[CONFIG_ERROR_LEN], expect[512];

	unsetenv("CREDENTIALS_DIRECTORY");
	scratch_make(&s, NULL);
	chmod(s.key, 0640);
	assert_int_equal(config_load(&cfg, s.conf, err, sizeof(err)), -1);
	snprintf(expect, sizeof(expect),
		 "%s:%d: private_key_file: '%s' holds a secret but group or others may read it "
		 "(mode 0640): chmod 600 it",
		 s.conf, line_of(s.conf, "private_key_file = \"node.key\""), s.key);
	assert_string_equal(err, expect);
	chmod(s.key, 0600);
	unlink(s.secret);
	assert_int_equal(config_load(&cfg, s.conf, err, sizeof(err)), -1);
	snprintf(expect, sizeof(expect),
		 "%s:%d: secret_file: cannot read '%s': No such file or directory", s.conf,
		 line_of(s.conf, "secret_file = \"network.secret\""), s.secret);
	assert_string_equal(err, expect);
	write_file(s.secret, "not base64\n", 0600);
	assert_int_equal(config_load(&cfg, s.conf, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "must hold 32 bytes in base64"));
	scratch_remove(&s);
}

/* Under vpnd@.service: the credentials are systemd's copies (mode 0400
 * whatever the original's), so the original beside the configuration is
 * checked; the unit's stand-in for a missing file is named as such. */
static void test_credentials(void **state)
{
	struct scratch s;
	struct config cfg;
	char err[CONFIG_ERROR_LEN], creds[64] = "/tmp/vpnd-credentials-test.XXXXXX", copy[128];
	char *key;

	scratch_make(&s, NULL);
	assert_non_null(mkdtemp(creds));
	key = read_file(s.key);
	snprintf(copy, sizeof(copy), "%s/node.key", creds);
	write_file(copy, key, 0400);
	snprintf(copy, sizeof(copy), "%s/network.secret", creds);
	write_file(copy, "a+o7NU8/2oJZdHY7pGJoQVEh6erU+lcexn1RH56gB0w=\n", 0400);
	setenv("CREDENTIALS_DIRECTORY", creds, 1);
	if (config_load(&cfg, s.conf, err, sizeof(err)))
		fail_msg("%s", err);
	config_free(&cfg);
	chmod(s.key, 0644);
	assert_int_equal(config_load(&cfg, s.conf, err, sizeof(err)), -1);
	assert_non_null(strstr(err, s.key));
	assert_non_null(strstr(err, "group or others may read it (mode 0644)"));
	chmod(s.key, 0600);
	unlink(copy);
	write_file(copy, SECRET_FILE_UNIT_MISSING "\n", 0400);
	assert_int_equal(config_load(&cfg, s.conf, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "systemd found no file to load it from (LoadCredential=)"));
	unlink(copy);
	assert_int_equal(config_load(&cfg, s.conf, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "the unit loads only IFNAME.key and IFNAME.secret"));
	unsetenv("CREDENTIALS_DIRECTORY");
	snprintf(copy, sizeof(copy), "%s/node.key", creds);
	unlink(copy);
	rmdir(creds);
	free(key);
	scratch_remove(&s);
}

/* rendezvous.network_file, relative: beside the configuration, wherever
 * vpnd runs (under systemd, in /). */
static void test_network_file_beside(void **state)
{
	char dir[] = "/tmp/vpnd-network-file-test.XXXXXX", path[512], conf[512], copy[512],
	     cwd[512], err[CONFIG_ERROR_LEN], *network, *base, *text;
	struct config cfg;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/example.network", TEST_DATA_DIR);
	snprintf(copy, sizeof(copy), "%s/example.network", dir);
	network = read_file(path);
	write_file(copy, network, 0600);
	snprintf(path, sizeof(path), "%s/rendezvous.conf", CONFIGS_DIR);
	base = read_file(path);
	text = replace_once(base, "rendezvous = { enabled = true;",
			    "rendezvous = { enabled = true; network_file = \"example.network\";");
	snprintf(conf, sizeof(conf), "%s/rendezvous.conf", dir);
	write_file(conf, text, 0600);
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir("/"), 0);
	if (config_load(&cfg, conf, err, sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(chdir(cwd), 0);
	assert_true(cfg.network.has_signing_key);
	assert_string_equal(cfg.network_file, copy);
	config_free(&cfg);
	unlink(conf);
	unlink(copy);
	rmdir(dir);
	free(network);
	free(base);
	free(text);
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
	    cmocka_unit_test(test_network_file_beside),
	    cmocka_unit_test(test_secrets_hidden),
	    cmocka_unit_test(test_secret_files),
	    cmocka_unit_test(test_credentials),
	    cmocka_unit_test(test_secret_files_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
