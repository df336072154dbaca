/*
 * tunctl: the table of subcommands, their usage and help, and the options
 * that pick a daemon. A subcommand's usage lives in its row only: bad
 * arguments (usage_error), "tunctl COMMAND --help" and "tunctl help
 * COMMAND" all print it from there, and the manual page must quote it
 * (tests/tools/check_manpages.py).
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "crypto.h"
#include "subcommands.h"

enum { USAGE_WIDTH = 80 };

struct target tunctl_target;
const char *prog = "tunctl";

static int help_main(int argc, char **argv);

static const struct subcommand {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
	const char *usage;   /* its forms, one a line, each after "tunctl " */
	const char *details; /* its arguments and options, after the usage */
} subcommands[] = {
    {"status", status_main, "show this node: node ID, interface, port, public key",
     "status [--json]\n", "  --json  the daemon's whole answer, as JSON\n"},
    {"peers", peers_main, "show peers: endpoints, handshakes, traffic, drops", "peers [--json]\n",
     "  --json  the daemon's whole answer, as JSON\n"},
    {"paths", paths_main, "show every route to a peer, its cost, and why one is used",
     "paths PEER [--json]\n",
     "  PEER    the peer's node ID; '*' marks the route in use\n"
     "  --json  the daemon's whole answer, as JSON\n"},
    {"ping", ping_main, "probe a peer along its route: which path answered, RTT",
     "ping PEER [-c COUNT] [--json]\n",
     "  PEER      the peer's node ID\n"
     "  -c COUNT  send COUNT probes, half a second apart (default 1)\n"
     "  --json    one line of JSON per probe\n"
     "\nExits 0 when at least one probe was answered.\n"},
    {"pin", pin_main, "fix a peer's route: auto, direct, relay, or via a relay",
     "pin PEER auto|direct|relay|via NODE\n",
     "  auto      let the path selector choose again\n"
     "  direct    the direct path only\n"
     "  relay     the best relayed route only\n"
     "  via NODE  through the relay with node ID NODE\n"
     "\nA pin lasts until the next pin of the peer or until vpnd restarts.\n"},
    {"block", block_main, "block a node ID or public key: no sessions, relaying, introductions",
     "block NODE_ID|PUBLIC_KEY\n",
     "The blocklist is kept in the daemon's state directory and applies at once.\n"},
    {"unblock", unblock_main, "take a node ID or public key off the blocklist",
     "unblock NODE_ID|PUBLIC_KEY\n", ""},
    {"blocks", blocks_main, "list what is blocked, with the packets dropped for it",
     "blocks [--json]\n", "  --json  the daemon's whole answer, as JSON\n"},
    {"netcheck", netcheck_main, "check the NAT in front of this node: type, ports, IPv6",
     "netcheck [--json]\n", "  --json  the daemon's whole answer, as JSON\n"},
    {"genkey", genkey_main, "generate a new private key and write it to stdout",
     "genkey > private.key\n", ""},
    {"pubkey", pubkey_main, "read a private key from stdin and write its public key",
     "pubkey < private.key > public.key\n", ""},
    {"network", network_main, "create a network, print its public part, make a join token",
     "network init NAME SUBNET [-o FILE]\n"
     "network export FILE\n"
     "network token FILE -c CONTROLLER_CERTIFICATE -e CONTROLLER_ENDPOINT [-d DAYS] "
     "[-u USES]\n",
     "  NAME     the network's name, 1 to 32 characters\n"
     "  SUBNET   its IPv4 network, /8 to /30 (e.g. 10.26.0.0/24)\n"
     "  -o FILE  write the new network there (a new file, mode 0600), not to stdout\n"
     "  FILE     the network file that init wrote\n"
     "  -c CONTROLLER_CERTIFICATE\n"
     "           the enrollment controller's certificate (base64, a file, or -\n"
     "           for stdin): valid in the network, with the rendezvous flag\n"
     "  -e CONTROLLER_ENDPOINT\n"
     "           where new nodes reach the controller: IPv4:PORT or [IPv6]:PORT\n"
     "  -d DAYS  how long the token is valid, 1 to 3650 (default 7)\n"
     "  -u USES  how many nodes it may enroll, 1 to 65535 (default 1)\n"
     "\nThe network file holds the network's signing key: keep it secret.\n"},
    {"cert", cert_main, "sign a node certificate (sign) or print one (show)",
     "cert sign -N NETWORK_FILE -n NODE_ID -k PUBLIC_KEY [-d DAYS] [-f FLAGS] [-r REGISTRY]\n"
     "cert show [--json] [-N NETWORK_FILE] CERTIFICATE|FILE|-\n",
     "  -N NETWORK_FILE  the network file (tunctl network init); with show, the\n"
     "                   signature is checked against it\n"
     "  -n NODE_ID       the node's address, in the network's subnet\n"
     "  -k PUBLIC_KEY    the node's public key (tunctl pubkey)\n"
     "  -d DAYS          validity, 1 to 36500 (default 365)\n"
     "  -f FLAGS         a comma-separated list of: relay, rendezvous\n"
     "  -r REGISTRY      an enrollment controller's registry\n"
     "                   (STATE_DIR/IFNAME.registry): the ID becomes the key's\n"
     "                   there, never given to another node; refused if another\n"
     "                   key holds it\n"
     "  --json           with show: print it as JSON\n"
     "\nsign prints the certificate in base64; show takes it in base64, from a\n"
     "file, or from stdin (-).\n"},
    {"help", help_main, "show the usage of a command, or this list", "help [COMMAND]\n", ""},
};

