#!/bin/sh
# Before/after comparison of selfconsume builds: every binary runs `bench CONFIG -n GENERATIONS`
# once per round, interleaved (the machine drifts between minutes), ROUNDS rounds; prints each
# run's generations_per_second and, per binary, the median.
#   bench/ab.sh CONFIG GENERATIONS ROUNDS BINARY [BINARY...]
# e.g. build the commit before a change into /tmp/before and the tree into /tmp/after:
#   git worktree add /tmp/old HEAD~1 && (cd /tmp/old && go build -o /tmp/before ./cmd/selfconsume)
#   go build -o /tmp/after ./cmd/selfconsume && bench/ab.sh configs/bench-2d.yaml 6 5 /tmp/before /tmp/after
set -eu
[ $# -ge 4 ] || { sed -n 2,8p "$0"; exit 2; }
CONFIG=$1 GENS=$2 ROUNDS=$3
shift 3
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
i=0
for b in "$@"; do i=$((i + 1)); : > "$WORK/$i"; done
for r in $(seq 1 "$ROUNDS"); do
    i=0
    for b in "$@"; do
        i=$((i + 1))
        v=$("$b" bench "$CONFIG" -n "$GENS" 2>/dev/null | sed -n 's/^generations_per_second: //p')
        echo "$v" >> "$WORK/$i"
        printf 'round %d  %-24s %s\n' "$r" "$b" "$v"
    done
done
i=0
for b in "$@"; do
    i=$((i + 1))
    printf 'median  %-24s %s\n' "$b" "$(sort -g "$WORK/$i" | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}')"
done
