/* griot: tests of the ini file.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * Table-driven tests of config_load(): every default, every kind of bad
 * value, unknown names with suggestions, relative paths, config_dump()
 * read back, config_keep_running(); and log_escape(), the access log's
 * defence against forged lines, and log_access_enabled().
 */

#include "griot-config.h"

#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "config.h"
#include "ini.h"
#include "log.h"
#include "tap.h"

static char	 tmpdir[] = "/tmp/griot-test-config-XXXXXX";
static char	 inipath[256];
static struct buf msgs = BUF_INIT;
static int	 nerrors, nwarnings;

static void
collect(void *arg, int error, const char *msg)
{
	if (error)
		nerrors++;
	else
		nwarnings++;
	buf_puts(&msgs, error ? "E " : "W ");
	buf_puts(&msgs, msg);
	buf_addc(&msgs, '\n');
}

static const struct config_report report = { collect, NULL };

static void
write_file(const char *path, const char *text, size_t len)
{
	FILE	*fp;

	if ((fp = fopen(path, "w")) == NULL) {
		perror(path);
		exit(2);
	}
	fwrite(text, 1, len, fp);
	fclose(fp);
}

/* Load "len" bytes of "text" as tmpdir/griot.ini; messages land in "msgs". */
static struct conf *
load_mem(const char *text, size_t len)
{
	buf_reset(&msgs);
	buf_puts(&msgs, "");
	nerrors = nwarnings = 0;
	write_file(inipath, text, len);
	return config_load(inipath, &report);
}

static struct conf *
load(const char *text)
{
	return load_mem(text, strlen(text));
}

static int
has(const char *needle)
{
	return msgs.data != NULL && strstr(msgs.data, needle) != NULL;
}

/* An ini text on one line, for test names. */
static const char *
oneline(const char *s)
{
	static char	 line[128];
	size_t		 i;

	for (i = 0; s[i] != '\0' && i < sizeof(line) - 1; i++)
		line[i] = s[i] == '\n' ? '|' : s[i];
	line[i] = '\0';
	return line;
}

static char *
dump(const struct conf *c)
{
	char	*data = NULL;
	size_t	 len = 0;
	FILE	*fp;

	if ((fp = open_memstream(&data, &len)) == NULL)
		return NULL;
	config_dump(c, fp);
	fclose(fp);
	return data;
}

static void
test_defaults(void)
{
	struct conf	*c;
	char		 want[512];

	c = load("[capsule]\n");
	ok(c != NULL, "an almost empty ini loads");
	if (c == NULL) {
		printf("# %s", msgs.data);
		return;
	}
	is_str(c->name, "localhost", NULL, "name defaults to the hostname");
	is_str(c->hostname, "localhost", NULL, "hostname default");
	is_str(c->lang, "fr", NULL, "lang default");
	snprintf(want, sizeof(want), "%s/articles", tmpdir);
	is_str(c->store, want, NULL, "store default, next to the ini");
	ok(c->pages == NULL, "pages unset by default");
	is_str(c->description, "", NULL, "description default");
	is_int(c->latest, 10, "latest default");
	is_int(c->french_spacing, 1, "french_spacing on for fr");
	is_int(c->max_article_size, 1024 * 1024, "max_article_size default");
	is_int(c->gemini_enabled, 1, "[gemini] enabled default");
	is_int(c->gemini_listen.naddrs, 1, "[gemini] listen: one address");
	is_str(c->gemini_listen.addrs[0], "*", NULL, "[gemini] listen default");
	is_int(c->gemini_port, 1965, "[gemini] port default");
	is_int(c->gemini_public_port, 1965, "[gemini] public_port follows port");
	snprintf(want, sizeof(want), "%s/certs/localhost.crt", tmpdir);
	is_str(c->cert, want, NULL, "cert default from the hostname");
	snprintf(want, sizeof(want), "%s/certs/localhost.key", tmpdir);
	is_str(c->key, want, NULL, "key default from the hostname");
	is_int(c->auto_cert, 1, "auto_cert default");
	is_int(c->gopher_enabled, 1, "[gopher] enabled default");
	is_str(c->gopher_listen.addrs[0], "*", NULL, "[gopher] listen default");
	is_int(c->gopher_port, 70, "[gopher] port default");
	is_int(c->gopher_public_port, 70, "[gopher] public_port follows port");
	is_int(c->gemini_proxy_protocol, 0, "[gemini] proxy_protocol default");
	is_int(c->gopher_proxy_protocol, 0, "[gopher] proxy_protocol default");
	is_int(c->width, 67, "width default");
	is_int(c->charset, TEXT_UTF8, "charset default");
	ok(c->user == NULL && c->group == NULL && c->chroot == NULL &&
	    c->pidfile == NULL, "user, group, chroot, pidfile unset");
	is_str(c->log, "stderr", NULL, "log default");
	is_str(c->access_log, "stderr", NULL, "access_log follows log");
	is_int(c->max_connections, 8192, "max_connections default");
	is_int(c->max_per_address, 32, "max_per_address default");
	is_int(c->request_timeout, 10, "request_timeout default");
	is_int(c->workers, 0, "workers default");
	is_int(c->rate_limit, 0, "rate_limit default");
	ok(c->ticket_keys == NULL, "ticket_keys unset by default");
	is_int(c->store_scan_interval, 0, "store_scan_interval default");
	is_int(nerrors, 0, "no error");
	is_int(nwarnings, 1, "one warning");
	ok(has("W ") && has(":0: [capsule] hostname: localhost, while griotd "
	    "listens beyond this machine") == 0 && has("griot.ini: [capsule] "
	    "hostname: localhost, while griotd listens beyond this machine"),
	    "the default hostname with the default listen is warned about");
	config_free(c);
}

