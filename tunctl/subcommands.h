/* tunctl's subcommands, one file each, in the manner of wg(8). */
#ifndef TUNCTL_SUBCOMMANDS_H
#define TUNCTL_SUBCOMMANDS_H

#include <stdbool.h>

/* Which daemon to talk to: -i IFNAME or -s SOCKET, before the subcommand. */
struct target {
	const char *ifname;
	const char *socket;
};

extern struct target tunctl_target;
extern const char *prog;

/* Prints the command's usage (from the table in tunctl.c) to stderr and
 * returns 1, the exit status of bad arguments. */
int usage_error(const char *command);

int genkey_main(int argc, char **argv);
int pubkey_main(int argc, char **argv);
int network_main(int argc, char **argv);
int cert_main(int argc, char **argv);
int status_main(int argc, char **argv);
int peers_main(int argc, char **argv);
int netcheck_main(int argc, char **argv);
int paths_main(int argc, char **argv);
int ping_main(int argc, char **argv);
int pin_main(int argc, char **argv);
int block_main(int argc, char **argv);
int unblock_main(int argc, char **argv);
int blocks_main(int argc, char **argv);

#endif
