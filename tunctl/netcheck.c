/* tunctl netcheck [--json]: what the network does to this node (NAT type,
 * reflexive addresses, port behaviour, the gateway's port mapping), from a
 * fresh check by the daemon. */
#include <json-c/json.h>
#include <stdio.h>
#include <time.h>

#include "client.h"
#include "format.h"

/* Which protocol the gateway answered, and what it gave. */
static void print_portmap(json_object *report)
{
	json_object *portmap, *mapped;

	if (!json_object_object_get_ex(report, "portmap", &portmap))
		return;
	if (!json_object_get_boolean(json_object_object_get(portmap, "enabled")))
		printf("port mapping:     off\n");
	else if (!json_object_object_get_ex(portmap, "mapped", &mapped))
		printf("port mapping:     not asked yet\n");
	else if (!json_object_get_boolean(mapped))
		printf("port mapping:     none (%s)\n", json_text(portmap, "why", "?"));
	else
		printf("port mapping:     %s gives %s (gateway %s, lifetime %s s, renewed %s times)\n",
		       json_text(portmap, "protocol", "?"), json_text(portmap, "external", "?"),
		       json_text(portmap, "gateway", "?"), json_text(portmap, "lifetime", "?"),
		       json_text(portmap, "renewals", "?"));
}

static void print_report(json_object *report)
{
	json_object *servers;

	printf("UDP:              %s\nNAT mapping:      %s (%s)\nport preserved:   %s\n"
	       "port spread:      %s\nIPv6:             %s\nservers:\n",
	       json_text(report, "udp", "?"), json_text(report, "mapping", "?"),
	       json_text(report, "nat", "?"), json_text(report, "port_preserved", "?"),
	       json_text(report, "port_spread", "?"), json_text(report, "ipv6", "?"));
	print_portmap(report);
	if (!json_object_object_get_ex(report, "servers", &servers))
		return;
	for (size_t i = 0; i < json_object_array_length(servers); i++) {
		json_object *server = json_object_array_get_idx(servers, i);

		printf("  %-24s sees us as %-24s %s%s\n", json_text(server, "server", "?"),
		       json_text(server, "mapped", "(no answer)"), json_text(server, "rtt_ms", ""),
		       json_object_object_get_ex(server, "rtt_ms", NULL) ? " ms" : "");
	}
}

int netcheck_main(int argc, char **argv)
{
	json_object *started, *report, *timeout;
	struct timespec wait = {0};
	long ms = 1000;

	if (argc > 2 || (argc == 2 && !has_flag(argc, argv, "--json")))
		return usage_error("netcheck");
	started = client_request(&tunctl_target, "netcheck");
	if (!started)
		return 1;
	if (json_object_object_get_ex(started, "timeout_ms", &timeout))
		ms = json_object_get_int(timeout);
	json_object_put(started);
	ms += 200; /* a little past the daemon's deadline */
	wait.tv_sec = ms / 1000;
	wait.tv_nsec = (ms % 1000) * 1000000;
	nanosleep(&wait, NULL);
	report = client_request(&tunctl_target, "netcheck_result");
	if (!report)
		return 1;
	if (has_flag(argc, argv, "--json"))
		puts(json_object_to_json_string_ext(report, JSON_C_TO_STRING_PRETTY));
	else
		print_report(report);
	json_object_put(report);
	return 0;
}