/* Good values and what they become. */
static void
test_values(void)
{
	struct conf	*c;
	char		 want[512];

	c = load("[capsule]\nlang = en\nhostname = Gemini.Example.ORG\n"
	    "name = \"Griot ; les nouvelles\"\n");
	ok(c != NULL && c->french_spacing == 0, "french_spacing off for en");
	ok(c != NULL && strcmp(c->hostname, "gemini.example.org") == 0,
	    "hostname lower-cased");
	ok(c != NULL && strcmp(c->name, "Griot ; les nouvelles") == 0,
	    "a quoted value keeps its ';'");
	is_int(nwarnings, 0, "no warning for a quoted ';'");
	config_free(c);

	c = load("[capsule]\nlang = fr-CA\n");
	ok(c != NULL && c->french_spacing == 1 && strcmp(c->lang, "fr-CA") == 0,
	    "fr-CA: French spacing on");
	config_free(c);

	c = load("[capsule]\nlang = en\nfrench_spacing = on\n");
	ok(c != NULL && c->french_spacing == 1, "french_spacing given wins");
	config_free(c);

	{
		static const struct {
			const char	*v;
			int		 want;
		} bools[] = {
			{ "yes", 1 }, { "no", 0 }, { "TRUE", 1 }, { "false", 0 },
			{ "On", 1 }, { "off", 0 }, { "1", 1 }, { "0", 0 },
		};
		size_t	 i;
		char	 ini[128];

		for (i = 0; i < sizeof(bools) / sizeof(bools[0]); i++) {
			snprintf(ini, sizeof(ini), "[gemini]\nauto_cert = %s\n",
			    bools[i].v);
			c = load(ini);
			ok(c != NULL && c->auto_cert == bools[i].want,
			    "boolean \"%s\"", bools[i].v);
			config_free(c);
		}
	}
	{
		static const struct {
			const char		*v;
			enum text_charset	 want;
		} cs[] = {
			{ "utf-8", TEXT_UTF8 }, { "UTF8", TEXT_UTF8 },
			{ "latin1", TEXT_LATIN1 }, { "ISO-8859-1", TEXT_LATIN1 },
			{ "latin-1", TEXT_LATIN1 }, { "ascii", TEXT_ASCII },
			{ "US-ASCII", TEXT_ASCII },
		};
		size_t	 i;
		char	 ini[128];

		for (i = 0; i < sizeof(cs) / sizeof(cs[0]); i++) {
			snprintf(ini, sizeof(ini), "[gopher]\ncharset = %s\n",
			    cs[i].v);
			c = load(ini);
			ok(c != NULL && c->charset == cs[i].want,
			    "charset \"%s\"", cs[i].v);
			config_free(c);
		}
	}

	c = load("[capsule]\nmax_article_size = 256K\n[gemini]\nport = 1966\n"
	    "public_port = 443\n[gopher]\nlisten = 127.0.0.1, [::1]\n"
	    "[server]\nlog = syslog\n");
	ok(c != NULL && c->max_article_size == 256 * 1024, "size with K");
	ok(c != NULL && c->gemini_port == 1966 && c->gemini_public_port == 443,
	    "public_port given");
	ok(c != NULL && c->gopher_listen.naddrs == 2 &&
	    strcmp(c->gopher_listen.addrs[1], "::1") == 0,
	    "listen list, IPv6 brackets dropped");
	ok(c != NULL && strcmp(c->access_log, "syslog") == 0,
	    "access_log follows log = syslog");
	config_free(c);

	/* Relative paths: from the ini's folder, cleaned. */
	c = load("[capsule]\nstore = ./pages/../articles/\npages = pages\n"
	    "[gemini]\ncert = ../x/c.pem\n[server]\naccess_log = access.log\n");
	snprintf(want, sizeof(want), "%s/articles", tmpdir);
	ok(c != NULL && strcmp(c->store, want) == 0, "relative store resolved");
	snprintf(want, sizeof(want), "%s/pages", tmpdir);
	ok(c != NULL && strcmp(c->pages, want) == 0, "relative pages resolved");
	ok(c != NULL && c->cert[0] == '/' && strstr(c->cert, "..") == NULL &&
	    strcmp(c->cert + strlen(c->cert) - 7, "x/c.pem") == 0,
	    "relative cert resolved");
	snprintf(want, sizeof(want), "%s/access.log", tmpdir);
	ok(c != NULL && strcmp(c->access_log, want) == 0,
	    "relative access_log resolved");
	config_free(c);

	c = load("[gemini]\nticket_keys = keys/t.keys\n"
	    "[server]\nstore_scan_interval = 30\n");
	snprintf(want, sizeof(want), "%s/keys/t.keys", tmpdir);
	ok(c != NULL && c->ticket_keys != NULL &&
	    strcmp(c->ticket_keys, want) == 0, "relative ticket_keys resolved");
	ok(c != NULL && c->store_scan_interval == 30, "store_scan_interval = 30");
	config_free(c);
	c = load("[server]\nstore_scan_interval = -1\n");
	ok(c == NULL, "store_scan_interval = -1 refused");
	config_free(c);

	c = load("[gemini]\nproxy_protocol = yes\n[server]\nworkers = 64\n");
	ok(c != NULL && c->gemini_proxy_protocol == 1 &&
	    c->gopher_proxy_protocol == 0, "proxy_protocol per protocol");
	ok(c != NULL && c->workers == 64, "workers = 64, the most started");
	config_free(c);
	c = load("[gopher]\nproxy_protocol = on\n");
	ok(c != NULL && c->gopher_proxy_protocol == 1 &&
	    c->gemini_proxy_protocol == 0, "[gopher] proxy_protocol alone");
	config_free(c);

	/* "key =" leaves an optional key unset. */
	c = load("[capsule]\npages =\n[server]\nuser =\n");
	ok(c != NULL && c->pages == NULL && c->user == NULL,
	    "empty optional values are unset");
	config_free(c);
}

