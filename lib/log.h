/* Logging to stderr with levels; journald adds the timestamps. */
#ifndef VPND_LOG_H
#define VPND_LOG_H

#include <stdbool.h>

enum log_level { LOG_LEVEL_ERROR, LOG_LEVEL_WARN, LOG_LEVEL_INFO, LOG_LEVEL_DEBUG };

/* Prefix lines with syslog priorities from now on if stderr is the journal. */
void log_init(void);
bool log_stderr_is_journal(void);

void log_set_level(enum log_level level);
int log_level_parse(const char *name, enum log_level *level);
const char *log_level_name(enum log_level level);

/* log_warn appends strerror(errno); log_warnx does not. fatal/fatalx exit(1). */
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A problem the user fixes, printed as it is ("file:line: problem", which
 * editors parse): no level name, but the error priority in the journal. */
void log_problem(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
void fatalx(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

#endif
