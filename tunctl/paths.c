/* tunctl paths PEER [--json]: every route to a peer the daemon knows, with
 * its cost and what was measured, which one is in use and why. */
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "client.h"
#include "format.h"

/* "12.34 ms", or "-" for a null or absent value. */
static void format_ms(char *buf, size_t len, json_object *obj, const char *name)
{
	json_object *value;

	if (json_object_object_get_ex(obj, name, &value) && value)
		snprintf(buf, len, "%.2f ms", json_object_get_double(value));
	else
		snprintf(buf, len, "-");
}

static void print_candidate(json_object *candidate)
{
	char cost[24], rtt[24], min_rtt[24];
	json_object *chosen, *loss;

	format_ms(cost, sizeof(cost), candidate, "cost_ms");
	format_ms(rtt, sizeof(rtt), candidate, "rtt_ms");
	format_ms(min_rtt, sizeof(min_rtt), candidate, "min_rtt_ms");
	json_object_object_get_ex(candidate, "chosen", &chosen);
	json_object_object_get_ex(candidate, "loss", &loss);
	printf("%s %-34s %-11s %-11s %-11s %4.0f%%  %s\n",
	       json_object_get_boolean(chosen) ? "*" : " ", json_text(candidate, "route", "?"),
	       cost, rtt, min_rtt, json_object_get_double(loss) * 100,
	       json_text(candidate, "state", "?"));
}

static void print_paths(json_object *reply)
{
	const char *why_not = json_text(reply, "why_not_direct", "");
	json_object *candidates;

	printf("peer %s: %s, mtu %s, pin %s, %s route changes\n", json_text(reply, "peer", "?"),
	       *json_text(reply, "route", "") ? json_text(reply, "route", "") : "no route yet",
	       json_text(reply, "mtu", "?"), json_text(reply, "pin", "?"),
	       json_text(reply, "switches", "0"));
	printf("  why: %s\n", json_text(reply, "reason", "-"));
	if (*why_not)
		printf("  not direct: %s\n", why_not);
	printf("\n  %-34s %-11s %-11s %-11s %5s  %s\n", "ROUTE", "COST", "RTT", "MIN RTT", "LOSS",
	       "STATE");
	if (!json_object_object_get_ex(reply, "candidates", &candidates))
		return;
	for (size_t i = 0; i < json_object_array_length(candidates); i++)
		print_candidate(json_object_array_get_idx(candidates, i));
	printf("\n  (RTT, loss and state are of the first link)\n");
}

int paths_main(int argc, char **argv)
{
	bool json = has_flag(argc, argv, "--json");
	json_object *request, *reply;

	if (argc != 2 + json || argv[1][0] == '-')
		return usage_error("paths");
	request = json_object_new_object();
	json_object_object_add(request, "command", json_object_new_string("paths"));
	json_object_object_add(request, "peer", json_object_new_string(argv[1]));
	reply = client_call(&tunctl_target, request);
	if (!reply)
		return 1;
	if (json)
		puts(json_object_to_json_string_ext(reply, JSON_C_TO_STRING_PRETTY));
	else
		print_paths(reply);
	json_object_put(reply);
	return 0;
}