/* Each bad ini: the message it must give (with file, line, section, key). */
static void
test_errors(void)
{
	static const struct {
		const char	*ini;
		const char	*want;	/* after "griot.ini:" */
		int		 error;	/* 1: refused, 0: warning only */
	} tests[] = {
		{ "[gopher]\nwidth = abc\n",
		  "2: [gopher] width: \"abc\" is not a number (expected an "
		  "integer from 20 to 200)", 1 },
		{ "[gopher]\nwidth = 19\n",
		  "2: [gopher] width: 19 is out of range", 1 },
		{ "[gopher]\nwidth = 201\n",
		  "2: [gopher] width: 201 is out of range", 1 },
		{ "[gopher]\nwidth = 67x\n",
		  "2: [gopher] width: \"67x\" is not a number", 1 },
		{ "[gemini]\nport = 0\n",
		  "2: [gemini] port: 0 is out of range (expected an integer "
		  "from 1 to 65535)", 1 },
		{ "[gemini]\nport = 99999999999999999999\n",
		  "2: [gemini] port: 99999999999999999999 is out of range", 1 },
		{ "[server]\nworkers = 65\n",
		  "2: [server] workers: 65 is out of range (expected an "
		  "integer from 0 to 64)", 1 },
		{ "[gemini]\nproxy_protocol = v2\n",
		  "2: [gemini] proxy_protocol: \"v2\" is not a boolean", 1 },
		{ "[capsule]\nproxy_protocol = yes\n",
		  "2: [capsule] proxy_protocol: unknown key in this section (it "
		  "belongs in [gemini], [gopher] or [http])", 1 },
		{ "[capsule]\nlatest = 0\n",
		  "2: [capsule] latest: 0 is out of range", 1 },
		{ "[capsule]\nmax_article_size = 1G\n",
		  "2: [capsule] max_article_size: \"1G\" is not a number", 1 },
		{ "[capsule]\nmax_article_size = 100M\n",
		  "2: [capsule] max_article_size: 100M is out of range", 1 },
		{ "[gemini]\nenabled = maybe\n",
		  "2: [gemini] enabled: \"maybe\" is not a boolean (expected "
		  "yes or no", 1 },
		{ "[gopher]\ncharset = cp437\n",
		  "2: [gopher] charset: \"cp437\" is not a charset griot writes "
		  "(expected utf-8, latin1 or ascii)", 1 },
		{ "[capsule]\nlang = french\n",
		  "2: [capsule] lang: \"french\" is not a language tag", 1 },
		{ "[capsule]\nhostname = gemini example\n",
		  "2: [capsule] hostname: \"gemini example\" is not a host name",
		  1 },
		{ "[gemini]\nlisten = localhost\n",
		  "2: [gemini] listen: \"localhost\" is not an IP address", 1 },
		{ "[gemini]\nlisten = 127.0.0.1, 127.0.0.1\n",
		  "2: [gemini] listen: 127.0.0.1 is listed twice", 1 },
		{ "[gemini]\nlisten = *, ::1\n",
		  "2: [gemini] listen: * already means every address", 1 },
		{ "[server]\nlog = /var/log/griot.log\n",
		  "2: [server] log: \"/var/log/griot.log\" is not a log "
		  "destination (expected stderr or syslog)", 1 },
		{ "[capsule]\nstore = nowhere\n",
		  "2: [capsule] store: ", 1 },
		{ "[capsule]\nstore = griot.ini\n",
		  "griot.ini is not a folder", 1 },
		{ "[server]\npidfile = /nonexistent-griot/griotd.pid\n",
		  "2: [server] pidfile: /nonexistent-griot/griotd.pid: its "
		  "folder does not exist", 1 },
		{ "[server]\nuser = nobody-griot-test\n",
		  "2: [server] user: no user \"nobody-griot-test\"", 1 },
		{ "[server]\ngroup = nogroup-griot-test\n",
		  "2: [server] group: no group \"nogroup-griot-test\"", 1 },
		{ "[gemini]\nprot = 1966\n",
		  "2: [gemini] prot: unknown key (did you mean \"port\"?)", 1 },
		{ "[gopher]\nwidht = 70\n",
		  "2: [gopher] widht: unknown key (did you mean \"width\"?)", 1 },
		{ "[capsule]\nport = 70\n",
		  "2: [capsule] port: unknown key in this section (it belongs in "
		  "[gemini], [gopher] or [http])", 1 },
		{ "[capsule]\nprot = 70\n",
		  "2: [capsule] prot: unknown key (did you mean \"port\", in "
		  "[gemini]?)", 1 },
		{ "[capsule]\ncolour = blue\n",
		  "2: [capsule] colour: unknown key (see griot.ini(5))", 1 },
		{ "[gemnii]\nport = 1965\n",
		  "1: [gemnii]: unknown section (did you mean [gemini]?)", 1 },
		{ "[www]\nport = 80\n",
		  "1: [www]: unknown section (expected [capsule], [gemini], "
		  "[gopher], [http] or [server])", 1 },
		{ "port = 80\n[capsule]\n",
		  "1: port: key outside any section", 1 },
		{ "[capsule]\nthis is not ini\n",
		  "2: syntax error: \"this is not ini\"", 1 },
		{ "[capsule\n",
		  "1: syntax error: \"[capsule\"", 1 },
		{ "[gemini]\nenabled = no\n[gopher]\nenabled = no\n",
		  "4: [gemini] enabled and [gopher] enabled: both are off", 1 },
		{ "[gemini]\nport = 7070\nlisten = 127.0.0.1\n[gopher]\n"
		  "port = 7070\n",
		  "5: [gopher] port: 7070 is also [gemini] port", 1 },
		{ "[server]\nchroot = pages\n",
		  "[capsule] store: ", 1 },
		{ "[server]\ngroup = root\n",
		  "2: [server] group: set without [server] user", 1 },
		/* Warnings: the file still loads. */
		{ "[capsule]\ndescription = Bonjour ; au revoir\n",
		  "2: [capsule] description: the text after ';' or '#' was read "
		  "as a comment", 0 },
		{ "[capsule]\nhostname = localhost\n[gemini]\nlisten = ::\n",
		  "2: [capsule] hostname: localhost, while griotd listens "
		  "beyond this machine", 0 },
		{ "[gopher]\nwidth = 60\nwidth = 70\n",
		  "3: [gopher] width: given again (line 2); the last one counts",
		  0 },
	};
	struct conf	*c;
	char		 want[512];
	size_t		 i;

	for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		c = load(tests[i].ini);
		snprintf(want, sizeof(want), "%s %s:%s", tests[i].error ? "E" :
		    "W", inipath, tests[i].want);
		if (strncmp(tests[i].want, "[", 1) == 0 ||
		    strchr(tests[i].want, ':') == NULL ||
		    strncmp(tests[i].want, "griot.ini", 9) == 0)
			snprintf(want, sizeof(want), "%s", tests[i].want);
		if (!ok(has(want), "bad ini %zu: %s", i, oneline(tests[i].ini)))
			printf("#    got: %s#   want: %s\n", msgs.data, want);
		if (tests[i].error)
			ok(c == NULL && nerrors >= 1, "bad ini %zu refused", i);
		else
			ok(c != NULL && nerrors == 0, "bad ini %zu loaded with a "
			    "warning", i);
		config_free(c);
	}
}

