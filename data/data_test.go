package data

import (
	"math"
	"testing"
)

func TestApportionIsExactAndFair(t *testing.T) {
	rng := Stream(1, PurposeMix)
	for trial := 0; trial < 500; trial++ {
		k := 1 + rng.IntN(7)
		w := make([]float64, k)
		total := 0.0
		for i := range w {
			if rng.IntN(4) > 0 {
				w[i] = rng.Float64()
			}
			total += w[i]
		}
		if total == 0 {
			continue
		}
		n := rng.IntN(5000)
		c, err := Apportion(n, w)
		if err != nil {
			t.Fatal(err)
		}
		sum := 0
		for i, ci := range c {
			q := float64(n) * w[i] / total
			if float64(ci) < math.Floor(q) || float64(ci) > math.Floor(q)+1 || (w[i] == 0 && ci != 0) {
				t.Fatalf("count %d for quota %g (weights %v, n %d)", ci, q, w, n)
			}
			sum += ci
		}
		if sum != n {
			t.Fatalf("counts %v sum to %d, want %d", c, sum, n)
		}
	}
	if _, err := Apportion(10, []float64{0.5, -0.1}); err == nil {
		t.Fatal("negative weight accepted")
	}
	if _, err := Apportion(10, []float64{0, 0}); err == nil {
		t.Fatal("zero weights accepted for n > 0")
	}
}

// The alias sampler's frequencies match the weights: a chi-square statistic
// with k-1 = 5 degrees of freedom stays below 20.5 (p = 0.001).
func TestSamplerFrequencies(t *testing.T) {
	p := []float64{0.05, 0.3, 0, 0.15, 0.4, 0.1}
	s := NewSampler(p)
	rng := Stream(2, PurposeEval)
	const n = 200000
	counts := make([]float64, len(p))
	for i := 0; i < n; i++ {
		counts[s.Draw(rng)]++
	}
	chi := 0.0
	for i, pi := range p {
		if pi == 0 {
			if counts[i] != 0 {
				t.Fatalf("drew a zero-weight index %d times", int(counts[i]))
			}
			continue
		}
		e := n * pi
		chi += (counts[i] - e) * (counts[i] - e) / e
	}
	if chi > 20.5 {
		t.Fatalf("chi-square %.1f over 5 degrees of freedom (counts %v)", chi, counts)
	}
}

func TestStreamsAreReproducibleAndDistinct(t *testing.T) {
	a, b, c := Stream(7, PurposeTrain, 1, 2), Stream(7, PurposeTrain, 1, 2), Stream(7, PurposeTrain, 2, 1)
	x, y, z := a.Uint64(), b.Uint64(), c.Uint64()
	if x != y || x == z {
		t.Fatalf("streams: same args %d %d, swapped args %d", x, y, z)
	}
}

func TestTablesAreStochastic(t *testing.T) {
	rng := Stream(3, PurposeRealData)
	for _, tab := range []*Table{Dirichlet(rng, 5, 9, 0.1), Zipf(rng, 5, 9, 1.2), UniformTable(2, 3)} {
		if err := tab.Validate(1e-12); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := FromRows([][]float64{{1, 2}, {3}}); err == nil {
		t.Fatal("ragged rows accepted")
	}
}
