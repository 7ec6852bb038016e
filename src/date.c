/* griot: feed and page dates.  Copyright (c) 2026 the griot developers; ISC licence. */
/* Reads the two date formats of feeds and pages, and writes the capsule's local date. */

#include "griot-config.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "date.h"

long long
date_days(long long y, int m, int d)
{
	long long	 era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int
is_valid(int y, int mo, int d, int h, int mi, int s)
{
	static const int	 mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31,
				    30, 31, 30, 31 };

	if (y < 1900 || y > 9999 || mo < 1 || mo > 12 || d < 1 ||
	    d > mdays[mo - 1] || h < 0 || h > 23 || mi < 0 || mi > 59 ||
	    s < 0 || s > 60)
		return 0;
	if (mo == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
		return 0;
	return 1;
}

/* UTC when "utc" (then "off" seconds east), else local time. */
static int
instant(int y, int mo, int d, int h, int mi, int s, int utc, long off,
    time_t *t)
{
	struct tm	 tm;

	if (!is_valid(y, mo, d, h, mi, s))
		return -1;
	if (s == 60)
		s = 59;
	if (utc) {
		*t = (time_t)(date_days(y, mo, d) * 86400LL +
		    h * 3600LL + mi * 60LL + s - off);
		return 0;
	}
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	tm.tm_isdst = -1;
	*t = mktime(&tm);
	return 0;
}

/* n digits at *p into *v. */
static int
num(const char **p, int n, int *v)
{
	int	 i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return -1;
		*v = *v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	return 0;
}

/* "Z", "+hh:mm", "+hhmm", "+hh" at *p; 1 when a zone was read, -1 if bad. */
static int
zone_iso(const char *p, long *off)
{
	int	 h, m = 0, sign;

	if (*p == 'Z' || *p == 'z') {
		*off = 0;
		return p[1] == '\0' ? 1 : -1;
	}
	if (*p == '\0')
		return 0;
	if (*p != '+' && *p != '-')
		return -1;
	sign = *p++ == '-' ? -1 : 1;
	if (num(&p, 2, &h) == -1)
		return -1;
	if (*p == ':')
		p++;
	if (*p != '\0' && num(&p, 2, &m) == -1)
		return -1;
	if (*p != '\0' || h > 23 || m > 59)
		return -1;
	*off = sign * (h * 3600L + m * 60L);
	return 1;
}

static int
parse_iso(const char *p, time_t *t)
{
	int	 y, mo, d, h = 0, mi = 0, s = 0, z;
	long	 off = 0;

	if (num(&p, 4, &y) == -1 || *p++ != '-' || num(&p, 2, &mo) == -1 ||
	    *p++ != '-' || num(&p, 2, &d) == -1)
		return -1;
	if (*p == 'T' || *p == 't' || *p == ' ') {
		p++;
		if (num(&p, 2, &h) == -1 || *p++ != ':' || num(&p, 2, &mi) == -1)
			return -1;
		if (*p == ':') {
			p++;
			if (num(&p, 2, &s) == -1)
				return -1;
			if (*p == '.' || *p == ',')
				for (p++; isdigit((unsigned char)*p); p++)
					;
		}
	}
	if ((z = zone_iso(p, &off)) == -1)
		return -1;
	return instant(y, mo, d, h, mi, s, z, off, t);
}

static int
parse_rfc822(const char *p, time_t *t)
{
	static const char *const months[] = { "jan", "feb", "mar", "apr",
	    "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec" };
	static const struct { const char *name; int hours; } zones[] = {
		{ "UT", 0 }, { "UTC", 0 }, { "GMT", 0 }, { "Z", 0 },
		{ "EST", -5 }, { "EDT", -4 }, { "CST", -6 }, { "CDT", -5 },
		{ "MST", -7 }, { "MDT", -6 }, { "PST", -8 }, { "PDT", -7 },
	};
	int	 y, mo, d, h, mi, s = 0, i, n;
	long	 off = 0;
	char	 mon[4], zone[8];

	while (isspace((unsigned char)*p))
		p++;
	if (isalpha((unsigned char)*p)) {	/* the day name */
		while (isalpha((unsigned char)*p))
			p++;
		if (*p == ',')
			p++;
	}
	n = 0;
	if (sscanf(p, " %2d %3s %4d %2d:%2d%n", &d, mon, &y, &h, &mi, &n) != 5 ||
	    n == 0)
		return -1;
	p += n;
	if (*p == ':') {
		p++;
		if (!isdigit((unsigned char)*p) || sscanf(p, "%2d%n", &s, &n) != 1)
			return -1;
		p += n;
	}
	for (mo = 0; mo < 12; mo++)
		if (strncasecmp(mon, months[mo], 3) == 0)
			break;
	if (mo == 12)
		return -1;
	if (y < 50)
		y += 2000;
	else if (y < 1000)
		y += 1900;
	while (*p == ' ')
		p++;
	if (*p == '+' || *p == '-') {
		int	 sign = *p == '-' ? -1 : 1, hh, mm;

		p++;
		if (num(&p, 2, &hh) == -1 || num(&p, 2, &mm) == -1)
			return -1;
		off = sign * (hh * 3600L + mm * 60L);
	} else if (*p != '\0') {
		if (sscanf(p, "%7[A-Za-z]%n", zone, &n) != 1)
			return -1;
		p += n;
		for (i = 0; i < (int)(sizeof(zones) / sizeof(zones[0])); i++)
			if (strcasecmp(zone, zones[i].name) == 0)
				break;
		if (i == (int)(sizeof(zones) / sizeof(zones[0])))
			return -1;
		off = zones[i].hours * 3600L;
	}
	while (*p == ' ')
		p++;
	if (*p != '\0')
		return -1;
	return instant(y, mo + 1, d, h, mi, s, 1, off, t);
}

int
date_parse(const char *s, time_t *t)
{
	char	 tmp[64];
	size_t	 n;

	while (isspace((unsigned char)*s))
		s++;
	n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	if (n == 0 || n >= sizeof(tmp))
		return -1;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	if (isdigit((unsigned char)tmp[0]) && n >= 10 && tmp[4] == '-')
		return parse_iso(tmp, t);
	return parse_rfc822(tmp, t);
}

int
date_local(time_t t, char *out, size_t outlen)
{
	struct tm	 tm;

	if (localtime_r(&t, &tm) == NULL ||
	    strftime(out, outlen, "%Y-%m-%d %H:%M", &tm) != 16)
		return -1;
	return 0;
}
