#!/bin/sh
# griot: CPU instructions per request, two griotd side by side.  Copyright (c) 2026 the griot developers; ISC licence.
#
# Counts the instructions griotd runs per request under callgrind, which
# counts instructions, not seconds: the figures repeat on a busy shared
# machine where timings do not.  Each griotd (A and B, e.g. the build
# before a change and after it) serves a copy of the sample capsule (one
# worker, Gopher and Gemini) twice, for N1 and then N2 requests of each
# kind; the difference of the two totals, divided by N2 - N1, is the cost
# of one request without the start-up.  Prints a markdown table.
#
#	sh bench/instr.sh GRIOTD_A GRIOTD_B LOADGEN
#
# Environment: INSTR_N1 (200), INSTR_N2 (1200).  Needs valgrind.
# Everything it starts, it stops by pid.

set -u
me=bench/instr.sh
[ $# -eq 3 ] || { echo "usage: $me griotd-A griotd-B loadgen" >&2; exit 2; }
A=$1 B=$2 LG=$3
N1=${INSTR_N1:-200}
N2=${INSTR_N2:-1200}
srcdir=$(cd "$(dirname "$0")/.." && pwd)
command -v valgrind >/dev/null || { echo "$me: valgrind is missing" >&2; exit 2; }
# Run as root (a test machine), griotd needs this to keep its privileges.
export GRIOT_ALLOW_ROOT=1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/griot-instr.XXXXXX") || exit 1
pid=
trap '[ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

cp -R "$srcdir/capsule" "$tmp/capsule" || exit 1
mkdir -p "$tmp/capsule/certs"
gph=$(free_port)
gmi=$(free_port)
cat >"$tmp/capsule/griot.ini" <<EOF2
[capsule]
hostname = localhost
store = articles
pages = pages
[gemini]
listen = 127.0.0.1
port = $gmi
[gopher]
listen = 127.0.0.1
port = $gph
[server]
workers = 1
access_log = off
EOF2
# The certificate, once, outside the measured runs.
"$A" -t -c "$tmp/capsule/griot.ini" >/dev/null 2>&1

# run GRIOTD N: total instructions of a run serving N requests of each kind.
run() {
	out=$tmp/cg.out
	rm -f "$out"
	valgrind --tool=callgrind --callgrind-out-file="$out" \
	    "$1" -c "$tmp/capsule/griot.ini" >"$tmp/log" 2>&1 &
	pid=$!
	i=0
	until [ "$(grep -c 'listening on' "$tmp/log")" -ge 2 ]; do
		i=$((i + 1))
		[ $i -gt 1200 ] && { echo "$me: $1 did not start" >&2; cat "$tmp/log" >&2; exit 1; }
		sleep 0.05
	done
	"$LG" -q -m gopher -a 127.0.0.1 -P "$gph" -s / -c 1 -n "$2" -w 0 -t 600 >/dev/null
	"$LG" -q -m gopher -a 127.0.0.1 -P "$gph" -s /articles/2024-11-28-gpsa-paix-securite.txt -c 1 -n "$2" -w 0 -t 600 >/dev/null
	"$LG" -q -m gemini -a 127.0.0.1 -P "$gmi" -S localhost -s "gemini://localhost:$gmi/articles/2024-11-28-gpsa-paix-securite.gmi" -c 1 -n "$2" -w 0 -t 600 >/dev/null
	kill -TERM "$pid"
	wait "$pid"
	pid=
	sed -n 's/^totals: *\([0-9]*\).*/\1/p; s/^summary: *\([0-9]*\).*/\1/p' "$out" | head -n 1
}

per() {
	t1=$(run "$1" "$N1") || exit 1
	t2=$(run "$1" "$N2") || exit 1
	echo $(( (t2 - t1) / (3 * (N2 - N1)) ))
}

a=$(per "$A") || exit 1
b=$(per "$B") || exit 1
echo "| griotd | instructions per request (Gopher menu, Gopher article, Gemini article, mean) |"
echo "| --- | ---: |"
echo "| A: $A | $a |"
echo "| B: $B | $b |"
awk -v a="$a" -v b="$b" 'BEGIN { printf "| B / A | %.3f |\n", b / a }'
