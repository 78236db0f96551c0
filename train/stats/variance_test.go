package stats

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestVarianceRatioCI checks the interval against tabulated chi-square
// quantiles (7 degrees of freedom: 1.689869 and 16.012764).
func TestVarianceRatioCI(t *testing.T) {
	s := Summary{N: 8, Mean: 0, SD: 1.5}
	ratio, lo, hi := s.VarianceRatioCI(1.5*1.5/2, 0.05)
	if math.Abs(ratio-2) > 1e-12 || math.Abs(lo-2*7/16.012764) > 1e-5 || math.Abs(hi-2*7/1.689869) > 1e-5 {
		t.Errorf("ratio %g, interval [%g, %g]; want 2, [%g, %g]", ratio, lo, hi, 14/16.012764, 14/1.689869)
	}
	if p := (Summary{N: 1, SD: math.NaN()}).VarianceP(1); !math.IsNaN(p) {
		t.Errorf("one value: p %g, want NaN", p)
	}
}

// TestVariancePCalibrated: under H0 (normal values of the tested variance)
// the test rejects at 5% with frequency 0.05 within 4 binomial standard
// errors (0.014 over 4000 trials); against a variance 4 times the tested
// one it rejects more than half the time (power about 0.67 with 6 values).
func TestVariancePCalibrated(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const trials, n = 4000, 6
	rate := func(sd, v0 float64) float64 {
		rej := 0
		for k := 0; k < trials; k++ {
			v := make([]float64, n)
			for i := range v {
				v[i] = 1 + sd*rng.NormFloat64()
			}
			if Summarize(v).VarianceP(v0) <= 0.05 {
				rej++
			}
		}
		return float64(rej) / trials
	}
	if r := rate(math.Sqrt2, 2); math.Abs(r-0.05) > 4*math.Sqrt(0.05*0.95/trials) {
		t.Errorf("rejection rate under H0 %.4f, want 0.05 +- %.4f", r, 4*math.Sqrt(0.05*0.95/trials))
	}
	if r := rate(math.Sqrt2, 0.5); r < 0.5 {
		t.Errorf("power against a 4 times larger variance %.3f, want > 0.5", r)
	}
}

// TestDecideVariance: a variance test disagrees when its p-value is below
// alpha after Holm, and agrees otherwise.
func TestDecideVariance(t *testing.T) {
	good := Summarize([]float64{-1, 0.5, 1.2, -0.3, 0.9, -1.1})
	bad := Summarize([]float64{-10, 5, 12, -3, 9, -11})
	d := Decide([]Test{{Kind: Variance, S: good, Null: 1}, {Kind: Variance, S: bad, Null: 1}}, Alpha)
	if d[0].Verdict != Agree || d[1].Verdict != Disagree {
		t.Errorf("verdicts %q, %q (p %g, %g); want agree, disagree", d[0].Verdict, d[1].Verdict, d[0].P, d[1].P)
	}
}
