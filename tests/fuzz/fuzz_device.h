/* The harnesses' device (tests/common/test_device.h) with two peers: a vpnd
 * peer and a WireGuard peer. */
#ifndef VPND_FUZZ_DEVICE_H
#define VPND_FUZZ_DEVICE_H

#include "test_device.h"

static struct device *fuzz_device(void)
{
	static struct device *dev;

	if (dev)
		return dev;
	dev = test_device_new();
	test_device_add_peer(dev, 2, false);
	test_device_add_peer(dev, 3, true);
	return dev;
}

#endif
