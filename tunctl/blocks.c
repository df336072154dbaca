/*
 * tunctl block ENTRY, unblock ENTRY, blocks [--json]: the daemon's
 * blocklist, where ENTRY is a node ID or a base64 public key. A change is
 * kept in the daemon's state directory and applies at once.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "client.h"

static int change(int argc, char **argv, const char *command)
{
	json_object *request, *changed, *reply;
	bool did;

	if (argc != 2 || argv[1][0] == '-')
		return usage_error(command);
	request = json_object_new_object();
	json_object_object_add(request, "command", json_object_new_string(command));
	json_object_object_add(request, "entry", json_object_new_string(argv[1]));
	reply = client_call(&tunctl_target, request);
	if (!reply)
		return 1;
	did = json_object_object_get_ex(reply, "changed", &changed) &&
	      json_object_get_boolean(changed);
	if (strcmp(command, "block") == 0)
		printf("%s: %s\n", argv[1], did ? "blocked" : "was blocked already");
	else
		printf("%s: %s\n", argv[1], did ? "unblocked" : "was not blocked");
	json_object_put(reply);
	return 0;
}

int block_main(int argc, char **argv)
{
	return change(argc, argv, "block");
}

int unblock_main(int argc, char **argv)
{
	return change(argc, argv, "unblock");
}

int blocks_main(int argc, char **argv)
{
	bool json = argc == 2 && strcmp(argv[1], "--json") == 0;
	json_object *reply, *list;

	if (argc > 2 || (argc == 2 && !json))
		return usage_error("blocks");
	reply = client_request(&tunctl_target, "blocks");
	if (!reply)
		return 1;
	if (json) {
		puts(json_object_to_json_string_ext(reply, JSON_C_TO_STRING_PRETTY));
	} else if (json_object_object_get_ex(reply, "blocks", &list)) {
		size_t count = json_object_array_length(list);

		if (count == 0)
			puts("nothing is blocked");
		for (size_t i = 0; i < count; i++) {
			json_object *item = json_object_array_get_idx(list, i), *drops;

			json_object_object_get_ex(item, "drops", &drops);
			printf("%-44s  %-4s  %lld packets dropped\n", json_text(item, "entry", "?"),
			       json_text(item, "kind", "?"), (long long)json_object_get_int64(drops));
		}
	}
	json_object_put(reply);
	return 0;
}
