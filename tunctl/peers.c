/* tunctl peers [--json]: one line per peer, with its drops by reason. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "client.h"
#include "format.h"

static int64_t number_of(json_object *obj, const char *name)
{
	json_object *value;

	return json_object_object_get_ex(obj, name, &value) ? json_object_get_int64(value) : 0;
}

/* "replay=3 bad_source=1", or "-" when nothing was dropped. */
static void format_drops(char *buf, size_t len, json_object *peer)
{
	json_object *drops;
	size_t used = 0;

	buf[0] = '\0';
	if (json_object_object_get_ex(peer, "drops", &drops)) {
		json_object_object_foreach(drops, reason, count)
		{
			if (json_object_get_int64(count) && used < len)
				used += (size_t)snprintf(buf + used, len - used, "%s%s=%lld",
							 used ? " " : "", reason,
							 (long long)json_object_get_int64(count));
		}
	}
	if (!used)
		snprintf(buf, len, "-");
}

/* "direct", "direct tcp" or "relay 10.26.0.254"; with the peer's NAT type
 * when known. */
static void format_path(char *buf, size_t len, json_object *peer)
{
	const char *kind = json_text(peer, "path", ""), *nat = json_text(peer, "nat", "");
	const char *known = strcmp(nat, "unknown") && *nat ? nat : NULL;
	const char *tcp = strcmp(json_text(peer, "transport", ""), "tcp") ? "" : " tcp";

	if (strcmp(kind, "relay") == 0)
		snprintf(buf, len, "relay %s%s%s", json_text(peer, "relay", ""), known ? ", " : "",
			 known ? known : "");
	else
		snprintf(buf, len, "%s%s%s%s", kind, tcp, known ? ", " : "", known ? known : "");
}

static void print_peer(json_object *peer, time_t now)
{
	char ago[32], rx[32], tx[32], drops[256], path[48];

	format_ago(ago, sizeof(ago), (time_t)number_of(peer, "last_handshake"), now);
	format_bytes(rx, sizeof(rx), (uint64_t)number_of(peer, "rx_bytes"));
	format_bytes(tx, sizeof(tx), (uint64_t)number_of(peer, "tx_bytes"));
	format_drops(drops, sizeof(drops), peer);
	format_path(path, sizeof(path), peer);
	printf("%-15s %-22s %-29s %-9s %-12s %-10s %-11s %-11s %s\n",
	       json_text(peer, "node_id", ""), json_text(peer, "endpoint", ""), path,
	       json_text(peer, "kind", ""), json_text(peer, "certificate", ""), ago, rx, tx, drops);
}

int peers_main(int argc, char **argv)
{
	json_object *reply, *peers;
	time_t now = time(NULL);

	if (argc > 2 || (argc == 2 && !has_flag(argc, argv, "--json")))
		return usage_error("peers");
	reply = client_request(&tunctl_target, "peers");
	if (!reply)
		return 1;
	if (has_flag(argc, argv, "--json")) {
		puts(json_object_to_json_string_ext(reply, JSON_C_TO_STRING_PRETTY));
	} else if (json_object_object_get_ex(reply, "peers", &peers)) {
		printf("%-15s %-22s %-29s %-9s %-12s %-10s %-11s %-11s %s\n", "NODE ID", "ENDPOINT",
		       "PATH", "KIND", "CERTIFICATE", "HANDSHAKE", "RX", "TX", "DROPS");
		for (size_t i = 0; i < json_object_array_length(peers); i++)
			print_peer(json_object_array_get_idx(peers, i), now);
		if (json_object_array_length(peers) == 0)
			printf("(no peers)\n");
	}
	json_object_put(reply);
	return 0;
}
