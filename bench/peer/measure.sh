#!/bin/sh
# Interleaved comparison on bench-cat: the Go harness and the PyTorch peer, each run once per
# round, ROUNDS rounds (default 5), the machine's load noted before every round; prints every
# run's generations_per_second and the medians.
#   bench/peer/measure.sh [ROUNDS] [GENERATIONS]
# Env: SC (Go binary; default: built into a temp dir), EXTRA=1 also times the peer at 2 torch
# threads, with 2 worker threads, and the Go harness at GOMAXPROCS=1.
set -eu
ROUNDS=${1:-5}
GENS=${2:-40}
HERE=$(cd "$(dirname "$0")" && pwd)
MAIN=$(cd "$HERE/../.." && pwd)
PY=/usr/bin/python3
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
if [ -z "${SC:-}" ]; then
    SC=$WORK/sc
    (cd "$MAIN" && go build -o "$SC" ./cmd/selfconsume)
fi
cd "$MAIN"

gps() { tail -n 1 | sed -n 's/^generations_per_second: //p'; }

run() { # name command...
    name=$1; shift
    v=$("$@" 2>/dev/null | gps)
    echo "$name $v" >> "$WORK/results"
    printf '  %-28s %s\n' "$name" "$v"
}

for r in $(seq 1 "$ROUNDS"); do
    echo "round $r: $(uptime)"
    run go "$SC" bench configs/bench-cat.yaml -n "$GENS"
    run peer-plain "$PY" "$HERE/bench_cat.py" -n "$GENS" --quiet --threads 1
    run peer-trick "$PY" "$HERE/bench_cat.py" -n "$GENS" --quiet --threads 1 --trick
    if [ "${EXTRA:-0}" = 1 ]; then
        run go-gomaxprocs1 env GOMAXPROCS=1 "$SC" bench configs/bench-cat.yaml -n "$GENS"
        run peer-plain-threads2 "$PY" "$HERE/bench_cat.py" -n "$GENS" --quiet --threads 2
        run peer-trick-threads2 "$PY" "$HERE/bench_cat.py" -n "$GENS" --quiet --threads 2 --trick
        run peer-plain-workers2 "$PY" "$HERE/bench_cat.py" -n "$GENS" --quiet --workers 2
        run peer-trick-workers2 "$PY" "$HERE/bench_cat.py" -n "$GENS" --quiet --workers 2 --trick
    fi
done
echo "after: $(uptime)"
echo "medians over $ROUNDS rounds (generations per second):"
awk '{ v[$1] = v[$1] " " $2; if (!($1 in seen)) { seen[$1] = 1; order[++n] = $1 } }
END { for (i = 1; i <= n; i++) print order[i], v[order[i]] }' "$WORK/results" |
while read -r name vals; do
    med=$(printf '%s\n' $vals | sort -g | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }')
    printf '  %-28s %-8s (%s)\n' "$name" "$med" "$vals"
done
