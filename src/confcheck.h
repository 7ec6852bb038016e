/* griot: griotd -t checks.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * What griotd -t checks of a loaded struct conf against the running
 * system, beyond the file itself: the certificate and key (present, or
 * auto_cert on), every listener bindable now (a port in use is an error;
 * a privileged port refused to this user a warning), and a root start
 * without "user".  Kept apart from config.c so that the ini parser and
 * its fuzzer link no socket code.
 */
#ifndef GRIOT_CONFCHECK_H
#define GRIOT_CONFCHECK_H

struct conf;
struct config_report;

/* Report every problem through "rep"; returns the number of errors. */
int	 confcheck_serving(const struct conf *, const struct config_report *);

#endif
