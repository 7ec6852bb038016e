#!/bin/sh
# griot: golden tests of the Gemini answers.  Copyright (c) 2026 the griot developers; ISC licence.
#
# Asks `griotd -q` for each URL below on the fixture capsule
# (tests/golden/griot.ini, store/, pages/) and compares the answer, header
# and body, byte for byte with tests/golden/gemini/<name>.  TAP output.
#
#   gemini.sh            compare
#   gemini.sh --update   rewrite the expected files (then review each
#                        one by eye, and commit them with the change)

set -u

top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
GRIOTD=${GRIOTD:-$top_srcdir/src/griotd}
ini=$top_srcdir/tests/golden/griot.ini
expected=$top_srcdir/tests/golden/gemini
base=gemini://griot.example

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

# name, then the path of the URL (no spaces in either).
cases='
home				/
home-empty-path			NONE
article-gpsa			/articles/2024-11-28-gpsa-paix-securite.gmi
article-typographie		/articles/2025-03-14-typographie.gmi
article-preformate		/articles/2025-03-19-paragraphes-et-preformate.gmi
categories			/categories/
category-a-la-une		/categories/a-la-une.gmi
category-societe		/categories/societe.gmi
archive				/archive/
month-2026-02			/archive/2026-02.gmi
search-prompt			/search
search-securite			/search?securite
search-oeuvre			/search?OEUVRE
search-none			/search?introuvable
page-a-propos			/pages/a-propos.gmi
robots.txt			/robots.txt
atom.xml			/atom.xml
redirect-categories		/categories
not-found			/articles/nope.gmi
'

n=0
failed=0
echo "$cases" | {
	while read -r name path; do
		[ -n "$name" ] || continue
		n=$((n + 1))
		if [ "$path" = NONE ]; then
			url=$base
		else
			url=$base$path
		fi
		got=$tmp/$name
		if ! "$GRIOTD" -c "$ini" -q "$url" >"$got" 2>"$tmp/stderr"; then
			# Non-2x answers may exit non-zero; the bytes decide.
			:
		fi
		if [ ! -s "$got" ]; then
			echo "not ok $n - $name: no answer for $url"
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
			echo "ok $n - $name ($url)"
		else
			echo "not ok $n - $name ($url) differs from tests/golden/gemini/$name"
			diff -u "$expected/$name" "$got" | sed 's/^/# /' | head -60
			failed=$((failed + 1))
		fi
	done
	echo "1..$n"
	[ "$failed" -eq 0 ]
}
