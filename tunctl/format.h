/* Small helpers for tunctl's human output and key input. */
#ifndef TUNCTL_FORMAT_H
#define TUNCTL_FORMAT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <stdbool.h>

bool has_flag(int argc, char **argv, const char *flag);
/* The word after "name" among the arguments (argv[0] is the subcommand), or NULL. */
const char *option_value(int argc, char **argv, const char *name);
void format_bytes(char *buf, size_t len, uint64_t bytes);
void format_ago(char *buf, size_t len, time_t then, time_t now);
/* Reads one base64 key of key_len bytes from stdin; -1 with a message if not. */
int read_key_stdin(uint8_t *key, size_t key_len, const char *what);

struct cert;
/* A certificate given inline (base64), in a file, or on stdin ("-"). */
int read_certificate_arg(const char *arg, struct cert *cert);

#endif
