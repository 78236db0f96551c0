package flow

import (
	"math"
	"testing"

	"github.com/selfconsume/selfconsume/data"
)

// degenerateFlow is a small flow whose first layers have the cases the
// pieces must handle: units with zero weight (active everywhere, or never),
// a zero bias (kink at 0), and two units bending at the same point.
func degenerateFlow(t *testing.T) *Flow {
	t.Helper()
	cfg := smallConfig(false)
	f := newFlow(t, cfg, 12)
	p := f.Params()
	per := numParams(1, cfg.Hidden)
	for l := 0; l < cfg.Depth; l++ {
		w1, b1 := p[l*per:], p[l*per+cfg.Hidden:]
		w1[0], b1[0] = 0, 0.7  // constant, active
		w1[1], b1[1] = 0, -0.4 // constant, inactive
		b1[2] = 0              // kink at 0
		w1[4], b1[4] = 2*w1[3], 2*b1[3]
	}
	if err := f.SetParams(p); err != nil {
		t.Fatal(err)
	}
	return f
}

// The pieces are the conditioners' function: on points across and far
// beyond the data, exactly on first-layer kinks included, m and s agree
// with the float64 layer pass to 1e-12 relative to max(1, |value|), and so
// do whole samples (inverse passes through all couplings) to 1e-10. Sample
// used to run the layers in float32 for float32 flows; that pass differs by
// float32 rounding (logged).
func TestPiecewiseMatchesLayers(t *testing.T) {
	t.Parallel()
	bench := newFlow(t, DefaultConfig(), 7)
	x := ring8(t).Sample(data.Stream(7, data.PurposeEval), 1000)
	if _, err := bench.Steps(x, 20, data.Stream(7, data.PurposeTrain)); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		f    *Flow
	}{
		{"float64 trained", trainedFlow(t, false)},
		{"float32 trained", trainedFlow(t, true)},
		{"float32 bench-2d sizes", bench},
		{"float32 bench-2d at init", newFlow(t, DefaultConfig(), 8)},
		{"degenerate units", degenerateFlow(t)},
	} {
		cfg := tc.f.Config()
		layers, pieces := tc.f.net64(), tc.f.pieces()
		var cs []float64
		for i := 0; i <= 200; i++ {
			cs = append(cs, -6+0.06*float64(i))
		}
		cs = append(cs, -60, -1e3, 45, 1e4, 0)
		p := layers.p
		for l := 0; l < cfg.Depth; l++ {
			w1, b1 := p[l*perCoupling+iW1], p[l*perCoupling+iB1]
			for j := range w1 {
				if w1[j] != 0 && len(cs) < chunk {
					cs = append(cs, -b1[j]/w1[j])
				}
			}
		}
		w := newScratch[float64](cfg.Hidden)
		worst := 0.0
		for l := 0; l < cfg.Depth; l++ {
			m, s := layers.conditioner(l, cs, w)
			for i, c := range cs {
				pm, pr := pieces.cpl[l].at(c)
				ps := pieces.smax * math.Tanh(pr/pieces.smax)
				worst = math.Max(worst, math.Abs(pm-m[i])/math.Max(1, math.Abs(m[i])))
				worst = math.Max(worst, math.Abs(ps-s[i])/math.Max(1, math.Abs(s[i])))
			}
		}
		if !(worst <= 1e-12) {
			t.Errorf("%s: conditioners differ from the layers by %.3g relative (tolerance 1e-12)", tc.name, worst)
		}
		z := baseNormals(data.Stream(3, data.PurposeEval), 3000)
		z = append(z, 4.5, -4.5, 0, 0, -6, 6)
		viaLayers, via32 := append([]float64(nil), z...), append([]float64(nil), z...)
		layers.invert(viaLayers)
		tc.f.net32().invert(via32)
		pieces.invert(z)
		worstX, worst32 := 0.0, 0.0
		for i := range z {
			worstX = math.Max(worstX, math.Abs(z[i]-viaLayers[i])/math.Max(1, math.Abs(viaLayers[i])))
			worst32 = math.Max(worst32, math.Abs(via32[i]-viaLayers[i])/math.Max(1, math.Abs(viaLayers[i])))
		}
		if !(worstX <= 1e-10) {
			t.Errorf("%s: samples differ from the layers' inverse by %.3g relative (tolerance 1e-10)", tc.name, worstX)
		}
		t.Logf("%s: %d pieces in coupling 0; conditioners %.2g, samples %.2g from the float64 layers (float32 layers: %.2g)",
			tc.name, len(pieces.cpl[0].piece), worst, worstX, worst32)
	}
}
