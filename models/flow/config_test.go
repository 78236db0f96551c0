package flow

import (
	"math"
	"strings"
	"testing"

	"github.com/selfconsume/selfconsume/data"
)

func TestConfigValidateNamesTheField(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		field string
		edit  func(*Config)
	}{
		{"Depth", func(c *Config) { c.Depth = 0 }},
		{"Hidden", func(c *Config) { c.Hidden = -1 }},
		{"Batch", func(c *Config) { c.Batch = 0 }},
		{"LR", func(c *Config) { c.LR = 0 }},
		{"LR", func(c *Config) { c.LR = math.NaN() }},
		{"MaxLogScale", func(c *Config) { c.MaxLogScale = math.Inf(1) }},
	} {
		cfg := DefaultConfig()
		tc.edit(&cfg)
		_, err := New(cfg, data.Stream(1, data.PurposeInit))
		if err == nil || !strings.Contains(err.Error(), tc.field) {
			t.Errorf("config %+v: error %v, want one naming %s", cfg, err, tc.field)
		}
	}
	if err := DefaultConfig().Validate(); err != nil {
		t.Errorf("default config: %v", err)
	}
}

func TestNewIsSeeded(t *testing.T) {
	t.Parallel()
	cfg := smallConfig(true)
	a := newFlow(t, cfg, 3).Params()
	b := newFlow(t, cfg, 3).Params()
	c := newFlow(t, cfg, 4).Params()
	if want := cfg.Depth * (cfg.Hidden*cfg.Hidden + 5*cfg.Hidden + 2); len(a) != want {
		t.Fatalf("%d parameters, want %d", len(a), want)
	}
	if d := maxAbsDiff(a, b); d != 0 {
		t.Errorf("same seed: parameters differ by %g", d)
	}
	if d := maxAbsDiff(a, c); d == 0 {
		t.Error("different seeds gave identical parameters")
	}
}

func TestTrainingIsReproducible(t *testing.T) {
	t.Parallel()
	x, _ := data.TrainHeldOut(ring8(t), 2, 2048, 0)
	var runs [2][]float64
	for i := range runs {
		f := newFlow(t, smallConfig(true), 5)
		if _, err := f.Fit(x, 2, data.Stream(5, data.PurposeTrain)); err != nil {
			t.Fatal(err)
		}
		if f.StepsTaken() != 2*2048/256 {
			t.Errorf("Fit took %d steps, want %d", f.StepsTaken(), 2*2048/256)
		}
		runs[i] = f.Params()
	}
	if d := maxAbsDiff(runs[0], runs[1]); d != 0 {
		t.Errorf("two identical runs differ by %g", d)
	}
}

func TestFitRejectsBadInput(t *testing.T) {
	t.Parallel()
	f := newFlow(t, smallConfig(true), 1)
	rng := data.Stream(1, data.PurposeTrain)
	for _, tc := range []struct {
		name string
		x    []float64
	}{
		{"odd length", make([]float64, 1025)},
		{"under a batch", make([]float64, 2*255)},
	} {
		if _, err := f.Fit(tc.x, 1, rng); err == nil {
			t.Errorf("Fit with %s: no error", tc.name)
		}
		if _, err := f.Steps(tc.x, 1, rng); err == nil {
			t.Errorf("Steps with %s: no error", tc.name)
		}
	}
	f.Close()
	if _, err := f.Steps(make([]float64, 512), 1, rng); err == nil {
		t.Error("Steps after Close: no error")
	}
}
