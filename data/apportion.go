package data

import (
	"fmt"
	"math"
	"sort"
)

// Apportion splits n into integer counts proportional to weights by the
// largest-remainder method: the counts sum to exactly n, each is the floor of
// its quota or one more, and ties go to the lower index. Weights must be >= 0
// with a positive sum.
func Apportion(n int, weights []float64) ([]int, error) {
	total := 0.0
	for i, w := range weights {
		if w < 0 || math.IsNaN(w) || math.IsInf(w, 0) {
			return nil, fmt.Errorf("weight %d is %g; weights must be finite and >= 0", i, w)
		}
		total += w
	}
	if n < 0 {
		return nil, fmt.Errorf("cannot apportion %d items", n)
	}
	counts := make([]int, len(weights))
	if n == 0 {
		return counts, nil
	}
	if !(total > 0) {
		return nil, fmt.Errorf("weights sum to %g; need a positive sum", total)
	}
	type rem struct {
		i int
		r float64
	}
	rems := make([]rem, len(weights))
	used := 0
	for i, w := range weights {
		q := float64(n) * w / total
		f := math.Floor(q)
		counts[i] = int(f)
		used += counts[i]
		rems[i] = rem{i, q - f}
	}
	sort.SliceStable(rems, func(a, b int) bool { return rems[a].r > rems[b].r })
	for k := 0; used < n; k++ {
		if weights[rems[k%len(rems)].i] == 0 {
			continue
		}
		counts[rems[k%len(rems)].i]++
		used++
	}
	return counts, nil
}
