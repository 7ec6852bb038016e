/* griot: a tiny TAP producer for the unit tests.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * Each check prints "ok N - what" or "not ok N - what" followed by
 * "# file:line", the input, got and want.  tap_done() prints the plan and
 * returns the exit status.  Header-only, used by tests/unit/ only.
 */
#ifndef GRIOT_TAP_H
#define GRIOT_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int tap_n, tap_failed;

static void tap_escape(FILE *, const char *, size_t)
	__attribute__((__unused__));

/* Show bytes readably on one diagnostic line: \r \n \t and \xHH. */
static void
tap_escape(FILE *fp, const char *s, size_t len)
{
	size_t	 i;

	fputc('"', fp);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\n')
			fputs("\\n", fp);
		else if (c == '\r')
			fputs("\\r", fp);
		else if (c == '\t')
			fputs("\\t", fp);
		else if (c == '"' || c == '\\')
			fprintf(fp, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			fprintf(fp, "\\x%02x", c);
		else
			fputc(c, fp);
	}
	fputc('"', fp);
}

static int tap_ok_at(int, const char *, int, const char *, ...)
	__attribute__((__unused__, __format__(__printf__, 4, 5)));

static int
tap_ok_at(int cond, const char *file, int line, const char *fmt, ...)
{
	va_list	 ap;

	tap_n++;
	printf("%sok %d - ", cond ? "" : "not ", tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!cond) {
		tap_failed++;
		printf("# at %s:%d\n", file, line);
	}
	fflush(stdout);
	return cond;
}

static int tap_is_mem_at(const char *, size_t, const char *, size_t,
	const char *, int, const char *, const char *)
	__attribute__((__unused__));

static int
tap_is_mem_at(const char *got, size_t glen, const char *want, size_t wlen,
    const char *file, int line, const char *input, const char *what)
{
	int	 cond = glen == wlen && (wlen == 0 || memcmp(got, want, wlen) == 0);

	tap_ok_at(cond, file, line, "%s", what);
	if (!cond) {
		if (input != NULL) {
			printf("#  input: ");
			tap_escape(stdout, input, strlen(input));
			printf("\n");
		}
		printf("#    got: ");
		tap_escape(stdout, got ? got : "(null)", got ? glen : 6);
		printf("\n#   want: ");
		tap_escape(stdout, want, wlen);
		printf("\n");
		fflush(stdout);
	}
	return cond;
}

static int tap_is_int_at(long long, long long, const char *, int,
	const char *) __attribute__((__unused__));

static int
tap_is_int_at(long long got, long long want, const char *file, int line,
    const char *what)
{
	return tap_ok_at(got == want, file, line, "%s (got %lld, want %lld)",
	    what, got, want);
}

static int tap_is_str_at(const char *, const char *, const char *, int,
	const char *, const char *) __attribute__((__unused__));

static int
tap_is_str_at(const char *got, const char *want, const char *file, int line,
    const char *input, const char *what)
{
	return tap_is_mem_at(got, got != NULL ? strlen(got) : 0, want,
	    strlen(want), file, line, input, what);
}

/*
 * Each macro below evaluates each of its arguments exactly once (they are
 * function arguments), so is_int(f(), 1, ...) calls f() once even when the
 * check fails and the value is shown; tests/unit/test_tap.c checks it.
 */
#define ok(cond, ...)	tap_ok_at(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
/* Compare bytes; "input" (a string or NULL) is shown on failure. */
#define is_mem(got, glen, want, wlen, input, what) \
	tap_is_mem_at((got), (glen), (want), (wlen), __FILE__, __LINE__, (input), (what))
#define is_str(got, want, input, what) \
	tap_is_str_at((got), (want), __FILE__, __LINE__, (input), (what))
#define is_int(got, want, what) \
	tap_is_int_at((long long)(got), (long long)(want), __FILE__, __LINE__, (what))

/* snprintf, checked: an error or a truncation bails out of the test. */
#define tap_snprintf(dst, size, ...) \
	tap_fmt_check(snprintf((dst), (size), __VA_ARGS__), (size), \
	    __FILE__, __LINE__)

static void tap_fmt_check(int, size_t, const char *, int)
	__attribute__((__unused__));

static void
tap_fmt_check(int n, size_t size, const char *file, int line)
{
	if (n < 0 || (size_t)n >= size) {
		printf("Bail out! %s:%d: snprintf failed or truncated\n",
		    file, line);
		exit(1);
	}
}

static int tap_done(void) __attribute__((__unused__));

static int
tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif
