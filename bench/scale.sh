#!/bin/sh
# Scaling benchmark: `selfconsume bench` over one axis at a time from the fixed workloads
# configs/bench-cat.yaml and configs/bench-2d.yaml, by --set overrides:
#   models  number of models 1 2 4 8 16 (bench-cat; each model as bench-cat's, its mix real 0.5
#           plus 0.5 spread evenly over all models' curated sets)
#   cxv     contexts x tokens 16x64 32x128 64x256 64x1024 (bench-cat; value = C*V; the reward
#           model check reward_model.min_agreement is off: at 64x1024, 300 steps do not reach it)
#   hidden  generator width w, hidden [w, w], 32 64 128 256 (bench-cat; the reward model stays 128)
#   planar  samples per model n 1024 2048 4096 8192 (bench-2d; curation.pool = n, as in the base)
# Each point: one probe run (-n 2, not recorded) sets -n so a run takes about TARGET seconds, then
# RUNS runs; each records generations_per_second and the peak resident set (/usr/bin/time %M, kB).
# Writes OUT/scale.csv (axis,value,run,gen_per_s,seconds_per_gen,peak_rss_kb), then fits and plots:
#   go run ./bench/scale fit OUT/scale.csv -png OUT
#   bench/scale.sh [OUT [RUNS [TARGET]]]     (defaults: bench/scale 3 3; env SC: the binary)
set -eu
OUT=${1:-bench/scale} RUNS=${2:-3} TARGET=${3:-3}
mkdir -p "$OUT"
SC=${SC:-}
if [ -z "$SC" ]; then
    SC=$(mktemp -d)/selfconsume
    go build -o "$SC" ./cmd/selfconsume
fi
CSV=$OUT/scale.csv
TMP=$(mktemp)
trap 'rm -f "$TMP" "$TMP.out" "$TMP.err"' EXIT
echo "axis,value,run,gen_per_s,seconds_per_gen,peak_rss_kb" > "$CSV"

# once CONFIG N ARGS...: one bench run; prints "gen_per_s rss_kb".
once() {
    cfg=$1 n=$2
    shift 2
    if ! /usr/bin/time -f 'peak_rss_kb: %M' -o "$TMP" "$SC" bench "$cfg" -n "$n" "$@" > "$TMP.out" 2> "$TMP.err"; then
        echo "scale.sh: selfconsume bench $cfg -n $n $* failed:" >&2
        cat "$TMP.err" >&2
        exit 1
    fi
    g=$(sed -n 's/^generations_per_second: //p' "$TMP.out")
    m=$(sed -n 's/^peak_rss_kb: //p' "$TMP")
    rm -f "$TMP.out" "$TMP.err"
    echo "$g $m"
}

# point AXIS VALUE CONFIG ARGS...: probe, then RUNS recorded runs.
point() {
    axis=$1 value=$2 cfg=$3
    shift 3
    g=$(once "$cfg" 2 "$@")
    g=${g% *}
    n=$(awk -v g="$g" -v t="$TARGET" 'BEGIN {n = int(g * t + 0.5); if (n < 2) n = 2; if (n > 400) n = 400; print n}')
    for r in $(seq 1 "$RUNS"); do
        res=$(once "$cfg" "$n" "$@")
        g=${res% *} m=${res#* }
        awk -v a="$axis" -v v="$value" -v r="$r" -v g="$g" -v m="$m" \
            'BEGIN {printf "%s,%s,%d,%s,%.6g,%s\n", a, v, r, g, 1 / g, m}' >> "$CSV"
        printf '%-7s %-6s run %d  -n %-4d %8s gen/s  %s kB\n' "$axis" "$value" "$r" "$n" "$g" "$m" >&2
    done
}

# models_yaml M: bench-cat's models, M of them, as one flow-style YAML list.
models_yaml() {
    awk -v m="$1" 'BEGIN {
        cur = ""
        for (j = 1; j <= m; j++) cur = cur sprintf("%sm%d: %.17g", (j > 1 ? ", " : ""), j, 0.5 / m)
        printf "["
        for (i = 1; i <= m; i++)
            printf "%s{name: m%d, population: human, hidden: [128, 128], n: 4096, epochs: 2, batch: 256, lr: 0.001, init_steps: 200, mix: {real: 0.5, curated: {%s}}}", (i > 1 ? ", " : ""), i, cur
        printf "]"
    }'
}

CAT=configs/bench-cat.yaml
TWOD=configs/bench-2d.yaml
for m in 1 2 4 8 16; do
    point models "$m" "$CAT" --set "models=$(models_yaml "$m")"
done
for cv in 16x64 32x128 64x256 64x1024; do
    c=${cv%x*} v=${cv#*x}
    point cxv $((c * v)) "$CAT" --set data.contexts="$c" --set data.tokens="$v" --set reward_model.min_agreement=0
done
for w in 32 64 128 256; do
    point hidden "$w" "$CAT" --set models.a.hidden="[$w, $w]" --set models.b.hidden="[$w, $w]" --set models.c.hidden="[$w, $w]"
done
for n in 1024 2048 4096 8192; do
    point planar "$n" "$TWOD" --set models.a.n="$n" --set models.b.n="$n" --set models.c.n="$n" --set curation.pool="$n"
done
echo "wrote $CSV" >&2
go run ./bench/scale fit "$CSV" -png "$OUT"
