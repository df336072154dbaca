/* Any request line on the control socket. */
#include "ctl/control.h"
#include "fuzz_device.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = malloc(size + 1);

	memcpy(line, data, size);
	line[size] = '\0';
	json_object_put(control_handle_request(line, fuzz_device(), CONTROL_ADMIN));
	free(line);
	return 0;
}
