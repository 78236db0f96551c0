package flow

import (
	"testing"

	G "gorgonia.org/gorgonia"

	"github.com/selfconsume/selfconsume/data"
	"github.com/selfconsume/selfconsume/models"
)

// Rewinding the training machine's program counter instead of Reset must not
// change a single bit of the parameters (float32 and float64 flows, 16 steps).
func TestRewindMatchesReset(t *testing.T) {
	t.Parallel()
	x, _ := data.TrainHeldOut(ring8(t), 3, 2048, 0)
	for _, f32 := range []bool{true, false} {
		var runs [2][]float64
		for i := range runs {
			f := newFlow(t, smallConfig(f32), 5)
			if !f.train.rw.Fast() {
				t.Fatal("gorgonia's tape machine has no program counter field: rewinding is off")
			}
			if i == 1 {
				f.train.rw = f.train.rw.Resetting()
			}
			if _, err := f.Fit(x, 2, data.Stream(5, data.PurposeTrain)); err != nil {
				t.Fatal(err)
			}
			runs[i] = f.Params()
		}
		if d := maxAbsDiff(runs[0], runs[1]); d != 0 {
			t.Errorf("float32 %v: rewinding changed the parameters by up to %g", f32, d)
		}
	}
}

// The fused layers (dense), and package models' fused ReLU, must give the
// bits of the layers built from gorgonia's Mul, BroadcastAdd and Rectify:
// same parameters after two epochs (16 training steps), float32 and
// float64, at a small size and at bench-2d's.
func TestFusedDenseMatchesGorgonia(t *testing.T) {
	t.Parallel()
	x, _ := data.TrainHeldOut(ring8(t), 4, 2048, 0)
	for _, cfg := range []Config{smallConfig(true), smallConfig(false), DefaultConfig()} {
		layers := []layerFunc{unfused(G.Rectify), unfused(models.ReLU), dense}
		runs := make([][]float64, len(layers))
		for i, layer := range layers {
			f, err := newFlowWith(cfg, layer, data.Stream(6, data.PurposeInit))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if _, err := f.Fit(x, 2, data.Stream(6, data.PurposeTrain)); err != nil {
				t.Fatal(err)
			}
			runs[i] = f.Params()
		}
		for i, what := range []string{"", "package models' ReLU", "the fused layers"} {
			if d := maxAbsDiff(runs[0], runs[i]); d != 0 {
				t.Errorf("float32 %v, width %d: %s changed the parameters by up to %g", cfg.Float32, cfg.Hidden, what, d)
			}
		}
	}
}
