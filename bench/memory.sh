#!/bin/sh
# griot: resident memory of griotd per 1,000 articles.  Copyright (c) 2026 the griot developers; ISC licence.
#
# For each store size, writes a synthetic store with bench/gen_store.py,
# starts griotd on it (Gopher only, 2 workers, a free loopback port), waits
# for its "listening on" line, reads VmRSS from /proc, and stops it by pid.
# Prints a markdown table: articles, their bytes, RSS, and RSS per 1,000
# articles above the empty store's.  It first runs "make bench" in the
# build folder (output to standard error).
#
#	sh bench/memory.sh BUILD-FOLDER [COUNT...]     (default: 0 1000 10000 100000)

set -u
srcdir=$(cd "$(dirname "$0")/.." && pwd)
[ $# -ge 1 ] || { echo "usage: bench/memory.sh build-folder [count...]" >&2; exit 2; }
build=$(cd "$1" && pwd) || exit 2
shift
make -C "$build" bench >&2 || { echo "bench/memory.sh: make bench failed in $build" >&2; exit 2; }
GRIOTD=$build/src/griotd
[ -x "$GRIOTD" ] || { echo "bench/memory.sh: $GRIOTD missing after make bench" >&2; exit 2; }
counts=${*:-0 1000 10000 100000}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/griot-mem.XXXXXX") || exit 1
chmod 755 "$tmp"
pid=
cleanup() {
	[ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

user=
[ "$(id -u)" -eq 0 ] && user="user = nobody
group = nogroup"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

echo "| articles | article bytes (MB) | griotd RSS (MB) | RSS per 1,000 articles (MB) | RSS ÷ article bytes |"
echo "| ---: | ---: | ---: | ---: | ---: |"
base=
for n in $counts; do
	rm -rf "$tmp/store"
	mkdir -p "$tmp/store"
	[ "$n" -gt 0 ] && python3 "$srcdir/bench/gen_store.py" -n "$n" -s 1 "$tmp/store" >/dev/null
	chmod -R a+rX "$tmp/store"
	disk=$(du -sk --apparent-size "$tmp/store" | cut -f1)
	cat > "$tmp/griot.ini" <<EOI
[capsule]
hostname = localhost
store = store
[gemini]
enabled = no
[gopher]
listen = 127.0.0.1
port = $port
[server]
workers = 2
access_log = off
$user
EOI
	: > "$tmp/log"
	"$GRIOTD" -c "$tmp/griot.ini" >"$tmp/log" 2>&1 &
	pid=$!
	i=0
	while ! grep -q "listening on" "$tmp/log" && [ $i -lt 600 ]; do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
		i=$((i + 1))
	done
	rss=$(sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$pid/status" 2>/dev/null)
	kill -TERM "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	pid=
	[ -n "$rss" ] || { echo "bench/memory.sh: griotd did not start on $n articles:" >&2; cat "$tmp/log" >&2; exit 1; }
	[ -z "$base" ] && base=$rss
	awk -v n="$n" -v d="$disk" -v r="$rss" -v b="$base" 'BEGIN {
		per = n > 0 ? sprintf("%.2f", (r - b) / 1024 / (n / 1000)) : "-";
		ratio = d > 0 && n > 0 ? sprintf("%.2f", r / d) : "-";
		printf("| %d | %.1f | %.1f | %s | %s |\n", n, d / 1024, r / 1024, per, ratio) }'
done
