/* tunctl pin PEER auto|direct|relay|via NODE: overrides the path selector
 * for one peer until pinned to auto again (or the daemon restarts). */
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "client.h"

int pin_main(int argc, char **argv)
{
	bool via = argc == 4 && strcmp(argv[2], "via") == 0;
	json_object *request, *reply;

	if (argc != 3 && !via)
		return usage_error("pin");
	request = json_object_new_object();
	json_object_object_add(request, "command", json_object_new_string("pin"));
	json_object_object_add(request, "peer", json_object_new_string(argv[1]));
	json_object_object_add(request, "mode", json_object_new_string(argv[2]));
	if (via)
		json_object_object_add(request, "via", json_object_new_string(argv[3]));
	reply = client_call(&tunctl_target, request);
	if (!reply)
		return 1;
	printf("%s: %s\n", argv[1],
	       *json_text(reply, "route", "") ? json_text(reply, "route", "") : "no route yet");
	json_object_put(reply);
	return 0;
}
