package flow

import (
	"math"
	"sync"
	"testing"

	"github.com/selfconsume/selfconsume/data"
)

// smallConfig is a quick-to-train flow for tests that need a trained,
// non-trivial density rather than a good fit.
func smallConfig(float32 bool) Config {
	return Config{Depth: 6, Hidden: 32, Batch: 256, LR: 3e-3, MaxLogScale: 2, Float32: float32}
}

// ring8 is the bench-2d real distribution: 8 Gaussians, radius 2, std 0.2.
func ring8(t testing.TB) *data.Mixture {
	t.Helper()
	r, err := data.Ring(8, 2, 0.2)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

var (
	trainedMu sync.Mutex
	trained   = map[bool]*Flow{}
)

// trainedFlow returns a small flow (shared, do not modify) trained for 500
// steps on the ring; its density has the ring's eight bumps.
func trainedFlow(t testing.TB, float32 bool) *Flow {
	t.Helper()
	trainedMu.Lock()
	defer trainedMu.Unlock()
	if f := trained[float32]; f != nil {
		return f
	}
	f, err := New(smallConfig(float32), data.Stream(11, data.PurposeInit))
	if err != nil {
		t.Fatal(err)
	}
	x, _ := data.TrainHeldOut(ring8(t), 11, 8192, 0)
	if _, err := f.Steps(x, 500, data.Stream(11, data.PurposeTrain)); err != nil {
		t.Fatal(err)
	}
	trained[float32] = f
	return f
}

// newFlow builds a flow or fails the test.
func newFlow(t testing.TB, cfg Config, seed uint64) *Flow {
	t.Helper()
	f, err := New(cfg, data.Stream(seed, data.PurposeInit))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.Close)
	return f
}

// maxAbsDiff returns max_i |a[i] - b[i]|.
func maxAbsDiff(a, b []float64) float64 {
	d := 0.0
	for i := range a {
		d = math.Max(d, math.Abs(a[i]-b[i]))
	}
	return d
}

// heldOutNLL returns the flow's mean negative log-density of xs (pairs).
func heldOutNLL(f *Flow, xs []float64) float64 {
	lp := make([]float64, len(xs)/2)
	f.LogProb(xs, lp)
	s := 0.0
	for _, l := range lp {
		s -= l
	}
	return s / float64(len(lp))
}
