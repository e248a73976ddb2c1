// SPDX-License-Identifier: MIT
/*
 * plat_module.c — the kernel backend's module unload and load:
 * delete_module(2) and finit_module(2), as modprobe -r / modprobe do for a
 * module whose dependencies stay loaded.
 *
 * The module file comes from /lib/modules/<release>/modules.dep
 * (depmod(8)'s "path: deps" lines).  Unloading refuses when that file
 * cannot be found: a test must never leave a board without its driver
 * because it could not load it back.
 */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "platform/plat_backend.h"

#define MODULES_DIR		"/lib/modules"
#define MODULES_DEP		"modules.dep"
/*
 * finit_module() flag for a compressed module file, decompressed by the
 * kernel (include/uapi/linux/module.h, Linux 6.4+, needs
 * CONFIG_MODULE_DECOMPRESS); not in Debian 12's headers.
 */
#define PLAT_MODULE_INIT_COMPRESSED_FILE	4
#define PLAT_MODULE_SUFFIX	".ko"

/* Does the modules.dep path name module name ("…/rocket.ko[.xz|.zst|.gz]")? */
static bool path_is_module(const char *path, size_t len, const char *name)
{
	const char *base = path, *ko;

	for (size_t i = 0; i < len; i++)
		if (path[i] == '/')
			base = path + i + 1;
	ko = strstr(base, PLAT_MODULE_SUFFIX);
	return ko && ko < path + len && (size_t)(ko - base) == strlen(name) &&
	       !strncmp(base, name, strlen(name));
}

/* The module file of name: 0 and its full path, or -errno. */
static int module_file(const char *name, char *file, size_t size,
		       bool *compressed)
{
	struct utsname u;
	char dep[256], line[512];
	FILE *f;
	int ret = -ENOENT;

	if (uname(&u))
		return -errno;
	snprintf(dep, sizeof(dep), "%s/%s/%s", MODULES_DIR, u.release, MODULES_DEP);
	f = fopen(dep, "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (!colon || !path_is_module(line, (size_t)(colon - line), name))
			continue;
		*colon = '\0';
		if (line[0] == '/')
			snprintf(file, size, "%s", line);
		else
			snprintf(file, size, "%s/%s/%s", MODULES_DIR, u.release, line);
		/* rocket.ko.xz, .zst, .gz: the kernel decompresses it. */
		*compressed = strlen(line) < strlen(PLAT_MODULE_SUFFIX) ||
			      strcmp(line + strlen(line) - strlen(PLAT_MODULE_SUFFIX),
				     PLAT_MODULE_SUFFIX);
		ret = 0;
		break;
	}
	fclose(f);
	return ret;
}

int plat_kernel_module_unload(const char *name)
{
	char file[1024];
	bool compressed;
	int ret = module_file(name, file, sizeof(file), &compressed);

	if (ret)
		return ret;
	if (access(file, R_OK))
		return -errno;
	if (syscall(SYS_delete_module, name, O_NONBLOCK))
		return -errno;
	return 0;
}

int plat_kernel_module_load(const char *name)
{
	char file[1024];
	bool compressed;
	int ret = module_file(name, file, sizeof(file), &compressed), fd;

	if (ret)
		return ret;
	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = (int)syscall(SYS_finit_module, fd, "",
			   compressed ? PLAT_MODULE_INIT_COMPRESSED_FILE : 0);
	ret = ret ? -errno : 0;
	close(fd);
	return ret;
}
