/*
 * Enrollment with a join token. The controller (a rendezvous with the
 * network's signing key) checks the token, gives the node an ID — the same
 * one again for the same key, kept in its state directory — and signs its
 * certificate. The node asks before it creates its interface, since the
 * interface's address is the ID.
 */
#ifndef VPND_ENROLL_H
#define VPND_ENROLL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cert.h"

struct device;
struct origin;
struct peer;

enum { ENROLL_TIMEOUT_MS = 15000, ENROLL_VALIDITY_DAYS = 365 };

struct registry;

struct enrollment {
	struct registry *registry; /* the controller's, once opened */
	bool requested;
	bool done;
	bool ok;
	char message[160];
	struct cert cert;
};

int enroll_device_init(struct device *dev);
void enroll_device_free(struct device *dev);
/* A certificate kept from an earlier enrollment, if still good. */
bool enroll_load_cached(struct device *dev);
/* Sends the request once the session with the controller is up; true when
 * an answer came. */
bool enroll_step(struct device *dev);
/* Keeps the new certificate in the state directory and takes it on. */
int enroll_accept(struct device *dev);
void enroll_receive_reply(struct peer *peer, uint8_t *msg, size_t len, const struct origin *from);
/* The controller's side. */
void enroll_serve(struct peer *peer, uint8_t *msg, size_t len, const struct origin *from);

/* A member's certificate, verified: at a controller, the registry holds
 * its ID for its key from now on. */
void enroll_note_certificate(struct device *dev, const struct cert *cert);

#endif
