/* Secrets in files of their own (see secret_file.h). */
#include "secret_file.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crypto.h"

enum { SECRET_PATH_MAX = 4096 };

static const char *credentials_directory(void)
{
	const char *dir = getenv("CREDENTIALS_DIRECTORY");

	return dir && dir[0] ? dir : NULL;
}

int secret_file_beside(const char *path, const char *named_in, char *out, size_t len)
{
	char dir[SECRET_PATH_MAX];
	int used;

	snprintf(dir, sizeof(dir), "%s", named_in);
	used = path[0] == '/' ? snprintf(out, len, "%s", path)
			      : snprintf(out, len, "%s/%s", dirname(dir), path);
	return used < 0 || (size_t)used >= len ? -1 : 0;
}

/* Where a path given in a configuration file points. */
static int resolve(const char *path, const char *named_in, char *out, size_t len)
{
	const char *credentials = credentials_directory();
	int used;

	if (path[0] != '/' && !credentials)
		return secret_file_beside(path, named_in, out, len);
	used = path[0] == '/' ? snprintf(out, len, "%s", path)
			      : snprintf(out, len, "%s/%s", credentials, path);
	return used < 0 || (size_t)used >= len ? -1 : 0;
}

static bool mode_exposed(mode_t mode)
{
	return mode & (S_IRWXG | S_IRWXO);
}

bool secret_file_exposed(const char *path, unsigned int *mode)
{
	struct stat st;

	if (stat(path, &st))
		return false;
	*mode = st.st_mode & 07777;
	return mode_exposed(st.st_mode);
}

static void say_exposed(char *why, size_t why_len, const char *path, unsigned int mode)
{
	snprintf(why, why_len,
		 "'%s' holds a secret but group or others may read it (mode %04o): chmod 600 it",
		 path, mode);
}

/* A credential is systemd's private copy of a file beside the
 * configuration (vpnd@.service loads /etc/vpnd/IFNAME.key): the copy's mode
 * says nothing, so the original must not be readable by others either. */
static bool source_exposed(const char *path, const char *named_in, char *why, size_t why_len)
{
	char source[SECRET_PATH_MAX];
	unsigned int mode;

	if (path[0] == '/' || !credentials_directory() ||
	    secret_file_beside(path, named_in, source, sizeof(source)) ||
	    !secret_file_exposed(source, &mode))
		return false;
	say_exposed(why, why_len, source, mode);
	return true;
}

/* The whole file, at most len - 1 bytes, NUL-terminated; -1 if longer. */
static ssize_t read_all(int fd, char *text, size_t len)
{
	size_t got = 0;
	ssize_t n;

	while ((n = read(fd, text + got, len - got)) > 0) {
		got += (size_t)n;
		if (got == len)
			return -1;
	}
	if (n < 0)
		return -1;
	text[got] = '\0';
	return (ssize_t)got;
}

static void trim(char *text)
{
	size_t start = strspn(text, " \t\r\n"), end = strlen(text);

	while (end > start && strchr(" \t\r\n", text[end - 1]))
		end--;
	memmove(text, text + start, end - start);
	text[end - start] = '\0';
}

int secret_file_read(const char *path, const char *named_in, char *text, size_t len, char *why,
		     size_t why_len)
{
	char full[SECRET_PATH_MAX];
	struct stat st;
	int fd;

	if (resolve(path, named_in, full, sizeof(full))) {
		snprintf(why, why_len, "'%s': path too long", path);
		return -1;
	}
	if (source_exposed(path, named_in, why, why_len))
		return -1;
	fd = open(full, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK); /* a FIFO must not block */
	if (fd < 0 || fstat(fd, &st)) {
		snprintf(why, why_len, "cannot read '%s': %s%s", full, strerror(errno),
			 path[0] != '/' && credentials_directory()
			     ? " (a credential: the unit loads only IFNAME.key and IFNAME.secret)"
			     : "");
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode) || mode_exposed(st.st_mode)) {
		if (S_ISREG(st.st_mode))
			say_exposed(why, why_len, full, st.st_mode & 07777);
		else
			snprintf(why, why_len, "'%s' is not a regular file (mode %04o)", full,
				 (unsigned int)(st.st_mode & 07777));
		close(fd);
		return -1;
	}
	if (read_all(fd, text, len) < 0) {
		snprintf(why, why_len, "cannot read '%s': not a key (too long, or unreadable)", full);
		crypto_wipe(text, len);
		close(fd);
		return -1;
	}
	close(fd);
	trim(text);
	if (strcmp(text, SECRET_FILE_UNIT_MISSING) == 0) {
		snprintf(why, why_len,
			 "cannot read '%s': systemd found no file to load it from (LoadCredential=)",
			 full);
		return -1;
	}
	return 0;
}
