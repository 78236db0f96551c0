package curate

import (
	"math"
	"sort"

	"github.com/selfconsume/selfconsume/data"
)

// PairAgreement is the share of distinct token pairs within each context
// (weighted by the context distribution) that the learned reward orders like
// the true one; pairs tied in the truth are skipped.
func PairAgreement(learned, truth *data.Table, ctx []float64) float64 {
	agree, total := 0.0, 0.0
	for c := 0; c < truth.C; c++ {
		for a := 0; a < truth.V; a++ {
			for b := a + 1; b < truth.V; b++ {
				dt := truth.At(c, a) - truth.At(c, b)
				if dt == 0 {
					continue
				}
				total += ctx[c]
				if dl := learned.At(c, a) - learned.At(c, b); dl*dt > 0 {
					agree += ctx[c]
				}
			}
		}
	}
	if total == 0 {
		return 1
	}
	return agree / total
}

// Spearman is the rank correlation between two equally long vectors (average
// ranks for ties).
func Spearman(x, y []float64) float64 {
	rx, ry := ranks(x), ranks(y)
	n := float64(len(x))
	mx, my := (n+1)/2, (n+1)/2
	sxy, sxx, syy := 0.0, 0.0, 0.0
	for i := range rx {
		dx, dy := rx[i]-mx, ry[i]-my
		sxy += dx * dy
		sxx += dx * dx
		syy += dy * dy
	}
	if sxx == 0 || syy == 0 {
		return 0
	}
	return sxy / math.Sqrt(sxx*syy)
}

func ranks(x []float64) []float64 {
	idx := make([]int, len(x))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return x[idx[a]] < x[idx[b]] })
	r := make([]float64, len(x))
	for i := 0; i < len(idx); {
		j := i
		for j+1 < len(idx) && x[idx[j+1]] == x[idx[i]] {
			j++
		}
		avg := float64(i+j)/2 + 1
		for k := i; k <= j; k++ {
			r[idx[k]] = avg
		}
		i = j + 1
	}
	return r
}
