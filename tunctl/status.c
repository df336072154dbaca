/* tunctl status [--json]: this node as its daemon sees it. */
#include <stdio.h>

#include "client.h"
#include "format.h"

int status_main(int argc, char **argv)
{
	json_object *reply;

	if (argc > 2 || (argc == 2 && !has_flag(argc, argv, "--json"))) {
		fprintf(stderr, "usage: %s status [--json]\n", prog);
		return 1;
	}
	reply = client_request(&tunctl_target, "status");
	if (!reply)
		return 1;
	if (has_flag(argc, argv, "--json"))
		puts(json_object_to_json_string_ext(reply, JSON_C_TO_STRING_PRETTY));
	else
		printf("interface: %s\n  node id: %s\n  network: %s (%s)\n  public key: %s\n"
		       "  listening port: %s\n  mtu: %s\n  peers: %s\n",
		       json_text(reply, "interface", "?"), json_text(reply, "node_id", "?"),
		       json_text(reply, "network", "?"), json_text(reply, "subnet", "?"),
		       json_text(reply, "public_key", "?"), json_text(reply, "listen_port", "?"),
		       json_text(reply, "mtu", "?"), json_text(reply, "peer_count", "?"));
	json_object_put(reply);
	return 0;
}
