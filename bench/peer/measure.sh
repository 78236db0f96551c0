#!/bin/sh
# Interleaved comparison of the Go harness and the PyTorch peer on one workload, each run once
# per round, ROUNDS rounds (default 5), the machine's load noted before every round; prints every
# run's generations_per_second and the medians.
#   bench/peer/measure.sh [ROUNDS] [GENERATIONS] [cat|2d|seq]
# cat (default): Go, peer usual, peer with the count-table trick (1 torch thread each).
# 2d and seq: Go, peer at 1 and at 2 torch threads.
# Env: SC (Go binary; default: built into a temp dir); BEFORE (another Go binary, e.g. an older
# commit's, run in the same rounds with CONFIG_BEFORE, default the same config); EXTRA=1 (cat)
# also times the peer at 2 torch threads, with 2 worker threads, with the loss as one
# cross_entropy call (--fused-ce), and Go at GOMAXPROCS=1; EXTRA=1 (2d) also times the peer
# sampling through the conditioners' piecewise-linear form (--pwl) at 1 and 2 torch threads.
set -eu
ROUNDS=${1:-5}
GENS=${2:-40}
WORKLOAD=${3:-cat}
case $WORKLOAD in
cat) CONFIG=configs/bench-cat.yaml ;;
2d) CONFIG=configs/bench-2d.yaml ;;
seq) CONFIG=configs/bench-seq.yaml ;;
*) echo "workload: cat, 2d or seq" >&2; exit 2 ;;
esac
CONFIG_BEFORE=${CONFIG_BEFORE:-$CONFIG}
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
    if [ -n "${BEFORE:-}" ]; then
        run go-before "$BEFORE" bench "$CONFIG_BEFORE" -n "$GENS"
    fi
    run go "$SC" bench "$CONFIG" -n "$GENS"
    if [ "$WORKLOAD" != cat ]; then
        run peer-threads1 "$PY" "$HERE/bench_$WORKLOAD.py" -n "$GENS" --quiet --threads 1
        run peer-threads2 "$PY" "$HERE/bench_$WORKLOAD.py" -n "$GENS" --quiet --threads 2
        if [ "$WORKLOAD" = 2d ] && [ "${EXTRA:-0}" = 1 ]; then
            run peer-pwl-threads1 "$PY" "$HERE/bench_2d.py" -n "$GENS" --quiet --threads 1 --pwl
            run peer-pwl-threads2 "$PY" "$HERE/bench_2d.py" -n "$GENS" --quiet --threads 2 --pwl
        fi
        continue
    fi
    run peer-plain "$PY" "$HERE/bench_cat.py" -n "$GENS" --quiet --threads 1
    run peer-trick "$PY" "$HERE/bench_cat.py" -n "$GENS" --quiet --threads 1 --trick
    if [ "${EXTRA:-0}" = 1 ]; then
        run go-gomaxprocs1 env GOMAXPROCS=1 "$SC" bench "$CONFIG" -n "$GENS"
        run peer-plain-threads2 "$PY" "$HERE/bench_cat.py" -n "$GENS" --quiet --threads 2
        run peer-trick-threads2 "$PY" "$HERE/bench_cat.py" -n "$GENS" --quiet --threads 2 --trick
        run peer-plain-workers2 "$PY" "$HERE/bench_cat.py" -n "$GENS" --quiet --workers 2
        run peer-trick-workers2 "$PY" "$HERE/bench_cat.py" -n "$GENS" --quiet --workers 2 --trick
        run peer-trick-fused-ce "$PY" "$HERE/bench_cat.py" -n "$GENS" --quiet --threads 1 --trick --fused-ce
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
