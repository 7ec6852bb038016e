#!/bin/sh
# griot: benchmark of griot-import.  Copyright (c) 2026 the griot developers; ISC licence.
#
# Generates a feed of BENCH_ITEMS items (1,000) of about 5 KB of HTML each
# (bench/gen_feed.py), imports it into an empty store, then again with
# nothing changed, and prints a markdown table: seconds, items per second
# and MB/s of HTML converted for the first run; seconds and files touched
# for the second (target: under 1 s, nothing written).  Wall time of the
# first run is mostly the fsync of each new file; CPU time is the
# conversion.  It builds
# nothing: give it the build folder (or set GRIOT_IMPORT), built without
# sanitizers:
#
#	make src/griot-import && sh bench/import.sh /path/to/build
#
# It works in a temporary folder, removed at the end.

set -eu

me=bench/import.sh
srcdir=$(cd "$(dirname "$0")/.." && pwd)
if [ $# -eq 1 ]; then
	GRIOT_IMPORT=$(cd "$1" && pwd)/src/griot-import
fi
: "${GRIOT_IMPORT:?usage: $me build-folder, or set GRIOT_IMPORT}"
items=${BENCH_ITEMS:-1000}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/griot-bench-import.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir "$tmp/store"

html=$(python3 "$srcdir/bench/gen_feed.py" "$items" 2>&1 >"$tmp/feed.xml")
feed=$(wc -c <"$tmp/feed.xml")

# "WALL CPU" seconds of one command (its output kept): CPU is user +
# system, the figure that does not depend on what else the machine runs.
elapsed() {
	/usr/bin/time -f "%e %U %S" -o "$tmp/time" "$@" >"$tmp/out" 2>"$tmp/err" ||
	    { cat "$tmp/err" >&2; exit 1; }
	awk '{ printf "%.2f %.2f\n", $1, $2 + $3 }' "$tmp/time"
}

[ -x /usr/bin/time ] || { echo "$me: needs GNU time (apt-get install time)" >&2; exit 1; }
set -- $(elapsed env TZ=UTC "$GRIOT_IMPORT" -s "$tmp/store" "$tmp/feed.xml")
wall1=$1 cpu1=$2
sum1=$(tail -n 1 "$tmp/out")
ls -l --time-style=+%s.%N "$tmp/store" >"$tmp/before"
set -- $(elapsed env TZ=UTC "$GRIOT_IMPORT" -s "$tmp/store" "$tmp/feed.xml")
wall2=$1 cpu2=$2
sum2=$(tail -n 1 "$tmp/out")
ls -l --time-style=+%s.%N "$tmp/store" >"$tmp/after"
if cmp -s "$tmp/before" "$tmp/after"; then touched=none; else touched="some (see the listing)"; fi
files=$(ls "$tmp/store" | wc -l)
load=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?')

awk -v items="$items" -v feed="$feed" -v html="$html" -v wall1="$wall1" \
    -v cpu1="$cpu1" -v wall2="$wall2" -v cpu2="$cpu2" -v sum1="$sum1" \
    -v sum2="$sum2" -v touched="$touched" -v files="$files" -v load="$load" 'BEGIN {
	printf "| run | wall | CPU | HTML MB/s (CPU) | items/s (CPU) | result |\n"
	printf "| --- | ---: | ---: | ---: | ---: | --- |\n"
	printf "| first, empty store | %.2f s | %.2f s | %.1f | %.0f | %s |\n",
	    wall1, cpu1, html / 1e6 / (cpu1 + 1e-9), items / (cpu1 + 1e-9), sum1
	printf "| second, nothing changed | %.2f s | %.2f s | %.1f | %.0f | %s; files touched: %s |\n",
	    wall2, cpu2, html / 1e6 / (cpu2 + 1e-9), items / (cpu2 + 1e-9), sum2, touched
	printf "\n%d items, feed %.1f MB, HTML %.1f MB; %d files in the store; load average %s.\n",
	    items, feed / 1e6, html / 1e6, files, load
}'
