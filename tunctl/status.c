/* tunctl status [--json]: this node as its daemon sees it. */
#include <stdio.h>

#include "client.h"
#include "format.h"

static const char *field(json_object *obj, const char *name)
{
	json_object *value;

	return json_object_object_get_ex(obj, name, &value) ? json_object_get_string(value) : "?";
}

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
		       field(reply, "interface"), field(reply, "node_id"), field(reply, "network"),
		       field(reply, "subnet"), field(reply, "public_key"),
		       field(reply, "listen_port"), field(reply, "mtu"),
		       field(reply, "peer_count"));
	json_object_put(reply);
	return 0;
}