/*
 * The exact messages, every one: what they quote of the file is escaped
 * (controls, '"', '\' and invalid UTF-8 as \xHH), so no byte of the file
 * reaches the terminal as it is; and the line numbers follow iniparser's
 * reading of sections, continued lines and NUL bytes
 * (tests/fuzz/corpus/config/crash-message-*).  "@" stands for the path.
 */
static void
test_messages(void)
{
	static const struct {
		const char	*ini;
		size_t		 len;	/* 0: strlen(ini) */
		const char	*want;
	} tests[] = {
#define HOSTW	"W @: [capsule] hostname: localhost, while griotd listens " \
		"beyond this machine: links and menus would send readers to " \
		"their own machine (set hostname to the capsule's public name)\n"
		{ "\x01 ", 0,
		  "E @:1: syntax error: \"\\x01\" (expected [section], key = "
		  "value, or a comment starting with ';' or '#')\n" HOSTW },
		{ "[capsule]\r\x03name = Griot\r\n", 0,
		  "E @:1: [capsule]\\x0d\\x03name: key outside any section "
		  "(put it under [capsule], [gemini], [gopher], [http] or [server])\n" HOSTW },
		{ "[gopher]\nwidth = 6\x1b[31m7\n", 0,
		  "E @:2: [gopher] width: \"6\\x1b[31m7\" is not a number "
		  "(expected an integer from 20 to 200)\n" HOSTW },
		{ "[gopher]\ncharset = cp\"437\\x\n", 0,
		  "E @:2: [gopher] charset: \"cp\\x22437\\x5cx\" is not a "
		  "charset griot writes (expected utf-8, latin1 or ascii)\n" HOSTW },
		{ "[capsule]\nlang = fr\xe9\n", 0,
		  "E @:2: [capsule] lang: \"fr\\xe9\" is not a language tag "
		  "(expected a language tag such as fr, en or fr-CA)\n" },
		{ "[capsule]\nlang = fr\xc2\x9b" "31m\n", 0,
		  "E @:2: [capsule] lang: \"fr\\xc2\\x9b" "31m\" is not a "
		  "language tag (expected a language tag such as fr, en or "
		  "fr-CA)\n" },
		{ "[capsule]\nna\rme = x\n", 0,
		  "E @:2: [capsule] na\\x0dme: unknown key (did you mean "
		  "\"name\"?)\n" HOSTW },
		{ "[ca\x1bpsule]\n", 0,
		  "E @:1: [ca\\x1bpsule]: unknown section (did you mean "
		  "[capsule]?)\n" HOSTW },
		{ "[x\x07]\nk = 1\nk = 2\n", 0,
		  "E @:1: [x\\x07]: unknown section (expected [capsule], "
		  "[gemini], [gopher], [http] or [server])\n"
		  "W @:3: [x\\x07] k: given again (line 2); the last one "
		  "counts\n" HOSTW },
		{ "[server]\npidfile = /nonexistent-griot/\x1b]0;x\x07\n", 0,
		  "E @:2: [server] pidfile: /nonexistent-griot/\\x1b]0: its "
		  "folder does not exist (expected a file in an existing "
		  "folder)\n" HOSTW },
		/* "[x] ..." is a section only when the line ends with ']'. */
		{ "[capsule] ; the capsule\nname = x\n", 0,
		  "E @:1: syntax error: \"[capsule] ; the capsule\" (expected "
		  "[section], key = value, or a comment starting with ';' or "
		  "'#')\n"
		  "E @:2: name: key outside any section (put it under "
		  "[capsule], [gemini], [gopher], [http] or [server])\n" HOSTW },
		/* A '\' at the end of a line joins the next one to it. */
		{ "[capsule\\\n]\nname = x\nname = y\n", 0,
		  "W @:4: [capsule] name: given again (line 3); the last one "
		  "counts\n" HOSTW },
		{ "[capsule]\n[]\nname = x\n", 0,
		  "E @:2: []: a section without a name (expected [capsule], "
		  "[gemini], [gopher], [http] or [server])\n" HOSTW },
		/* NUL bytes: a message of their own. */
		{ "[capsule]\nna\0me = x\nlang = en\n", 30,
		  "E @:2: NUL byte in the line (expected UTF-8 text; was the "
		  "file saved as UTF-16?)\n" HOSTW },
		{ "[capsule]\n\0name = x\n", 20,
		  "E @:2: NUL byte in the line (expected UTF-8 text; was the "
		  "file saved as UTF-16?)\n" HOSTW },
#undef HOSTW
	};
	struct conf	*c;
	struct buf	 want = BUF_INIT;
	const char	*p;
	char		 what[32], in[512];
	size_t		 i, len;

	for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		len = tests[i].len ? tests[i].len : strlen(tests[i].ini);
		c = load_mem(tests[i].ini, len);
		buf_reset(&want);
		for (p = tests[i].want; *p != '\0'; p++)
			if (*p == '@')
				buf_puts(&want, inipath);
			else
				buf_addc(&want, *p);
		snprintf(what, sizeof(what), "message %zu", i);
		(void)log_escape(in, sizeof(in), tests[i].ini, len);
		is_mem(msgs.data, msgs.len, want.data, want.len, in, what);
		ok((c == NULL) == (nerrors > 0), "message %zu: %s", i,
		    nerrors > 0 ? "refused" : "loaded");
		config_free(c);
	}
	buf_release(&want);
}

