/* Files replaced whole (see atomic_file.h). */
#include "atomic_file.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

int atomic_file_open(struct atomic_file *file, const char *path)
{
	int fd;

	if (strlen(path) >= sizeof(file->path))
		return -ENAMETOOLONG;
	strcpy(file->path, path);
	snprintf(file->tmp, sizeof(file->tmp), "%s.tmp", path);
	fd = open(file->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return -errno;
	file->out = fdopen(fd, "w");
	if (!file->out) {
		int err = -errno;

		close(fd);
		unlink(file->tmp);
		return err;
	}
	return 0;
}

int atomic_file_commit(struct atomic_file *file, bool durable)
{
	int err = 0;

	if (fflush(file->out) || (durable && fsync(fileno(file->out))))
		err = -errno;
	if (fclose(file->out) && !err)
		err = -errno;
	file->out = NULL;
	if (!err && rename(file->tmp, file->path))
		err = -errno;
	if (err)
		unlink(file->tmp);
	return err;
}
