#!/bin/sh
# griot: the manuals pass mandoc -Tlint and document every key.  Copyright (c) 2026 the griot developers; ISC licence.
#
# TAP.  "Clean" means no message at all from mandoc -Tlint, except that a
# cross-reference to a page not installed yet (griot.ini(5) from
# griotd(8)) or a stale mandoc.db is not the manual's fault.  Then every
# key griotd -T prints must have its entry in griot.ini(5).

top_srcdir=${top_srcdir:-$(dirname "$0")/..}
GRIOTD=${GRIOTD:-$top_srcdir/src/griotd}
n=0
failed=0

ok() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		failed=$((failed + 1))
	fi
}

if ! command -v mandoc >/dev/null 2>&1; then
	echo "1..0 # SKIP mandoc is not installed (apt-get install mandoc)"
	exit 0
fi

for page in griotd.8 griot.ini.5 griot-article.5 griot-import.1; do
	f=$top_srcdir/man/$page
	msgs=$(mandoc -Tlint "$f" 2>&1 |
	    grep -v -e 'referenced manual not found' -e 'outdated mandoc.db')
	if [ -z "$msgs" ]; then
		ok 0 "mandoc -Tlint $page"
	else
		ok 1 "mandoc -Tlint $page"
		echo "$msgs" | sed 's/^/#   /'
	fi
	# -W warning fails on anything at warning level or above, whatever
	# the filter above lets through.
	mandoc -Tlint -W warning "$f" >/dev/null 2>&1
	ok $? "mandoc -Tlint -W warning $page exits 0"
done

if [ -x "$GRIOTD" ]; then
	keys=$("$GRIOTD" -T -c "$top_srcdir/capsule/griot.ini" 2>/dev/null |
	    sed -n 's/^\([a-z_]*\) =.*/\1/p' | sort -u)
	[ -n "$keys" ]
	ok $? "griotd -T lists keys"
	for k in $keys; do
		grep -q "^\.It Cm $k " "$top_srcdir/man/griot.ini.5"
		ok $? "griot.ini.5 documents $k"
	done
	for o in c d F h q t T v; do
		grep -q "^\.It Fl $o\( \|$\)" "$top_srcdir/man/griotd.8"
		ok $? "griotd.8 documents -$o"
	done
else
	echo "# $GRIOTD not built: keys and options not checked"
fi

echo "1..$n"
[ "$failed" -eq 0 ]