/*
 * Every problem at once, not only the first; syntax errors included
 * (values after one are read from a copy without the unreadable lines).
 */
static void
test_all_problems(void)
{
	struct conf	*c;

	c = load("[capsule]\nlatest = abc\nbad line\n[gemini]\nprot = 1\n"
	    "port = -1\n[gopher]\nwidht = 5\nwidth = 5\nalso bad\n[nope]\n");
	ok(c == NULL, "refused");
	is_int(nerrors, 8, "eight errors reported");
	ok(has(":3: syntax error: \"bad line\""), "the syntax error");
	ok(has(":10: syntax error: \"also bad\""), "the second one");
	ok(has(":2: [capsule] latest: \"abc\" is not a number"),
	    "the bad number before it");
	ok(has(":5: [gemini] prot: unknown key"), "the unknown key");
	ok(has(":6: [gemini] port: -1 is out of range"), "the range error");
	ok(has(":8: [gopher] widht: unknown key (did you mean \"width\"?)"),
	    "the typo");
	ok(has(":9: [gopher] width: 5 is out of range"), "the second range");
	ok(has(":11: [nope]: unknown section"), "an empty unknown section too");
	config_free(c);

	c = load("[nope]\nx = 1\n");
	ok(c == NULL && has(":1: [nope]: unknown section"),
	    "an unknown section with keys");
	config_free(c);
}

