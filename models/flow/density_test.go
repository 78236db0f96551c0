package flow

import (
	"math"
	"runtime"
	"testing"

	"github.com/selfconsume/selfconsume/data"
)

// gridMass returns the midpoint-rule integral of the flow's density over the
// square [-half, half]^2 with the given step, and the fraction of samples
// (pairs) outside that square, a Monte Carlo estimate of the mass the grid
// misses.
func gridMass(f *Flow, half, step float64, samples []float64) (inside, outside float64) {
	n := int(math.Round(2 * half / step))
	pts := make([]float64, 0, 2*n*n)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			pts = append(pts, -half+(float64(i)+0.5)*step, -half+(float64(j)+0.5)*step)
		}
	}
	lp := make([]float64, n*n)
	f.LogProb(pts, lp)
	for _, l := range lp {
		inside += math.Exp(l)
	}
	out := 0
	for i := 0; i+1 < len(samples); i += 2 {
		if math.Abs(samples[i]) > half || math.Abs(samples[i+1]) > half {
			out++
		}
	}
	return inside * step * step, float64(out) / float64(len(samples)/2)
}

// TestDensityIntegratesToOne integrates exp(log p) on a grid over [-5, 5]^2
// (step 0.04 for trained flows, 0.1 for the near-Gaussian flow at init), adds
// the sampled mass outside it, and asks for 1 within 1%: at initialisation
// (bench-2d sizes) and after training (small flows, both precisions).
// TestFitRingWithinPointThreeNats checks the same for well-fitted flows.
func TestDensityIntegratesToOne(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		f    *Flow
		step float64
	}{
		{"bench-2d sizes at init", newFlow(t, DefaultConfig(), 12), 0.1},
		{"trained float32", trainedFlow(t, true), 0.04},
		{"trained float64", trainedFlow(t, false), 0.04},
	} {
		s := tc.f.Sample(data.Stream(12, data.PurposeEval), 20000)
		in, out := gridMass(tc.f, 5, tc.step, s)
		if math.Abs(in+out-1) > 0.01 {
			t.Errorf("%s: density integrates to %.4f on the grid + %.4f sampled outside = %.4f, want 1 +- 0.01",
				tc.name, in, out, in+out)
		}
		t.Logf("%s: grid %.5f + outside %.5f", tc.name, in, out)
	}
}

// TestSamplesMatchDensity bins 100,000 samples into 0.25 x 0.25 cells over
// [-4, 4]^2 and compares the counts with n times each cell's probability
// under exp(log p) (5 x 5 midpoint rule per cell). Cells expecting fewer than
// 5 samples are pooled with the mass outside the square into one cell. With
// k cells the Pearson statistic is about chi-square(k-1), mean k-1 and sd
// sqrt(2(k-1)); the test allows mean + 5 sd. The quadrature error of the
// cell probabilities (under 1% per cell) adds about n * sum p d^2 < 10 to
// the statistic, inside that allowance.
func TestSamplesMatchDensity(t *testing.T) {
	t.Parallel()
	const (
		n     = 100000
		half  = 4.0
		width = 0.25
		sub   = 5
	)
	for _, f32 := range []bool{true, false} {
		f := trainedFlow(t, f32)
		cells := int(2 * half / width)
		h := width / sub
		pts := make([]float64, 0, 2*cells*cells*sub*sub)
		for i := 0; i < cells*sub; i++ {
			for j := 0; j < cells*sub; j++ {
				pts = append(pts, -half+(float64(i)+0.5)*h, -half+(float64(j)+0.5)*h)
			}
		}
		lp := make([]float64, len(pts)/2)
		f.LogProb(pts, lp)
		prob := make([]float64, cells*cells)
		for k, l := range lp {
			i, j := k/(cells*sub)/sub, k%(cells*sub)/sub
			prob[i*cells+j] += math.Exp(l) * h * h
		}
		counts := make([]float64, cells*cells)
		xs := f.Sample(data.Stream(13, data.PurposeEval), n)
		outside := 0.0
		for k := 0; k < n; k++ {
			i := int(math.Floor((xs[2*k] + half) / width))
			j := int(math.Floor((xs[2*k+1] + half) / width))
			if i < 0 || j < 0 || i >= cells || j >= cells {
				outside++
				continue
			}
			counts[i*cells+j]++
		}
		chi, k := 0.0, 0
		pooledE, pooledO, total := 0.0, outside, 0.0
		for c, p := range prob {
			total += p
			if e := n * p; e >= 5 {
				chi += (counts[c] - e) * (counts[c] - e) / e
				k++
			} else {
				pooledE += e
				pooledO += counts[c]
			}
		}
		pooledE += n * math.Max(0, 1-total)
		chi += (pooledO - pooledE) * (pooledO - pooledE) / pooledE
		k++
		df := float64(k - 1)
		if bound := df + 5*math.Sqrt(2*df); chi > bound {
			t.Errorf("float32=%v: chi-square %.1f over %d cells, bound %.1f", f32, chi, k, bound)
		}
		t.Logf("float32=%v: chi-square %.1f over %d cells (mass in square %.4f, pooled expected %.1f observed %.0f)",
			f32, chi, k, total, pooledE, pooledO)
	}
}

// TestSampleIgnoresGOMAXPROCS checks that samples depend only on the stream.
func TestSampleIgnoresGOMAXPROCS(t *testing.T) {
	f := trainedFlow(t, true)
	a := f.Sample(data.Stream(14, data.PurposeEval), 3000)
	old := runtime.GOMAXPROCS(1)
	b := f.Sample(data.Stream(14, data.PurposeEval), 3000)
	runtime.GOMAXPROCS(old)
	if d := maxAbsDiff(a, b); d != 0 {
		t.Errorf("samples differ by %g between GOMAXPROCS %d and 1", d, old)
	}
}
