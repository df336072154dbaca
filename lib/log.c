/*
 * Leveled logging to stderr, in the manner of OpenNTPD's log.c. When stderr
 * is the journal (systemd sets JOURNAL_STREAM to its device and inode), each
 * line starts with its syslog priority, "<3>" to "<7>", which journald
 * takes as the entry's priority (sd-daemon(3)), instead of the level's name.
 */
#include "log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { LOG_LINE_MAX = 2048 };

static enum log_level current_level = LOG_LEVEL_INFO;
static bool to_journal;

static const char *const syslog_prefixes[] = {
    [LOG_LEVEL_ERROR] = "<3>",
    [LOG_LEVEL_WARN] = "<4>",
    [LOG_LEVEL_INFO] = "<6>",
    [LOG_LEVEL_DEBUG] = "<7>",
};

static const char *const level_names[] = {
    [LOG_LEVEL_ERROR] = "error",
    [LOG_LEVEL_WARN] = "warn",
    [LOG_LEVEL_INFO] = "info",
    [LOG_LEVEL_DEBUG] = "debug",
};

void log_set_level(enum log_level level)
{
	current_level = level;
}

bool log_stderr_is_journal(void)
{
	const char *stream = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	if (!stream || sscanf(stream, "%llu:%llu", &dev, &ino) != 2 || fstat(2, &st) < 0)
		return false;
	return (unsigned long long)st.st_dev == dev && (unsigned long long)st.st_ino == ino;
}

void log_init(void)
{
	to_journal = log_stderr_is_journal();
}

int log_level_parse(const char *name, enum log_level *level)
{
	for (size_t i = 0; i < sizeof(level_names) / sizeof(level_names[0]); i++) {
		if (strcmp(name, level_names[i]) == 0) {
			*level = (enum log_level)i;
			return 0;
		}
	}
	return -1;
}

const char *log_level_name(enum log_level level)
{
	return level_names[level];
}

/* One line: text from elsewhere (a peer's name, a controller's refusal) can
 * neither end it nor start another with a priority of its own. */
static void write_line(const char *lead, const char *fmt, va_list ap, int saved_errno)
{
	char line[LOG_LINE_MAX];
	int used = vsnprintf(line, sizeof(line), fmt, ap);

	if (saved_errno && used >= 0 && (size_t)used < sizeof(line))
		snprintf(line + used, sizeof(line) - (size_t)used, ": %s", strerror(saved_errno));
	for (char *c = line; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = '?';
	fprintf(stderr, "%s%s\n", lead, line);
}

static void log_vwrite(enum log_level level, int saved_errno, const char *fmt, va_list ap)
{
	char lead[16];

	if (level > current_level)
		return;
	if (to_journal)
		snprintf(lead, sizeof(lead), "%s", syslog_prefixes[level]);
	else
		snprintf(lead, sizeof(lead), "%s: ", level_names[level]);
	write_line(lead, fmt, ap, saved_errno);
}

#define LOG_BODY(level, err)                                                                       \
	do {                                                                                       \
		int saved = (err);                                                                 \
		va_list ap;                                                                        \
		va_start(ap, fmt);                                                                 \
		log_vwrite(level, saved, fmt, ap);                                                 \
		va_end(ap);                                                                        \
	} while (0)

void log_warn(const char *fmt, ...)
{
	LOG_BODY(LOG_LEVEL_WARN, errno);
}

void log_warnx(const char *fmt, ...)
{
	LOG_BODY(LOG_LEVEL_WARN, 0);
}

void log_problem(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	write_line(to_journal ? syslog_prefixes[LOG_LEVEL_ERROR] : "", fmt, ap, 0);
	va_end(ap);
}

void log_info(const char *fmt, ...)
{
	LOG_BODY(LOG_LEVEL_INFO, 0);
}

void log_debug(const char *fmt, ...)
{
	LOG_BODY(LOG_LEVEL_DEBUG, 0);
}

void fatal(const char *fmt, ...)
{
	LOG_BODY(LOG_LEVEL_ERROR, errno);
	exit(1);
}

void fatalx(const char *fmt, ...)
{
	LOG_BODY(LOG_LEVEL_ERROR, 0);
	exit(1);
}
