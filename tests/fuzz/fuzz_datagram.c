/* Any datagram on the UDP socket: header, handshake and transport decoding. */
#include <arpa/inet.h>

#include "fuzz_device.h"
#include "core/receive.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t buf[DEVICE_BUFFER_LEN];
	struct device *dev = fuzz_device();
	union endpoint src = {.in = {.sin_family = AF_INET, .sin_port = htons(9)}};

	if (size > sizeof(buf))
		return 0;
	memcpy(buf, data, size);
	receive_datagram(dev, buf, size, &(struct origin){.endpoint = &src, .fd = -1});
	return 0;
}
