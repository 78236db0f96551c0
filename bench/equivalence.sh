#!/bin/sh
# Are two builds' loops statistically the same? Runs CONFIG for SEEDS seeds (1..SEEDS) and
# GENERATIONS generations with each binary and prints, for every model and reward/<population>
# metric at the last generation, each build's mean over seeds with its 95% interval, and the
# paired difference (same seed) with its 95% interval; then, because a few runs can diverge and
# dominate a mean, each build's median and a sign test: in how many seeds "after" is higher, and
# the two-sided binomial p-value of that count under "no difference". Use it when an
# optimisation changes the arithmetic (summation order, FMA): the trajectories then differ per
# seed, but their distribution over seeds must not.
#   bench/equivalence.sh CONFIG SEEDS GENERATIONS BEFORE AFTER
# Env: ROWS=FILE keeps the per-seed values (build seed model metric value).
set -eu
[ $# -eq 5 ] || { sed -n 2,8p "$0"; exit 2; }
CONFIG=$1 SEEDS=$2 GENS=$3 BEFORE=$4 AFTER=$5
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
for s in $(seq 1 "$SEEDS"); do
    for b in before after; do
        bin=$BEFORE; [ $b = after ] && bin=$AFTER
        "$bin" run "$CONFIG" --set seed="$s" --set generations="$GENS" --set theory.predict=false \
            -o "$WORK/$b-$s" --no-report -q > /dev/null 2>&1
        awk -F, -v g="$GENS" -v s="$s" -v b="$b" '$1 == g && $3 ~ /^reward\// { print b, s, $2, $3, $4 }' \
            "$WORK/$b-$s/metrics.csv" >> "$WORK/rows"
        rm -rf "$WORK/$b-$s"
    done
done
printf "%-26s %-20s %-20s %-20s\n" "model metric" "before" "after" "after - before"
awk '
function ci(n, sum, sq,   m, v) { m = sum / n; v = (sq - n * m * m) / (n - 1); if (v < 0) v = 0; return sprintf("%8.4f +- %.4f", m, 2.0 * sqrt(v / n)) }
{ key = $3 " " $4; keys[key] = 1; val[$1, $2, key] = $5; seeds[$2] = 1 }
END {
    for (k in keys) {
        n = 0; sb = qb = sa = qa = sd = qd = 0
        for (s in seeds) {
            if (!(("before", s, k) in val) || !(("after", s, k) in val)) continue
            x = val["before", s, k]; y = val["after", s, k]; d = y - x
            n++; sb += x; qb += x * x; sa += y; qa += y * y; sd += d; qd += d * d
        }
        if (n > 1) printf "%-26s %-20s %-20s %-20s\n", k, ci(n, sb, qb), ci(n, sa, qa), ci(n, sd, qd)
    }
}' "$WORK/rows" | sort
[ -z "${ROWS:-}" ] || cp "$WORK/rows" "$ROWS"
echo "(mean +- 2 standard errors over $SEEDS seeds, generation $GENS; a difference whose interval holds 0 is consistent with none)"
printf "%-26s %-10s %-10s %-14s %s\n" "model metric" "median b." "median a." "after higher" "sign test p"
sort -k3,3 -k4,4 -k1,1 -k5,5g "$WORK/rows" | awk '
function median(arr, n) { return n % 2 ? arr[(n + 1) / 2] : (arr[n / 2] + arr[n / 2 + 1]) / 2 }
function lchoose(n, k) { return lgamma(n + 1) - lgamma(k + 1) - lgamma(n - k + 1) }
function lgamma(x,   s) { s = 0; while (x < 8) { s -= log(x); x++ } return s + (x - 0.5) * log(x) - x + 0.5 * log(2 * 3.141592653589793) + 1 / (12 * x) - 1 / (360 * x * x * x) }
function signp(k, n,   i, t, lo) { lo = k < n - k ? k : n - k; t = 0; for (i = 0; i <= lo; i++) t += exp(lchoose(n, i) - n * log(2)); t *= 2; return t > 1 ? 1 : t }
{ key = $3 " " $4; keys[key] = 1; if ($1 == "before") b[key, ++nb[key]] = $5; else a[key, ++na[key]] = $5; v[$1, $2, key] = $5; seeds[$2] = 1 }
END {
    for (k in keys) {
        for (i = 1; i <= nb[k]; i++) sb[i] = b[k, i]
        for (i = 1; i <= na[k]; i++) sa[i] = a[k, i]
        up = n = 0
        for (s in seeds) if ((("before", s, k) in v) && (("after", s, k) in v) && v["after", s, k] != v["before", s, k]) { n++; if (v["after", s, k] > v["before", s, k]) up++ }
        printf "%-26s %-10.4f %-10.4f %-14s %.3f\n", k, median(sb, nb[k]), median(sa, na[k]), up " of " n, signp(up, n)
    }
}' | sort