/*
 * The index places sections and keys as iniparser reads them; its
 * lines are the ones of every message.
 */
static void
test_index(void)
{
	static const char text[] =
	    "; a comment\n"			/* 1 */
	    "top = 1\n"			/* 2 */
	    "[Capsule]\n"			/* 3 */
	    "  Name = x ; y\n"			/* 4 */
	    "# name = z\n"			/* 5 */
	    "\n"				/* 6 */
	    "name = w\r\n"			/* 7 */
	    "[gemini] ; not a section\n"	/* 8 */
	    "port = \\\n"			/* 9, joined with 10 */
	    "  1965\n"				/* 10 */
	    "[gopher\\\n"			/* 11, joined with 12 */
	    "]\n"				/* 12 */
	    "width=70\n"			/* 13 */
	    "= 3\n"				/* 14 */
	    "[capsule]\n"			/* 15 */
	    "lang = fr\\\n";			/* 16, dropped at the end */
	static const struct {
		const char	*section, *key;
		int		 line;
	} tests[] = {
		{ "", "top", 2 },
		{ "capsule", NULL, 15 },
		{ "capsule", "name", 7 },
		{ "capsule", "port", 9 },
		{ "gemini", NULL, 0 },
		{ "gemini", "port", 0 },
		{ "gopher", NULL, 11 },
		{ "gopher", "width", 13 },
		{ "capsule", "lang", 0 },
		{ "", "", 0 },
		{ "server", "user", 0 },
	};
	struct ini_index	*ix;
	size_t			 i;
	int			 got;

	ix = ini_index_new(text, sizeof(text) - 1);
	ok(ix != NULL, "the index is built");
	if (ix == NULL)
		return;
	for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		got = ini_index_line(ix, tests[i].section, tests[i].key);
		ok(got == tests[i].line, "index: [%s] %s at line %d (got %d)",
		    tests[i].section, tests[i].key != NULL ? tests[i].key :
		    "(section)", tests[i].line, got);
	}
	ini_index_free(ix);
	ini_index_free(NULL);

	ix = ini_index_new("", 0);
	ok(ix != NULL && ini_index_line(ix, "capsule", NULL) == 0,
	    "an empty text has an empty index");
	ini_index_free(ix);
}

