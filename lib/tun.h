/* The TUN device: open by name, nothing else (netlink.c configures it). */
#ifndef VPND_TUN_H
#define VPND_TUN_H

/* Returns a non-blocking fd, -EEXIST if an interface of that name exists. */
int tun_open(const char *name);

#endif
