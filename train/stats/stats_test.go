package stats

import (
	"math"
	"testing"
)

// Student-t quantiles against table values (4 decimals).
func TestT95(t *testing.T) {
	for n, want := range map[int]float64{2: 12.7062, 3: 4.3027, 6: 2.5706, 10: 2.2622, 31: 2.0423} {
		if got := T95(n); math.Abs(got-want) > 5e-5 {
			t.Errorf("T95(%d) = %.5f, want %.4f", n, got, want)
		}
	}
	if !math.IsNaN(T95(1)) {
		t.Error("T95(1) is not NaN")
	}
}

func TestMeanCI(t *testing.T) {
	// Values 1..5: mean 3, sample sd sqrt(2.5), half-width t(0.975, 4) sqrt(2.5/5) = 2.7764 * 0.7071.
	m, h, n := MeanCI([]float64{1, 2, 3, math.NaN(), 4, 5, math.Inf(1)})
	if m != 3 || n != 5 || math.Abs(h-2.776445*math.Sqrt(0.5)) > 1e-6 {
		t.Fatalf("MeanCI = %g +- %g over %d", m, h, n)
	}
	if m, h, n := MeanCI([]float64{7}); m != 7 || h != 0 || n != 1 {
		t.Fatalf("one value: %g +- %g over %d", m, h, n)
	}
	if m, _, n := MeanCI(nil); !math.IsNaN(m) || n != 0 {
		t.Fatalf("no values: %g over %d", m, n)
	}
}

// The t-test p-value sits at 0.05 exactly where the 95% interval touches
// the null.
func TestPMatchesTheInterval(t *testing.T) {
	s := Summarize([]float64{0.1, 0.4, 0.2, 0.5, 0.3, 0.35})
	if p := s.P(s.Mean - s.Half()); math.Abs(p-0.05) > 1e-9 {
		t.Errorf("P at the interval's edge = %g, want 0.05", p)
	}
	if p := s.P(s.Mean); p != 1 {
		t.Errorf("P at the mean = %g, want 1", p)
	}
	if p := Summarize([]float64{2, 2, 2}).P(2); p != 1 {
		t.Errorf("no spread, H0 true: P = %g", p)
	}
	if p := Summarize([]float64{2, 2, 2}).P(1); p != 0 {
		t.Errorf("no spread, H0 false: P = %g", p)
	}
}

// Holm on a textbook example: p = 0.01, 0.04, 0.03, 0.005 (m = 4) gives
// 0.03, 0.06, 0.06, 0.02.
func TestHolm(t *testing.T) {
	got := Holm([]float64{0.01, 0.04, 0.03, math.NaN(), 0.005})
	want := []float64{0.03, 0.06, 0.06, math.NaN(), 0.02}
	for i := range want {
		if math.IsNaN(want[i]) != math.IsNaN(got[i]) || math.Abs(got[i]-want[i]) > 1e-15 {
			t.Errorf("Holm[%d] = %g, want %g", i, got[i], want[i])
		}
	}
}

// SeedsToResolve: a mean of 1 with sd 1 needs t(0.975, n-1)/sqrt(n) < 1,
// first true at n = 7 (2.447/2.646 = 0.925; n = 6: 2.571/2.449 = 1.05).
func TestSeedsToResolve(t *testing.T) {
	if n := SeedsToResolve(1, 1, Alpha, 1000); n != 7 {
		t.Errorf("SeedsToResolve(1, 1) = %d, want 7", n)
	}
	if n := SeedsToResolve(-1, 1, Alpha, 1000); n != 7 {
		t.Errorf("negative mean: %d, want 7", n)
	}
	if n := SeedsToResolve(0.001, 1, Alpha, 100); n != 0 {
		t.Errorf("beyond the limit: %d, want 0", n)
	}
}

func TestDecide(t *testing.T) {
	six := func(mean float64) Summary {
		return Summarize([]float64{mean - 0.2, mean - 0.1, mean, mean, mean + 0.1, mean + 0.2})
	}
	ds := Decide([]Test{
		{Kind: Agreement, S: six(0.01)},                              // H0 true: agree
		{Kind: Agreement, S: six(3)},                                 // far off: disagree
		{Kind: Sign, S: six(0.02), Want: 1},                          // interval holds 0: unresolved
		{Kind: Sign, S: six(2), Want: 1},                             // resolved, right sign: agree
		{Kind: Sign, S: six(-2), Want: 1},                            // resolved, wrong sign: disagree
		{Kind: Agreement, S: Summarize([]float64{1})},                // one seed: unresolved
		{Kind: Agreement, S: Summarize([]float64{0, 0, 0, 0, 0, 0})}, // no spread: decided exactly, not counted
	}, Alpha)
	want := []string{Agree, Disagree, Unresolved, Agree, Disagree, Unresolved, Agree}
	for i, d := range ds {
		if d.Verdict != want[i] {
			t.Errorf("test %d: %s (p %g, Holm %g), want %s", i, d.Verdict, d.P, d.PHolm, want[i])
		}
	}
	// Holm counts the 5 random tests with a p-value: the first test's
	// adjusted p-value is at most 5 times its own (the exact one is left out).
	if ds[0].PHolm > 5*ds[0].P+1e-15 || ds[6].PHolm != 1 {
		t.Errorf("Holm %g for p %g over 5 random tests; exact test %g", ds[0].PHolm, ds[0].P, ds[6].PHolm)
	}
}
