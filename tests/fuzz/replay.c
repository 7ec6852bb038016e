/* griot: replay a fuzz corpus as a regression test.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * Without a fuzzing build, each harness tests/fuzz/fuzz_NAME.c is linked
 * with this main() as tests/fuzz/replay_NAME: it feeds every file of
 * tests/fuzz/corpus/NAME/ to LLVMFuzzerTestOneInput() and prints one TAP
 * line per file.  A harness aborts on a broken invariant, so a crash or a
 * sanitizer report fails the test.
 */
#include "griot-config.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);
int	LLVMFuzzerInitialize(int *, char ***) __attribute__((__weak__));

static int
cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
main(int argc, char **argv)
{
	const char	*srcdir, *base;
	char		 dir[4096], path[8192], **names = NULL;
	size_t		 n = 0, cap = 0, i;
	struct dirent	*de;
	DIR		*d;
	FILE		*fp;
	uint8_t		*data;
	long		 len;
	int		 written;

	if (LLVMFuzzerInitialize != NULL)
		LLVMFuzzerInitialize(&argc, &argv);
	if ((srcdir = getenv("top_srcdir")) == NULL)
		srcdir = ".";
	base = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	if (strncmp(base, "replay_", 7) == 0)
		base += 7;
	written = snprintf(dir, sizeof(dir), "%s/tests/fuzz/corpus/%s", srcdir, base);
	if (written < 0 || (size_t)written >= sizeof(dir)) {
		printf("1..0 # SKIP corpus path too long\n");
		return 0;
	}
	if ((d = opendir(dir)) == NULL) {
		printf("Bail out! %s: %s\n", dir, strerror(errno));
		return 1;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			if ((names = realloc(names, cap * sizeof(*names))) == NULL)
				abort();
		}
		if ((names[n++] = strdup(de->d_name)) == NULL)
			abort();
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp);
	for (i = 0; i < n; i++) {
		written = snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (written < 0 || (size_t)written >= sizeof(path) ||
		    (fp = fopen(path, "rb")) == NULL) {
			printf("not ok %zu - %s: cannot open\n", i + 1, names[i]);
			continue;
		}
		fseek(fp, 0, SEEK_END);
		len = ftell(fp);
		rewind(fp);
		if (len < 0 || (data = malloc((size_t)len + 1)) == NULL)
			abort();
		if (fread(data, 1, (size_t)len, fp) != (size_t)len)
			abort();
		fclose(fp);
		LLVMFuzzerTestOneInput(data, (size_t)len);
		free(data);
		printf("ok %zu - %s/%s\n", i + 1, base, names[i]);
		fflush(stdout);
		free(names[i]);
	}
	free(names);
	printf("1..%zu\n", n);
	return 0;
}