/*
 * A reload (SIGHUP) of an ini broken in the meantime: refused with the
 * same messages each time (nothing kept from one load to the next),
 * the running configuration untouched, and fine again once fixed.
 */
static void
test_reload_broken(void)
{
	static const char *const broken =
	    "[capsule]\nhostname = example.org\n[gopher]\nwidht = 70\n"
	    "this is not ini\n";
	struct conf	*cur, *next;
	char		*before, *after, first[2048];

	cur = load("[capsule]\nhostname = example.org\n[gopher]\nwidth = 70\n");
	ok(cur != NULL && nerrors == 0, "the running configuration");
	if (cur == NULL)
		return;
	before = dump(cur);

	next = load(broken);
	ok(next == NULL && nerrors == 2, "a broken ini is refused");
	ok(has(":4: [gopher] widht: unknown key (did you mean \"width\"?)") &&
	    has(":5: syntax error: \"this is not ini\""), "with its messages");
	snprintf(first, sizeof(first), "%s", msgs.data);

	next = load(broken);
	ok(next == NULL && strcmp(msgs.data, first) == 0,
	    "refused again with the very same messages");

	after = dump(cur);
	ok(before != NULL && after != NULL && strcmp(before, after) == 0,
	    "the running configuration is untouched");

	next = load("[capsule]\nhostname = example.org\n[gopher]\nwidth = 40\n");
	ok(next != NULL && nerrors == 0 && next->width == 40,
	    "fixed, the ini loads again");
	free(before);
	free(after);
	config_free(cur);
	config_free(next);
}

/* config_dump() writes an ini that loads back to the same thing. */
static void
test_dump(void)
{
	static const char *const inis[] = {
		"[capsule]\nhostname = example.org\n",
		"[capsule]\nname = \"Les nouvelles ; du Togo # 1\"\n"
		"description = 'Il a dit \"oui\" ; puis non'\n"
		"hostname = gemini.example.org\nlang = en\npages = pages\n"
		"latest = 3\nmax_article_size = 12345\n"
		"[gemini]\nlisten = 127.0.0.1, ::1\nport = 11965\n"
		"public_port = 1965\nauto_cert = no\nproxy_protocol = yes\n"
		"ticket_keys = keys/ticket.keys\n"
		"[gopher]\nenabled = no\nwidth = 40\ncharset = US-ASCII\n"
		"[server]\naccess_log = off\nworkers = 3\nrate_limit = 60\n"
		"store_scan_interval = 30\n"
		"request_timeout = 30\nmax_connections = 10\n",
		/* A final '\' must not join the next line on reload. */
		"[capsule]\nname = \"C:\\\"\n"
		"description = 'il dit \"oui\" \\'\nhostname = example.org\n",
	};
	struct conf	*c, *c2, *c3;
	char		*d1, *d2, *d3;
	size_t		 i;

	for (i = 0; i < sizeof(inis) / sizeof(inis[0]); i++) {
		c = load(inis[i]);
		ok(c != NULL, "ini %zu loads", i);
		if (c == NULL) {
			printf("# %s", msgs.data);
			continue;
		}
		d1 = dump(c);
		c2 = load(d1);
		ok(c2 != NULL && nerrors == 0 && nwarnings == 0,
		    "its dump loads without a message");
		if (c2 == NULL)
			printf("# %s", msgs.data);
		d2 = c2 != NULL ? dump(c2) : NULL;
		ok(d2 != NULL && strcmp(d1, d2) == 0, "and dumps the same");
		if (d2 != NULL && strcmp(d1, d2) != 0)
			printf("# first:\n%s# second:\n%s", d1, d2);
		c3 = config_dup(c);
		d3 = c3 != NULL ? dump(c3) : NULL;
		ok(d3 != NULL && strcmp(d1, d3) == 0, "config_dup dumps the same");
		if (i == 1)
			ok(c2 != NULL && strcmp(c2->description,
			    "Il a dit \"oui\" ; puis non") == 0 &&
			    strcmp(c2->name, "Les nouvelles ; du Togo # 1") == 0,
			    "quotes and ';' survive the round trip");
		if (i == 2) {
			ok(strstr(d1, "\nname = \"C:\\\"\nhostname = "
			    "example.org\n") != NULL && strstr(d1, "\ndescription "
			    "= 'il dit \"oui\" \\'\n") != NULL,
			    "a value ending in '\\' is quoted");
			ok(c2 != NULL && strcmp(c2->name, "C:\\") == 0 &&
			    strcmp(c2->description, "il dit \"oui\" \\") == 0 &&
			    strcmp(c2->hostname, "example.org") == 0,
			    "and reads back as itself (crash-dump-backslash-end)");
		}
		free(d1);
		free(d2);
		free(d3);
		config_free(c);
		config_free(c2);
		config_free(c3);
	}
}

