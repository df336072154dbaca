/*
 * The TUN device: open by name, nothing else (netlink.c configures it).
 * Every packet read or written is preceded by a virtio-net header (vnet.h):
 * the kernel hands us TCP and UDP super-packets of up to 64 KiB, leaves
 * transport checksums to us, and takes merged TCP segments back.
 */
#ifndef VPND_TUN_H
#define VPND_TUN_H

/* Returns a non-blocking fd, -EEXIST if an interface of that name exists.
 * offloads tells which TUN_F_* the kernel took. */
int tun_open(const char *name, unsigned int *offloads);

#endif
