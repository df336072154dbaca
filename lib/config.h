/*
 * The configuration file, parsed into a plain struct with no side effects.
 * Applying it is the daemon's business; printing it back in canonical form
 * is config_print.c's. Errors read "file:line: what is wrong".
 */
#ifndef VPND_CONFIG_H
#define VPND_CONFIG_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/un.h>

#include "addr.h"
#include "cert.h"
#include "log.h"
#include "network.h"

enum config_defaults {
	CONFIG_DEFAULT_MTU = 1420,
	CONFIG_DEFAULT_PORT = 51820,
	CONFIG_MIN_MTU = 576,
	CONFIG_MAX_MTU = 65535 - 80,
	CONFIG_MAX_WORKERS = 8,
	CONFIG_ERROR_LEN = 512,
	CONFIG_GROUP_LEN = 32,
	CONFIG_MAX_STUN_SERVERS = 4,
	CONFIG_DEFAULT_PUNCH_SOCKETS = 256,
	CONFIG_DEFAULT_PUNCH_PROBES = 2048,
	CONFIG_DEFAULT_PUNCH_RATE = 2000,
	CONFIG_DEFAULT_BEACON_PORT = 51821,
};

#define CONFIG_DEFAULT_IFNAME "vpn0"
#define CONFIG_SOCKET_DIR "/run/vpnd"
#define CONFIG_STATE_DIR "/var/lib/vpnd"

struct config_peer {
	struct in_addr node_id;
	uint8_t public_key[X25519_KEY_LEN];
	union endpoint endpoint; /* sa_family 0: none known (yet) */
	char endpoint_host[ENDPOINT_NAME_MAX + 1]; /* named by DNS: resolved by vpnd */
	uint16_t endpoint_port;
	bool wireguard;		 /* a plain WireGuard peer: no certificate */
	bool rendezvous;	 /* register with it; it introduces and relays */
	bool from_token;	 /* the enrollment controller, added from the token */
	uint16_t persistent_keepalive;
};

/* How the gateway is asked for a port mapping (portmap = { protocols }). */
enum portmap_protocol { PORTMAP_PCP, PORTMAP_NATPMP, PORTMAP_UPNP, PORTMAP_PROTOCOLS };

const char *portmap_protocol_name(enum portmap_protocol protocol);

struct config {
	char path[256];
	char ifname[IFNAMSIZ];
	uint16_t mtu;
	uint16_t listen_port;
	int workers; /* crypto threads besides the event loop; -1: one per CPU beyond two */
	uint8_t private_key[X25519_KEY_LEN];
	char private_key_file[200]; /* where the key came from, if not given inline */
	uint8_t public_key[X25519_KEY_LEN];
	struct cert cert;
	bool has_cert; /* false while a node is still to enroll */
	struct network_config network;
	/* Enrolling with a join token (instead of an offline certificate). */
	bool enrolling;
	uint8_t enroll_token[320];
	size_t enroll_token_len;
	struct in_addr enroll_node_id; /* asked for; 0.0.0.0: any */
	struct config_peer *peers;
	size_t peer_count;
	bool rendezvous_enabled;	 /* serve as rendezvous and relay */
	uint16_t rendezvous_second_port; /* answers STUN here too, for NAT detection */
	char network_file[200];		 /* with the signing key: this node enrolls others */
	/* Hole punching budget against a symmetric NAT, per attempt. */
	bool beacon_enabled;  /* announce ourselves to, and hear, members on our links */
	uint16_t beacon_port; /* where beacons go (multicast) and are heard */
	/* Port mapping: the gateway asked to forward a port to ours, by these
	 * protocols in this order (enum portmap_protocol). */
	bool portmap_enabled;
	uint8_t portmap_protocols[PORTMAP_PROTOCOLS];
	size_t portmap_protocol_count;
	uint16_t punch_sockets; /* extra sockets on the symmetric side */
	uint16_t punch_probes;	/* probes to guessed ports from the cone side */
	uint16_t punch_rate;	/* probes per second, at most */
	union endpoint stun_servers[CONFIG_MAX_STUN_SERVERS];
	size_t stun_server_count;
	char state_dir[200]; /* the peer cache lives here */
	char control_socket[sizeof(((struct sockaddr_un *)0)->sun_path)];
	char control_group[CONFIG_GROUP_LEN];
	enum log_level log_level;
};

/* 0 on success; otherwise -1 with err holding "file:line: message". */
int config_load(struct config *cfg, const char *path, char *err, size_t err_len);
int config_load_string(struct config *cfg, const char *text, const char *name, char *err,
		       size_t err_len);
/* Frees the peers and wipes every key and secret. */
void config_free(struct config *cfg);
/* Wipes a network's secret and signing key. */
void network_config_wipe(struct network_config *net);

/* A network file (tunctl network init): the network group with its signing key. */
int network_file_load(struct network_config *net, const char *path, char *err, size_t err_len);

/* Secrets given inline print as "(hidden)" unless show_secrets; those in
 * files print as their *_file setting. */
enum config_print_flags {
	CONFIG_PRINT_SECRETS = 1,     /* keys, network secret and join token */
	CONFIG_PRINT_SIGNING_KEY = 2, /* a network file's signing key, with the secrets */
};
void config_print(const struct config *cfg, FILE *out, unsigned int flags);
void network_config_print(const struct network_config *net, FILE *out, unsigned int flags);

#endif
