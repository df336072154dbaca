/*
 * Secrets kept in files of their own (private_key_file, secret_file), as
 * systemd's LoadCredential= hands them over: a relative path names a file
 * in $CREDENTIALS_DIRECTORY when systemd set it, else next to the file
 * that names it. A file holding a secret must not be readable by group or
 * others.
 */
#ifndef VPND_SECRET_FILE_H
#define VPND_SECRET_FILE_H

#include <stdbool.h>
#include <stddef.h>

/* What vpnd@.service hands over (SetCredential=) when the file it loads a
 * credential from (LoadCredential=) does not exist: read as that error. */
#define SECRET_FILE_UNIT_MISSING "vpnd-credential-missing"

/* Reads the secret's text (surrounding whitespace trimmed) into text (len
 * bytes); refuses a file that group or others may read. Returns 0, or -1
 * with why (the path it tried, and what is wrong). */
int secret_file_read(const char *path, const char *named_in, char *text, size_t len, char *why,
		     size_t why_len);
/* A path as the file named_in means it: absolute as it is, relative beside
 * named_in (never in the credentials directory). 0, or -1 if too long. */
int secret_file_beside(const char *path, const char *named_in, char *out, size_t len);
/* Whether group or others may read the file; its mode in *mode. False when
 * it cannot be examined. */
bool secret_file_exposed(const char *path, unsigned int *mode);

#endif
