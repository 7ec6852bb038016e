/* griot: feed and page dates.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * The dates newsrooms write (RSS's RFC 822 "Thu, 28 Nov 2024 09:30:00
 * +0100", Atom's and HTML's ISO 8601 "2024-11-28T09:30:00+01:00") read
 * into an instant, and an instant written as the capsule's local date and
 * time (the TZ of the process) for a "Date:" header; and the one day
 * count the article parser's dates use too.
 */
#ifndef GRIOT_DATE_H
#define GRIOT_DATE_H

#include <time.h>

/*
 * Read an RFC 822 / RFC 1123 date (named zones UT, GMT, Z, EST to PDT,
 * or +hhmm; the day name optional, two-digit years as RFC 2822 says) or
 * an ISO 8601 date ("YYYY-MM-DD", then optionally "T" or a space, hh:mm,
 * :ss, fractions, and Z or +hh:mm; without a zone it is local time).
 * Returns 0 and the instant, or -1 when "s" is not such a date.
 */
int	 date_parse(const char *s, time_t *);

/* The instant as local "YYYY-MM-DD HH:MM" (at least 17 bytes).  0 or -1. */
int	 date_local(time_t, char *out, size_t outlen);

/*
 * Days from 1970-01-01 to the proleptic Gregorian date y-m-d (m 1 to 12,
 * d 1 to 31; not checked), negative before it.  Pure.
 */
long long date_days(long long y, int m, int d);

#endif
