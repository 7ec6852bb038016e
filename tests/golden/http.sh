#!/bin/sh
# griot: golden tests of the HTTP answers.  Copyright (c) 2026 the griot developers; ISC licence.
#
# Asks `griotd -q` for each request below on the fixture capsule
# (tests/golden/griot.ini, store/, pages/) and compares the answer, head
# and body, byte for byte with tests/golden/http/<name>, but for its
# Date line (the clock's), which is left out, the value of its ETag
# (it changes with griot's version) and of its Last-Modified (the files'
# times; tests/unit/test_http.c checks the
# validators).  TAP output.
#
#   http.sh            compare
#   http.sh --update   rewrite the expected files (then review each
#                      one by eye, and commit them with the change)

set -u

top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
GRIOTD=${GRIOTD:-$top_srcdir/src/griotd}
ini=$top_srcdir/tests/golden/griot.ini
expected=$top_srcdir/tests/golden/http
base=http://griot.example

update=0
case ${1:-} in
--update) update=1 ;;
"") ;;
*) echo "usage: $0 [--update]" >&2; exit 2 ;;
esac

if [ ! -x "$GRIOTD" ]; then
	echo "1..0 # SKIP $GRIOTD is not built"
	exit 0
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/griot-golden.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

# name, then the path of a GET (no spaces), or "RAW:" and a whole
# request head as printf(1) reads it.
cases='
home				/
home-utf8-negotiated		RAW:GET / HTTP/1.1\r\nHost: griot.example\r\nAccept-Charset: utf-8, iso-8859-1;q=0.5\r\n\r\n
article-gpsa-latin1		/latin1/articles/2024-11-28-gpsa-paix-securite.html
article-gpsa-utf8		/utf8/articles/2024-11-28-gpsa-paix-securite.html
article-gpsa-ascii		/ascii/articles/2024-11-28-gpsa-paix-securite.html
article-preformate		/utf8/articles/2025-03-19-paragraphes-et-preformate.html
categories			/categories/
category-societe		/categories/societe/
month-2026-02			/archive/2026-02/
search-form			/search
search-securite			/utf8/search?q=s%C3%A9curit%C3%A9
search-isindex-latin1		/search?s%E9curit%E9
redirect-archive		/archive
not-found			/articles/nope.html
method-post			RAW:POST / HTTP/1.1\r\nHost: griot.example\r\nContent-Length: 0\r\n\r\n
head-article			RAW:HEAD /articles/2024-11-28-gpsa-paix-securite.html HTTP/1.0\r\n\r\n
robots.txt			/robots.txt
'

n=0
failed=0
printf '%s\n' "$cases" | {
	while read -r name path; do
		[ -n "$name" ] || continue
		n=$((n + 1))
		case $path in
		RAW:*)
			# shellcheck disable=SC2059
			req=$(printf "${path#RAW:}") ;;
		*)	req=$base$path ;;
		esac
		got=$tmp/$name
		"$GRIOTD" -c "$ini" -q "$req" >"$tmp/raw" 2>"$tmp/stderr"
		sed -e '/^Date: /d' \
		    -e 's/^ETag: "[0-9a-f]\{16\}"/ETag: "(16 hex digits)"/' \
		    -e 's/^Last-Modified: [A-Z][a-z][a-z], [0-9][0-9] [A-Z][a-z][a-z] [0-9]\{4\} [0-9][0-9]:[0-9][0-9]:[0-9][0-9] GMT/Last-Modified: (an HTTP date)/' \
		    "$tmp/raw" >"$got"
		if [ ! -s "$got" ]; then
			echo "not ok $n - $name: no answer for $path"
			sed 's/^/# /' "$tmp/stderr"
			failed=$((failed + 1))
			continue
		fi
		if [ "$update" = 1 ]; then
			mkdir -p "$expected"
			cp "$got" "$expected/$name"
			echo "ok $n - $name (updated: review it)"
		elif [ ! -f "$expected/$name" ]; then
			echo "not ok $n - $name: $expected/$name missing (run $0 --update)"
			failed=$((failed + 1))
		elif cmp -s "$expected/$name" "$got"; then
			echo "ok $n - $name ($path)"
		else
			echo "not ok $n - $name ($path) differs from tests/golden/http/$name"
			diff -u "$expected/$name" "$got" | sed 's/^/# /' | head -60
			failed=$((failed + 1))
		fi
	done
	echo "1..$n"
	[ "$failed" -eq 0 ]
}
