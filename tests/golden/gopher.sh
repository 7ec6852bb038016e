#!/bin/sh
# griot: golden tests of the Gopher answers.  Copyright (c) 2026 the griot developers; ISC licence.
#
# Asks `griotd -q` for each gopher:// URL below on the fixture capsule
# (tests/golden/griot.ini at 67 columns, griot-40.ini at 40; store/ and
# pages/) and compares the answer byte for byte with
# tests/golden/gopher/<name>.  TAP output.
#
#   gopher.sh            compare
#   gopher.sh --update   rewrite the expected files (then review each one
#                        by eye, and commit them with the change)

set -u

top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
GRIOTD=${GRIOTD:-$top_srcdir/src/griotd}
golden=$top_srcdir/tests/golden
expected=$golden/gopher
base=gopher://griot.example

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

# Name, width, then the URL path: the item type, then the selector, with
# %09 before the search words (RFC 4266).  No spaces in any of them.
pages='
root			/1/
category-societe	/1/categories/societe
article-gpsa		/0/articles/2024-11-28-gpsa-paix-securite.txt
article-typographie	/0/articles/2025-03-14-typographie.txt
'
cases=$(
	for width in 67 40; do
		echo "$pages" | while read -r name path; do
			[ -n "$name" ] || continue
			sel=${path#/?}
			echo "$width-$name-utf8 $width $path"
			echo "$width-$name-latin1 $width ${path%"$sel"}/latin1$sel"
			echo "$width-$name-ascii $width ${path%"$sel"}/ascii$sel"
		done
	done
	cat <<'EOF'
67-article-preformate-utf8 67 /0/articles/2025-03-19-paragraphes-et-preformate.txt
67-search-securite-utf8 67 /7/search%09securite
67-search-securite-latin1 67 /7/latin1/search%09s%E9curit%E9
67-categories-utf8 67 /1/categories/
67-archive-utf8 67 /1/archive/
67-month-2026-02-utf8 67 /1/archive/2026-02
67-page-a-propos-utf8 67 /0/pages/a-propos.txt
67-not-found-utf8 67 /1/nope
67-gopher-plus-utf8 67 /1%09%24
67-view-40-root-utf8 67 /1/40/
67-view-40-category-societe-utf8 67 /1/40/categories/societe
67-view-40-article-gpsa-utf8 67 /0/40/articles/2024-11-28-gpsa-paix-securite.txt
67-view-40-article-typographie-ascii 67 /0/ascii/40/articles/2025-03-14-typographie.txt
67-view-80-root-ascii 67 /1/ascii/80/
67-view-80-category-societe-ascii 67 /1/ascii/80/categories/societe
67-view-80-article-gpsa-ascii 67 /0/ascii/80/articles/2024-11-28-gpsa-paix-securite.txt
67-search-securite-latin1-from-utf8 67 /7/search%09s%E9curit%E9
EOF
)

n=0
failed=0
echo "$cases" | {
	while read -r name width path; do
		[ -n "$name" ] || continue
		n=$((n + 1))
		if [ "$width" = 40 ]; then
			ini=$golden/griot-40.ini
		else
			ini=$golden/griot.ini
		fi
		url=$base$path
		got=$tmp/$name
		"$GRIOTD" -c "$ini" -q "$url" >"$got" 2>"$tmp/stderr" || :
		if [ ! -s "$got" ]; then
			echo "not ok $n - $name: no answer for $url"
			sed 's/^/# /' "$tmp/stderr"
			failed=$((failed + 1))
			continue
		fi
		if [ "$update" = 1 ]; then
			mkdir -p "$expected" && cp "$got" "$expected/$name"
			echo "ok $n - $name: written (review it)"
		elif [ ! -f "$expected/$name" ]; then
			echo "not ok $n - $name: no expected file (run $0 --update)"
			failed=$((failed + 1))
		elif cmp -s "$expected/$name" "$got"; then
			echo "ok $n - $name ($url)"
		else
			echo "not ok $n - $name: differs for $url"
			diff -u "$expected/$name" "$got" | head -40 |
			    sed 's/^/# /'
			failed=$((failed + 1))
		fi
	done
	echo "1..$n"
	[ "$failed" = 0 ]
}
