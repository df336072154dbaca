/*
 * Any datagram on the UDP socket: header, handshake and transport decoding.
 * A mutated handshake message almost never carries a valid mac1 (it is
 * keyed by the responder's public key, which anyone knows): the harness
 * computes it after mutating, as any sender can, so that the fuzzer gets
 * past the gate into handshake parsing.
 */
#include <arpa/inet.h>

#include "fuzz_device.h"
#include "core/receive.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* mac1 (and a zero mac2) as a sender would compute them. */
static void add_mac1(struct device *dev, uint8_t *buf, size_t size)
{
	struct cookie cookie;

	if (size != MESSAGE_INITIATION_LEN && size != MESSAGE_RESPONSE_LEN)
		return;
	cookie_init(&cookie, dev->identity.static_public);
	cookie_add_macs(&cookie, buf, size, 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t buf[DEVICE_BUFFER_LEN];
	struct device *dev = fuzz_device();
	union endpoint src = {.in = {.sin_family = AF_INET, .sin_port = htons(9)}};

	if (size > sizeof(buf))
		return 0;
	memcpy(buf, data, size);
	add_mac1(dev, buf, size);
	receive_datagram(dev, buf, size, &(struct origin){.endpoint = &src, .fd = -1});
	return 0;
}
