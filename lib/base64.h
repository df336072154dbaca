/* Standard base64 (RFC 4648, with padding) for keys and certificates. */
#ifndef VPND_BASE64_H
#define VPND_BASE64_H

#include <stddef.h>
#include <stdint.h>

#define BASE64_LEN(n) ((((n) + 2) / 3) * 4)

/* Writes BASE64_LEN(len) characters and a NUL; dst must hold one more. */
void base64_encode(char *dst, const uint8_t *src, size_t len);
/* Decodes a whole string; returns the decoded length or -1 if invalid or
 * larger than max_len. */
long base64_decode(uint8_t *dst, size_t max_len, const char *src);
/* Decodes exactly len bytes; -1 otherwise. */
int base64_decode_exact(uint8_t *dst, size_t len, const char *src);

#endif