#define SUBCOMMAND_COUNT (sizeof(subcommands) / sizeof(subcommands[0]))

static const struct subcommand *find_subcommand(const char *name)
{
	for (size_t i = 0; i < SUBCOMMAND_COUNT; i++)
		if (strcmp(subcommands[i].name, name) == 0)
			return &subcommands[i];
	return NULL;
}

static size_t word_len(const char *text, size_t len)
{
	const char *space = memchr(text, ' ', len);

	return space ? (size_t)(space - text) : len;
}

/* The leading words of a form that name the command ("cert sign"), so
 * that folded options line up after them. */
static size_t command_words_len(const char *form, size_t len)
{
	size_t end = 0, start = 0, word;

	while (start < len) {
		word = word_len(form + start, len - start);
		if (strspn(form + start, "abcdefghijklmnopqrstuvwxyz") < word)
			break;
		end = start + word;
		start = end + 1;
	}
	return end;
}

/* What must not be folded: a word, an option with its argument ("-c
 * COUNT") or a bracketed group ("[-d DAYS]"). */
static size_t unit_len(const char *form, size_t len)
{
	size_t used = word_len(form, len), next;

	if (form[0] == '[') {
		while (form[used - 1] != ']' && used < len)
			used += 1 + word_len(form + used + 1, len - used - 1);
	} else if (form[0] == '-' && used < len) {
		next = word_len(form + used + 1, len - used - 1);
		if (form[used + 1] != '-' && form[used + 1] != '[')
			used += 1 + next;
	}
	return used;
}

/* One form, "usage: tunctl ..." or "       tunctl ...", folded before
 * USAGE_WIDTH columns. */
static void print_form(FILE *out, const char *lead, const char *form, size_t len)
{
	size_t indent = strlen(lead) + strlen(prog) + 1 + command_words_len(form, len) + 1;
	size_t column = (size_t)fprintf(out, "%s%s", lead, prog);

	while (len > 0) {
		size_t unit = unit_len(form, len);

		if (column + 1 + unit >= USAGE_WIDTH && column > indent)
			column = (size_t)fprintf(out, "\n%*s", (int)indent - 1, "") - 1;
		column += (size_t)fprintf(out, " %.*s", (int)unit, form);
		form += unit + (unit < len);
		len -= unit + (unit < len);
	}
	fputc('\n', out);
}

/* The forms; a help also says what the command is for, and its details. */
static void print_usage(FILE *out, const struct subcommand *cmd, bool help)
{
	const char *form = cmd->usage;

	for (int n = 0; *form; n++) {
		size_t len = strcspn(form, "\n");

		print_form(out, n ? "       " : "usage: ", form, len);
		form += len + (form[len] == '\n');
	}
	if (!help)
		return;
	fprintf(out, "\n%c%s.\n%s%s", toupper((unsigned char)cmd->summary[0]), cmd->summary + 1,
		*cmd->details ? "\n" : "", cmd->details);
}

int usage_error(const char *command)
{
	const struct subcommand *cmd = find_subcommand(command);

	if (cmd)
		print_usage(stderr, cmd, false);
	return 1;
}

static void overview(FILE *out)
{
	fprintf(out,
		"usage: %s [-i IFNAME | -s SOCKET] <command> [<args>]\n"
		"       %s --version\n\ncommands:\n",
		prog, prog);
	for (size_t i = 0; i < SUBCOMMAND_COUNT; i++)
		fprintf(out, "  %-8s %s\n", subcommands[i].name, subcommands[i].summary);
	fprintf(out,
		"\nWith no -i or -s, %s talks to the only vpnd running.\n"
		"'%s help <command>' or '%s <command> --help' tells more.\n",
		prog, prog, prog);
}

/* tunctl help [COMMAND] */
static int help_main(int argc, char **argv)
{
	const struct subcommand *cmd;

	if (argc == 1) {
		overview(stdout);
		return 0;
	}
	if (argc != 2)
		return usage_error("help");
	cmd = find_subcommand(argv[1]);
	if (!cmd) {
		fprintf(stderr, "%s: unknown command '%s'; '%s help' lists them\n", prog, argv[1],
			prog);
		return 1;
	}
	print_usage(stdout, cmd, true);
	return 0;
}

/* "--help" anywhere among a command's arguments, or "-h" first. */
static bool asks_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0)
			return true;
	return argc > 1 && strcmp(argv[1], "-h") == 0;
}

int main(int argc, char **argv)
{
	const struct subcommand *cmd;
	int i = 1;

	for (; i + 1 < argc && argv[i][0] == '-'; i += 2) {
		if (strcmp(argv[i], "-i") == 0)
			tunctl_target.ifname = argv[i + 1];
		else if (strcmp(argv[i], "-s") == 0)
			tunctl_target.socket = argv[i + 1];
		else
			break;
	}
	if (i < argc && strcmp(argv[i], "--version") == 0) {
		printf("%s %s\n", prog, VPND_VERSION);
		return 0;
	}
	if (i >= argc || strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
		overview(i >= argc ? stderr : stdout);
		return i >= argc ? 1 : 0;
	}
	cmd = find_subcommand(argv[i]);
	if (!cmd) {
		fprintf(stderr, "%s: unknown command '%s'\n\n", prog, argv[i]);
		overview(stderr);
		return 1;
	}
	if (asks_help(argc - i, argv + i)) {
		print_usage(stdout, cmd, true);
		return 0;
	}
	if (crypto_init()) {
		fprintf(stderr, "%s: cannot initialise the random number generator\n", prog);
		return 1;
	}
	return cmd->run(argc - i, argv + i);
}
