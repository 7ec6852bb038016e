/* griot: tests of the TAP macros themselves.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * Every macro of tap.h must evaluate each argument exactly once: a test
 * written as is_int(read_next(), 3, ...) must not read twice.  Each check
 * below passes an expression with a side effect (a call counter) and then
 * checks the count.
 */
#include "griot-config.h"

#include <stddef.h>

#include "tap.h"

static int calls;

/* The value given, counting the call. */
static long long
count_int(long long v)
{
	calls++;
	return v;
}

/* The string given, counting the call. */
static const char *
count_str(const char *s)
{
	calls++;
	return s;
}

int
main(void)
{
	int	 i = 0;

	calls = 0;
	is_int(count_int(7), 7, "is_int: a value from a call");
	is_int(calls, 1, "is_int evaluates its got argument once");

	calls = 0;
	is_int(7, count_int(7), "is_int: a wanted value from a call");
	is_int(calls, 1, "is_int evaluates its want argument once");

	/* The classic trap: ++i in a macro that names its argument twice. */
	is_int(++i, 1, "is_int(++i, 1) sees 1");
	is_int(i, 1, "is_int(++i, 1) left i at 1");

	calls = 0;
	is_str(count_str("abc"), "abc", NULL, "is_str: a string from a call");
	is_int(calls, 1, "is_str evaluates its got argument once");

	calls = 0;
	is_str(count_str(NULL), "", NULL, "is_str: NULL is the empty string");
	is_int(calls, 1, "is_str evaluates a NULL got argument once");

	calls = 0;
	is_mem(count_str("ab"), (size_t)count_int(2), "ab", 2, NULL,
	    "is_mem: bytes and length from calls");
	is_int(calls, 2, "is_mem evaluates got and its length once each");

	calls = 0;
	ok(count_int(1) == 1, "ok: a condition from a call");
	is_int(calls, 1, "ok evaluates its condition once");

	return tap_done();
}
