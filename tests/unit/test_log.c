/* Log lines: level names on a terminal, syslog priorities when stderr is
 * the journal (JOURNAL_STREAM names it), and one line per message whatever
 * the message holds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "log.h"

/* Runs emit with stderr sent to a scratch file (named as the journal or
 * not) and returns what it wrote. */
static char *captured(bool as_journal, void (*emit)(void))
{
	static char out[4096];
	char path[] = "/tmp/vpnd-log-test.XXXXXX", stream[64];
	int fd = mkstemp(path), saved = dup(2);
	struct stat st;
	FILE *f;
	size_t len;

	assert_true(fd >= 0 && saved >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	snprintf(stream, sizeof(stream), "%llu:%llu", (unsigned long long)st.st_dev,
		 (unsigned long long)st.st_ino);
	fflush(stderr);
	dup2(fd, 2);
	if (as_journal)
		setenv("JOURNAL_STREAM", stream, 1);
	else
		unsetenv("JOURNAL_STREAM");
	log_init();
	emit();
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	f = fdopen(fd, "r");
	rewind(f);
	len = fread(out, 1, sizeof(out) - 1, f);
	out[len] = '\0';
	fclose(f);
	unlink(path);
	unsetenv("JOURNAL_STREAM");
	log_init();
	return out;
}

static void every_level(void)
{
	log_set_level(LOG_LEVEL_DEBUG);
	log_problem("%s:%d: problem", "a.conf", 3);
	log_warnx("warned");
	log_info("told");
	log_debug("debugged");
	log_set_level(LOG_LEVEL_INFO);
	log_debug("not shown");
}

static void injection(void)
{
	log_info("peer said: %s", "hello\n<0>all your base\r\x1b[2J");
}

static void test_terminal(void **state)
{
	assert_string_equal(captured(false, every_level),
			    "a.conf:3: problem\nwarn: warned\ninfo: told\ndebug: debugged\n");
}

static void test_journal(void **state)
{
	assert_string_equal(captured(true, every_level),
			    "<3>a.conf:3: problem\n<4>warned\n<6>told\n<7>debugged\n");
}

/* Another file's device and inode in JOURNAL_STREAM: not the journal. */
static void test_journal_elsewhere(void **state)
{
	setenv("JOURNAL_STREAM", "1:1", 1);
	log_init();
	assert_false(log_stderr_is_journal());
	unsetenv("JOURNAL_STREAM");
	log_init();
}

static void test_one_line_per_message(void **state)
{
	assert_string_equal(captured(true, injection), "<6>peer said: hello?<0>all your base??[2J\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_terminal),
	    cmocka_unit_test(test_journal),
	    cmocka_unit_test(test_journal_elsewhere),
	    cmocka_unit_test(test_one_line_per_message),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
