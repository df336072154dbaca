/* Opening a TUN device (layer 3, virtio-net header, offloads). */
#include "tun.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "vnet.h"

/* The most the kernel may give us, then less: USO needs Linux 6.2. */
static const unsigned int offload_choices[] = {
    TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 | TUN_F_USO4 | TUN_F_USO6,
    TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6,
    0,
};

static unsigned int set_offloads(int fd)
{
	for (size_t i = 0; i < sizeof(offload_choices) / sizeof(offload_choices[0]); i++)
		if (ioctl(fd, TUNSETOFFLOAD, (unsigned long)offload_choices[i]) == 0)
			return offload_choices[i];
	return 0;
}

int tun_open(const char *name, unsigned int *offloads)
{
	struct ifreq ifr;
	int fd, err;

	/* Never take over somebody else's (persistent) interface. */
	if (if_nametoindex(name))
		return -EEXIST;
	fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI | IFF_VNET_HDR;
	strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		err = -errno;
		close(fd);
		return err;
	}
	*offloads = set_offloads(fd);
	return fd;
}
