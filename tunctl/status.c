/* tunctl status [--json]: this node as its daemon sees it. */
#include <stdio.h>
#include <string.h>

#include "client.h"
#include "format.h"

/* "offload: TUN csum tso4, UDP gso gro" and what went through them. */
static void print_offload(json_object *reply)
{
	json_object *offload, *tun;

	if (!json_object_object_get_ex(reply, "offload", &offload) ||
	    !json_object_object_get_ex(offload, "tun", &tun))
		return;
	printf("  offload: TUN");
	for (size_t i = 0; i < json_object_array_length(tun); i++)
		printf(" %s", json_object_get_string(json_object_array_get_idx(tun, i)));
	printf("%s, UDP%s%s; crypto workers: %s\n", json_object_array_length(tun) ? "" : " none",
	       strcmp(json_text(offload, "udp_gso", ""), "true") ? "" : " gso",
	       strcmp(json_text(offload, "udp_gro", ""), "true") ? "" : " gro",
	       json_text(offload, "workers", "?"));
	printf("  offloaded: %s super-packets read (%s packets), %s trains sent (%s datagrams),\n"
	       "             %s merged writes (%s packets)\n",
	       json_text(offload, "super_packets", "?"), json_text(offload, "super_segments", "?"),
	       json_text(offload, "trains", "?"), json_text(offload, "train_datagrams", "?"),
	       json_text(offload, "merged_writes", "?"),
	       json_text(offload, "merged_segments", "?"));
}

/* "control messages: certificate 2, probe 40, ...; refused: links 1". */
static void print_control(json_object *reply)
{
	json_object *control;
	const char *sep = "";

	if (!json_object_object_get_ex(reply, "control", &control))
		return;
	printf("  control messages:");
	json_object_object_foreach(control, name, counts)
	{
		const char *received = json_text(counts, "received", "0");

		if (strcmp(received, "0")) {
			printf("%s %s %s", sep, name, received);
			sep = ",";
		}
	}
	sep = "; refused:";
	json_object_object_foreach(control, refused_name, refused_counts)
	{
		const char *refused = json_text(refused_counts, "refused", "0");

		if (strcmp(refused, "0")) {
			printf("%s %s %s", sep, refused_name, refused);
			sep = ",";
		}
	}
	printf("\n");
}

int status_main(int argc, char **argv)
{
	json_object *reply;

	if (argc > 2 || (argc == 2 && !has_flag(argc, argv, "--json")))
		return usage_error("status");
	reply = client_request(&tunctl_target, "status");
	if (!reply)
		return 1;
	if (has_flag(argc, argv, "--json")) {
		puts(json_object_to_json_string_ext(reply, JSON_C_TO_STRING_PRETTY));
	} else {
		printf("interface: %s\n  node id: %s\n  network: %s (%s)\n  public key: %s\n"
		       "  listening port: %s\n  mtu: %s\n  peers: %s\n",
		       json_text(reply, "interface", "?"), json_text(reply, "node_id", "?"),
		       json_text(reply, "network", "?"), json_text(reply, "subnet", "?"),
		       json_text(reply, "public_key", "?"), json_text(reply, "listen_port", "?"),
		       json_text(reply, "mtu", "?"), json_text(reply, "peer_count", "?"));
		print_offload(reply);
		print_control(reply);
	}
	json_object_put(reply);
	return 0;
}
