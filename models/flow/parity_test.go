package flow

import (
	"math"
	"testing"

	"github.com/selfconsume/selfconsume/data"
)

// TestGorgoniaParity checks that the plain-Go LogProb equals a gorgonia graph
// of the same parameters, relative to max(1, |log p|): to 1e-9 in float64,
// and within float32Tol when the graph computes in float32 (the Go pass
// reads the float32 weights and computes in float64, so the difference is
// float32 rounding in the graph).
func TestGorgoniaParity(t *testing.T) {
	t.Parallel()
	bench := newFlow(t, DefaultConfig(), 7)
	x := ring8(t).Sample(data.Stream(7, data.PurposeEval), 1000)
	if _, err := bench.Steps(x, 20, data.Stream(7, data.PurposeTrain)); err != nil {
		t.Fatal(err)
	}
	// Points on and well off the data, where the couplings are far from identity.
	pts := append(append([]float64(nil), x...), -5, -5, 4, -3, 0, 0, 6, 6)
	for _, tc := range []struct {
		name string
		f    *Flow
		tol  float64
	}{
		{"float64 trained", trainedFlow(t, false), 1e-9},
		{"float32 trained", trainedFlow(t, true), float32Tol(smallConfig(true))},
		{"float32 bench-2d sizes", bench, float32Tol(DefaultConfig())},
		{"float64 at init", newFlow(t, smallConfig(false), 8), 1e-9},
	} {
		got := make([]float64, len(pts)/2)
		tc.f.LogProb(pts, got)
		want := gorgoniaLogProb(t, tc.f, pts)
		worst, at := 0.0, 0
		for i := range got {
			d := math.Abs(got[i]-want[i]) / math.Max(1, math.Abs(want[i]))
			if d > worst || math.IsNaN(d) {
				worst, at = d, i
			}
		}
		if !(worst <= tc.tol) {
			t.Errorf("%s: at (%g, %g) Go log p %.9g, gorgonia %.9g: relative difference %.3g (tolerance %g)",
				tc.name, pts[2*at], pts[2*at+1], got[at], want[at], worst, tc.tol)
		}
		t.Logf("%s: max relative difference %.3g", tc.name, worst)
	}
}

// float32Tol bounds the float32 graph's relative error in log p, to first
// order: every coupling's conditioner ends in sums of Hidden+1 products (and
// a bias), each within (Hidden+2) u of the sum of its absolute terms (u =
// 2^-24; terms of order one); the log-scale s adds that error to log|t| in
// each of Depth couplings, so z is within Depth (Hidden+2) u relatively, and
// log p, dominated far from the data by -|z|^2/2, within twice that. The
// bound holds whatever the multiply's summation order (gemm's kernels, or
// gonum's loops with the noasm tag: 1.2e-5 measured for the trained small
// flow, bound 2.4e-5).
func float32Tol(cfg Config) float64 {
	return 2 * float64(cfg.Depth*(cfg.Hidden+2)) * 0x1p-24
}

// TestTrainingGraphLoss checks the training graph itself: the loss a step
// reports (computed before its update) is minus the mean Go log-density of
// that batch.
func TestTrainingGraphLoss(t *testing.T) {
	t.Parallel()
	for _, f32 := range []bool{false, true} {
		f := newFlow(t, smallConfig(f32), 9)
		x := ring8(t).Sample(data.Stream(9, data.PurposeEval), 1024)
		if _, err := f.Steps(x, 30, data.Stream(9, data.PurposeTrain)); err != nil {
			t.Fatal(err)
		}
		rows := make([]int, f.Config().Batch)
		batch := make([]float64, 0, 2*len(rows))
		for i := range rows {
			rows[i] = 3*i + 1
			batch = append(batch, x[2*rows[i]], x[2*rows[i]+1])
		}
		want := heldOutNLL(f, batch)
		got, err := f.step(x, rows)
		if err != nil {
			t.Fatal(err)
		}
		tol := 1e-12
		if f32 {
			tol = 1e-5
		}
		if math.Abs(got-want) > tol {
			t.Errorf("float32=%v: step loss %.9f, Go mean NLL %.9f (tolerance %g)", f32, got, want, tol)
		}
	}
}

// TestInverseOfForward checks that the inverse pass undoes the forward pass,
// on data points and far outside them, in both precisions of the Go pass.
func TestInverseOfForward(t *testing.T) {
	t.Parallel()
	f := trainedFlow(t, true)
	x := ring8(t).Sample(data.Stream(10, data.PurposeEval), 2000)
	x = append(x, -6, 6, 5, 0.5, 0, -4)
	n := len(x) / 2
	t.Run("float64", func(t *testing.T) {
		roundTrip(t, f.net64(), x, n, 1e-10)
	})
	t.Run("float32", func(t *testing.T) {
		roundTrip(t, f.net32(), x, n, 1e-5)
	})
}

// roundTrip maps x forward then back with net and compares, relative to
// max(1, |x|).
func roundTrip[T float](t *testing.T, e *evalNet[T], x []float64, n int, tol float64) {
	t.Helper()
	w := newScratch[T](e.h)
	worst, moved := 0.0, 0.0
	for lo := 0; lo < n; lo += chunk {
		hi := min(lo+chunk, n)
		a, b, ld := make([]T, hi-lo), make([]T, hi-lo), make([]T, hi-lo)
		for i := lo; i < hi; i++ {
			a[i-lo], b[i-lo] = T(x[2*i]), T(x[2*i+1])
		}
		e.forward(a, b, ld, w)
		for i := lo; i < hi; i++ {
			moved = math.Max(moved, math.Abs(float64(a[i-lo])-x[2*i]))
		}
		e.inverse(a, b, w)
		for i := lo; i < hi; i++ {
			for d, v := range []T{a[i-lo], b[i-lo]} {
				orig := x[2*i+d]
				worst = math.Max(worst, math.Abs(float64(v)-orig)/math.Max(1, math.Abs(orig)))
			}
		}
	}
	if moved < 0.5 {
		t.Fatalf("forward pass moved points by at most %g; the test needs a non-trivial flow", moved)
	}
	if worst > tol {
		t.Errorf("inverse(forward(x)) differs from x by %.3g relative (tolerance %g)", worst, tol)
	}
	t.Logf("max relative round-trip error %.3g", worst)
}
