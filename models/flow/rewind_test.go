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

// The fused ReLU of package models must give gorgonia's Rectify's bits:
// same parameters after 16 training steps, float32 and float64.
func TestReLUMatchesRectify(t *testing.T) {
	t.Parallel()
	x, _ := data.TrainHeldOut(ring8(t), 4, 2048, 0)
	for _, f32 := range []bool{true, false} {
		var runs [2][]float64
		for i, act := range []activation{G.Rectify, models.ReLU} {
			f, err := newFlowWith(smallConfig(f32), act, data.Stream(6, data.PurposeInit))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if _, err := f.Fit(x, 2, data.Stream(6, data.PurposeTrain)); err != nil {
				t.Fatal(err)
			}
			runs[i] = f.Params()
		}
		if d := maxAbsDiff(runs[0], runs[1]); d != 0 {
			t.Errorf("float32 %v: the fused ReLU changed the parameters by up to %g", f32, d)
		}
	}
}
