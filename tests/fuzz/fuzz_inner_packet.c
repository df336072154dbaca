/* Decrypted plaintexts: IP packet, control message or keepalive. */
#include <stdlib.h>

#include "packet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct inner_packet p = packet_classify(data, size);

	if ((p.kind == INNER_IPV4 || p.kind == INNER_IPV6) && p.length > size)
		abort(); /* a length past the buffer would be written to the TUN */
	return 0;
}
