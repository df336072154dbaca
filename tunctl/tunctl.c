/* tunctl: the table of subcommands and the options that pick a daemon. */
#include <stdio.h>
#include <string.h>

#include "crypto.h"
#include "subcommands.h"

struct target tunctl_target;
const char *prog = "tunctl";

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *help;
} subcommands[] = {
    {"status", status_main, "show this node: node ID, interface, port, public key"},
    {"peers", peers_main, "show peers: endpoints, handshakes, traffic, drops"},
    {"paths", paths_main, "show every route to a peer, its cost, and why one is used"},
    {"ping", ping_main, "probe a peer along its route: which path answered, RTT"},
    {"pin", pin_main, "fix a peer's route: auto, direct, relay, or via a relay"},
    {"block", block_main, "block a node ID or public key: no sessions, relaying, introductions"},
    {"unblock", unblock_main, "take a node ID or public key off the blocklist"},
    {"blocks", blocks_main, "list what is blocked, with the packets dropped for it"},
    {"netcheck", netcheck_main, "check the NAT in front of this node: type, ports, IPv6"},
    {"genkey", genkey_main, "generate a new private key and write it to stdout"},
    {"pubkey", pubkey_main, "read a private key from stdin and write its public key"},
    {"network", network_main, "create a network (init) or print its public part (export)"},
    {"cert", cert_main, "sign a node certificate (sign) or print one (show)"},
};

static void usage(FILE *out)
{
	fprintf(out, "usage: %s [-i IFNAME | -s SOCKET] <command> [<args>]\n\ncommands:\n", prog);
	for (size_t i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		fprintf(out, "  %-8s %s\n", subcommands[i].name, subcommands[i].help);
	fprintf(out,
		"\nstatus and peers take --json. With no -i or -s, tunctl talks to the\n"
		"only vpnd running. '%s <command> --help' tells more.\n",
		prog);
}

int main(int argc, char **argv)
{
	int i = 1;

	for (; i + 1 < argc && argv[i][0] == '-'; i += 2) {
		if (strcmp(argv[i], "-i") == 0)
			tunctl_target.ifname = argv[i + 1];
		else if (strcmp(argv[i], "-s") == 0)
			tunctl_target.socket = argv[i + 1];
		else
			break;
	}
	if (i >= argc || strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0 ||
	    strcmp(argv[i], "help") == 0) {
		usage(i >= argc ? stderr : stdout);
		return i >= argc ? 1 : 0;
	}
	if (crypto_init()) {
		fprintf(stderr, "%s: cannot initialise the random number generator\n", prog);
		return 1;
	}
	for (size_t k = 0; k < sizeof(subcommands) / sizeof(subcommands[0]); k++)
		if (strcmp(argv[i], subcommands[k].name) == 0)
			return subcommands[k].run(argc - i, argv + i);
	fprintf(stderr, "%s: unknown command '%s'\n\n", prog, argv[i]);
	usage(stderr);
	return 1;
}