static void
test_keep_running(void)
{
	struct conf	*cur, *next;
	int		 n;

	cur = load("[gemini]\nport = 1965\n[gopher]\nport = 70\nwidth = 67\n");
	next = load("[gemini]\nport = 1966\n[gopher]\nport = 70\n"
	    "listen = 127.0.0.1\nwidth = 40\n[server]\nworkers = 4\n");
	ok(cur != NULL && next != NULL, "two configurations");
	if (cur == NULL || next == NULL) {
		config_free(cur);
		config_free(next);
		return;
	}
	buf_reset(&msgs);
	buf_puts(&msgs, "");
	n = config_keep_running(next, cur, &report);
	is_int(n, 3, "three settings need a restart");
	ok(has("[gemini] port: changed"), "port named");
	ok(has("[gopher] listen: changed"), "listen named");
	ok(has("[server] workers: changed"), "workers named");
	is_int(next->gemini_port, 1965, "port kept at the running value");
	is_int(next->gemini_public_port, 1965, "public port follows it back");
	ok(next->gopher_listen.naddrs == 1 &&
	    strcmp(next->gopher_listen.addrs[0], "*") == 0, "listen kept");
	is_int(next->workers, 0, "workers kept");
	is_int(next->width, 40, "width applies at once");
	config_free(cur);
	config_free(next);
}

static void
test_missing_file(void)
{
	char		 path[300];
	struct conf	*c;

	snprintf(path, sizeof(path), "%s/none.ini", tmpdir);
	buf_reset(&msgs);
	buf_puts(&msgs, "");
	c = config_load(path, &report);
	ok(c == NULL && has("none.ini: No such file or directory"),
	    "a missing ini file is named");
}

static void
test_log_escape(void)
{
	static const struct {
		const char	*in;
		size_t		 len;
		const char	*want;
	} tests[] = {
		{ "gemini://h/", 11, "gemini://h/" },
		{ "/a\r\n2026-01-01 forged", 21, "/a\\x0d\\x0a2026-01-01 forged" },
		{ "a\"b\\c", 5, "a\\x22b\\x5cc" },
		{ "caf\xc3\xa9", 5, "caf\xc3\xa9" },
		{ "caf\xe9", 4, "caf\\xe9" },
		{ "x\xc2\x85y", 4, "x\\xc2\\x85y" },
		{ "\x1b[31m", 5, "\\x1b[31m" },
		{ "a\0b", 3, "a\\x00b" },
		{ "tab\there", 8, "tab\\x09here" },
	};
	char	 out[256];
	size_t	 i, n;

	for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		n = log_escape(out, sizeof(out), tests[i].in, tests[i].len);
		is_mem(out, n, tests[i].want, strlen(tests[i].want),
		    tests[i].in, "log_escape");
	}
	n = log_escape(out, 8, "abcdefghij", 10);
	is_int(n, 7, "log_escape cuts to the room");
	n = log_escape(out, 7, "abc\x01xyz", 7);
	is_mem(out, n, "abc", 3, NULL, "log_escape never cuts an escape");
}

/* Whether there is an access log to format lines for. */
static void
test_log_access_enabled(void)
{
	char	 path[300];

	ok(log_access_init("off") == 0 && !log_access_enabled(),
	    "access_log off: log_access_enabled() is 0");
	snprintf(path, sizeof(path), "%s/access.log", tmpdir);
	ok(log_access_init(path) == 0 && log_access_enabled(),
	    "access_log to a file: log_access_enabled() is 1");
	ok(log_access_init("off") == 0 && !log_access_enabled(),
	    "back to off");
	unlink(path);
}

int
main(void)
{
	char	 path[300];

	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return 2;
	}
	snprintf(inipath, sizeof(inipath), "%s/griot.ini", tmpdir);
	snprintf(path, sizeof(path), "%s/articles", tmpdir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/pages", tmpdir);
	mkdir(path, 0755);

	test_defaults();
	test_values();
	test_errors();
	test_messages();
	test_all_problems();
	test_index();
	test_reload_broken();
	test_dump();
	test_keep_running();
	test_missing_file();
	test_log_escape();
	test_log_access_enabled();

	unlink(inipath);
	snprintf(path, sizeof(path), "%s/articles", tmpdir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/pages", tmpdir);
	rmdir(path);
	rmdir(tmpdir);
	buf_release(&msgs);
	return tap_done();
}
