#!/bin/sh
# griot: what one change to the store costs griotd.  Copyright (c) 2026 the griot developers; ISC licence.
#
# Starts griotd (Gopher only, 2 workers, no access log, a free loopback
# port) on an existing store folder (bench/gen_store.py writes one), waits
# for its "listening on" line, runs bench/store_update against it (changes
# one after the other, then a SIGHUP reload), and stops it by pid.  The
# store is left as it was found.  It first runs "make bench" in the build
# folder (output to standard error).
#
#	sh bench/store_update.sh BUILD-FOLDER STORE-FOLDER [CHANGES]
#
# e.g. bench/gen_store.py -n 100000 -s 1 /tmp/griot-store-100k
#      sh bench/store_update.sh _build/default /tmp/griot-store-100k 20

set -u
[ $# -ge 2 ] || { echo "usage: bench/store_update.sh build-folder store-folder [changes]" >&2; exit 2; }
build=$(cd "$1" && pwd) || exit 2
store=$(cd "$2" && pwd) || exit 2
changes=${3:-20}
make -C "$build" bench >&2 || { echo "bench/store_update.sh: make bench failed in $build" >&2; exit 2; }
GRIOTD=$build/src/griotd
BENCH=$build/bench/store_update
for p in "$GRIOTD" "$BENCH"; do
	[ -x "$p" ] || { echo "bench/store_update.sh: $p missing after make bench" >&2; exit 2; }
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/griot-upd.XXXXXX") || exit 1
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
cat > "$tmp/griot.ini" <<EOI
[capsule]
hostname = localhost
store = $store
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
"$GRIOTD" -c "$tmp/griot.ini" >"$tmp/log" 2>&1 &
pid=$!
i=0
while ! grep -q "listening on" "$tmp/log" && [ $i -lt 1200 ]; do
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.1
	i=$((i + 1))
done
grep -q "listening on" "$tmp/log" || { echo "bench/store_update.sh: griotd did not start:" >&2; cat "$tmp/log" >&2; exit 1; }
"$BENCH" -H -n "$changes" -p "$port" -P "$pid" -l "$tmp/log" "$store"
status=$?
[ $status -eq 0 ] || tail -20 "$tmp/log" >&2
exit $status
