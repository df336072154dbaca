/* tunctl ping PEER [-c COUNT] [--json]: a probe along the route the daemon
 * chose, and which way the answer came back, like tailscale ping. */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "client.h"
#include "format.h"

enum { POLL_MS = 10, PAUSE_MS = 500 };

static void sleep_ms(long ms)
{
	struct timespec wait = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000};

	nanosleep(&wait, NULL);
}

static json_object *peer_request(const char *command, const char *peer)
{
	json_object *request = json_object_new_object();

	json_object_object_add(request, "command", json_object_new_string(command));
	json_object_object_add(request, "peer", json_object_new_string(peer));
	return request;
}

/* One probe; the result, answered or not, or NULL when it could not go. */
static json_object *ping_once(const char *peer)
{
	json_object *started = client_call(&tunctl_target, peer_request("ping", peer)), *timeout;
	long waited = 0, limit = 1000;

	if (!started)
		return NULL;
	if (json_object_object_get_ex(started, "timeout_ms", &timeout))
		limit = json_object_get_int(timeout);
	json_object_put(started);
	for (;;) {
		json_object *result =
		    client_call(&tunctl_target, peer_request("ping_result", peer));
		json_object *answered;

		if (!result ||
		    (json_object_object_get_ex(result, "answered", &answered) &&
		     json_object_get_boolean(answered)) ||
		    waited >= limit)
			return result;
		json_object_put(result);
		sleep_ms(POLL_MS);
		waited += POLL_MS;
	}
}

static bool print_result(json_object *result, const char *peer, bool json)
{
	json_object *answered, *rtt;
	bool ok = json_object_object_get_ex(result, "answered", &answered) &&
		  json_object_get_boolean(answered);
	double ms =
	    json_object_object_get_ex(result, "rtt_ms", &rtt) ? json_object_get_double(rtt) : 0;

	if (json)
		puts(json_object_to_json_string_ext(result, JSON_C_TO_STRING_PLAIN));
	else if (!ok)
		printf("no answer from %s\n", peer);
	else if (!strcmp(json_text(result, "path", ""), "direct"))
		printf("pong from %s via %s (direct) in %.2f ms\n", peer,
		       json_text(result, "endpoint", "?"), ms);
	else
		printf("pong from %s via relay %s in %.2f ms\n", peer,
		       json_text(result, "relay", "?"), ms);
	return ok;
}

int ping_main(int argc, char **argv)
{
	const char *count_text = option_value(argc, argv, "-c");
	bool json = has_flag(argc, argv, "--json");
	int count = count_text ? atoi(count_text) : 1, answers = 0;

	if (argc != 2 + json + (count_text ? 2 : 0) || argv[1][0] == '-' || count < 1)
		return usage_error("ping");
	for (int i = 0; i < count; i++) {
		json_object *result = ping_once(argv[1]);

		if (!result)
			return 1;
		answers += print_result(result, argv[1], json);
		json_object_put(result);
		if (i + 1 < count)
			sleep_ms(PAUSE_MS);
	}
	return answers ? 0 : 1;
}
