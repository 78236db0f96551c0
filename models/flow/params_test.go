package flow

import (
	"math"
	"strings"
	"testing"

	"github.com/selfconsume/selfconsume/data"
)

func TestSetParamsRoundTrip(t *testing.T) {
	t.Parallel()
	src := trainedFlow(t, true)
	dst := newFlow(t, smallConfig(true), 99)
	if err := dst.SetParams(src.Params()); err != nil {
		t.Fatal(err)
	}
	if d := maxAbsDiff(src.Params(), dst.Params()); d != 0 {
		t.Errorf("Params after SetParams differ by %g", d)
	}
	x := ring8(t).Sample(data.Stream(1, data.PurposeEval), 500)
	a, b := make([]float64, 500), make([]float64, 500)
	src.LogProb(x, a)
	dst.LogProb(x, b)
	if d := maxAbsDiff(a, b); d != 0 {
		t.Errorf("LogProb after SetParams differs by %g", d)
	}
	// The copy trains on from the loaded parameters.
	if _, err := dst.Steps(x, 1, data.Stream(1, data.PurposeTrain)); err != nil {
		t.Fatal(err)
	}
	if d := maxAbsDiff(src.Params(), dst.Params()); d == 0 || d > 0.1 {
		t.Errorf("one step after SetParams moved parameters by %g, want (0, 0.1]", d)
	}
}

func TestSetParamsRejectsBadValues(t *testing.T) {
	t.Parallel()
	f := newFlow(t, smallConfig(false), 1)
	p := f.Params()
	if err := f.SetParams(p[1:]); err == nil || !strings.Contains(err.Error(), "values") {
		t.Errorf("short slice: error %v", err)
	}
	bad := append([]float64(nil), p...)
	bad[7] = math.NaN()
	if err := f.SetParams(bad); err == nil || !strings.Contains(err.Error(), "value 7") {
		t.Errorf("NaN: error %v", err)
	}
	if d := maxAbsDiff(p, f.Params()); d != 0 {
		t.Errorf("rejected SetParams changed the parameters by %g", d)
	}
}

func TestSetLR(t *testing.T) {
	t.Parallel()
	f := newFlow(t, smallConfig(true), 1)
	if err := f.SetLR(-1); err == nil {
		t.Error("negative learning rate accepted")
	}
	// The size of Adam's first step is about the learning rate.
	x := ring8(t).Sample(data.Stream(1, data.PurposeEval), 256)
	if err := f.SetLR(1e-5); err != nil {
		t.Fatal(err)
	}
	p0 := f.Params()
	if _, err := f.Steps(x, 1, data.Stream(1, data.PurposeTrain)); err != nil {
		t.Fatal(err)
	}
	if d := maxAbsDiff(p0, f.Params()); d > 1.5e-5 || d < 0.5e-5 {
		t.Errorf("first step at lr 1e-5 moved a parameter by at most %g, want about 1e-5", d)
	}
}

// ResetOptimizer is SetParams of the flow's own parameters without the
// copies: after 8 steps, a reset and 8 more, both give the same bits; and
// it does reset (continuing with the old moments gives other parameters).
func TestResetOptimizer(t *testing.T) {
	t.Parallel()
	x := ring8(t).Sample(data.Stream(2, data.PurposeEval), 512)
	var runs [3][]float64
	for i := range runs {
		f := newFlow(t, smallConfig(true), 2)
		rng := data.Stream(2, data.PurposeTrain)
		if _, err := f.Steps(x, 8, rng); err != nil {
			t.Fatal(err)
		}
		switch i {
		case 0:
			f.ResetOptimizer()
		case 1:
			if err := f.SetParams(f.Params()); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := f.Steps(x, 8, rng); err != nil {
			t.Fatal(err)
		}
		runs[i] = f.Params()
	}
	if d := maxAbsDiff(runs[0], runs[1]); d != 0 {
		t.Errorf("ResetOptimizer and SetParams(Params()) differ by %g", d)
	}
	if d := maxAbsDiff(runs[0], runs[2]); d == 0 {
		t.Error("ResetOptimizer kept Adam's moments")
	}
}
