package train

import (
	"errors"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"
)

// The oversized values users hit (out of memory, endless loops) are config
// errors naming the key, the value and the bound, before anything is built.
func TestOversizedValuesAreRefusedWithTheBound(t *testing.T) {
	for _, c := range []struct {
		set, key, bound string
	}{
		{"data.contexts=1000000000", "data.contexts", "10000"},
		{"data.contexts=1e6", "data.contexts", "10000"},
		{"data.tokens=1e9", "data.tokens", "100000"},
		{"models.solo.n=1e12", "models.0.n", "100000000"},
		{"generations=4611686018427387904", "generations", "100000"},
		{"models.solo.epochs=9223372036854775807", "models.0.epochs", "100000"},
		{"models.solo.lr=1e10", "models.0.lr", "<= 1"},
		{"reward_model.lr=1e6", "reward_model.lr", "<= 1"},
		{"curation.k=1e5", "curation.k", "1024"},
		{"reward_model.hidden=[64, 100000]", "reward_model.hidden.1", "4096"},
		{"data.plane.resolution=1e4", "data.plane.resolution", "256"},
		{"data.contexts=5000", "data.contexts", "10000000"}, // 5000 x 32 is fine; see below
	} {
		t.Run(c.set, func(t *testing.T) {
			sets := []string{c.set}
			if c.key == "data.contexts" && c.bound == "10000000" {
				sets = append(sets, "data.tokens=5000") // 2.5e7 cells
			}
			_, err := Load("../configs/quickstart.yaml", sets, nil)
			var ce *ConfigError
			if !errors.As(err, &ce) || ce.Key != c.key {
				t.Fatalf("want a ConfigError naming %s, got %v", c.key, err)
			}
			if !strings.Contains(err.Error(), c.bound) {
				t.Fatalf("error %q does not state the bound %s", err, c.bound)
			}
		})
	}
}

// A whole number written as a float (YAML reads 1e1 as 10.0) is taken as
// that integer; a fraction is refused.
func TestWholeFloatsAreIntegers(t *testing.T) {
	cfg := mustParse(t, twoModels, "generations=1e1", "models.a.n=2.0e2")
	if cfg.Generations != 10 || cfg.Models[0].N != 200 {
		t.Fatalf("generations %d, n %d: want 10 and 200", cfg.Generations, cfg.Models[0].N)
	}
	_, err := Parse([]byte(twoModels), []string{"generations=1.5"}, nil)
	if err == nil || !strings.Contains(err.Error(), "generations = 1.5: want a whole number") {
		t.Fatalf("generations=1.5: %v", err)
	}
}

// A model key left out takes its default; given as 0 it stays 0 and
// validation refuses it, naming the key.
func TestZeroIsNotUnset(t *testing.T) {
	cfg := mustParse(t, twoModels)
	d := ModelDefaults()
	if m := cfg.Models[1]; m.LR != d.LR || m.Epochs != d.Epochs || m.Batch != d.Batch || m.InitSteps != d.InitSteps {
		t.Fatalf("absent keys not defaulted: %+v", m)
	}
	for _, c := range []struct{ set, key string }{
		{"models.a.lr=0", "models.0.lr"},
		{"models.b.n=0", "models.1.n"},
		{"models.b.epochs=0", "models.1.epochs"},
		{"models.a.batch=0", "models.0.batch"},
		{"reward_model.steps=0", "reward_model.steps"},
		{"reward_model.lr=0", "reward_model.lr"},
	} {
		cfg, err := Parse([]byte(twoModels), []string{c.set}, nil)
		if err == nil {
			err = cfg.Validate()
		}
		var ce *ConfigError
		if !errors.As(err, &ce) || ce.Key != c.key {
			t.Errorf("%s: want a ConfigError naming %s, got %v", c.set, c.key, err)
		}
	}
	// init_steps 0 is meaningful (generation 0 untrained) and is kept.
	if cfg := mustParse(t, twoModels, "models.a.init_steps=0"); cfg.Models[0].InitSteps != 0 {
		t.Fatalf("init_steps 0 replaced by %d", cfg.Models[0].InitSteps)
	}
	// A null value is unset.
	if cfg := mustParse(t, twoModels+"    lr: null\n"); cfg.Models[1].LR != d.LR {
		t.Fatalf("lr: null gave %g, want the default %g", cfg.Models[1].LR, d.LR)
	}
}

func TestNamesAreIdentifiers(t *testing.T) {
	for _, c := range []struct{ set, key string }{
		{`models.a.name=a,b`, "models.0.name"},
		{`models.a.name='x"y'`, "models.0.name"},
		{`models.a.name=1st`, "models.0.name"},
		{`models.a.name=""`, "models.0.name"},
		{`populations.alice.name=al ice`, "populations.0.name"},
	} {
		cfg, err := Parse([]byte(twoModels), []string{c.set}, nil)
		if err == nil {
			err = cfg.Validate()
		}
		var ce *ConfigError
		if !errors.As(err, &ce) || ce.Key != c.key || !strings.Contains(err.Error(), "starts with a letter") {
			t.Errorf("%s: want a ConfigError naming %s and the charset, got %v", c.set, c.key, err)
		}
	}
	// Letters, digits, '-' and '_' pass the charset (renaming leaves the mix
	// naming the old name, which is the error then).
	if _, err := Load("../configs/ring-2d.yaml", []string{"models.0.name=Curated_only-2"}, nil); err == nil || strings.Contains(err.Error(), "starts with a letter") {
		t.Fatalf("Curated_only-2 is an identifier: %v", err)
	}
}

// The memory estimate refuses what cannot fit, with the estimate and its
// largest part in the error; within the machine it passes.
func TestEstimateRefusesWhatCannotFit(t *testing.T) {
	cfg, err := Load("../configs/quickstart.yaml", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	e := EstimateRun(cfg)
	// quickstart peaks near 95 MB resident and runs 4.7 s on 2 cores
	// (measured); the estimate is an order of magnitude, within 4x.
	if e.Bytes < 95e6/4 || e.Bytes > 95e6*4 || e.Seconds < 4.7/4 || e.Seconds > 4.7*2*4 {
		t.Fatalf("quickstart estimate %s", e)
	}
	e.Available = e.Bytes / 2
	if err := e.check(); err == nil || !strings.Contains(err.Error(), "the run needs about") {
		t.Fatalf("half the memory: %v", err)
	}
	_, err = Load("../configs/quickstart.yaml", []string{"data.tokens=50000", "theory.solver=dense"}, nil)
	if err == nil || !strings.Contains(err.Error(), "theory Jacobian blocks") || !strings.Contains(err.Error(), "theory.predict: false") {
		t.Fatalf("50000 tokens with the dense prediction: %v", err)
	}
	// matrix-free (auto at this size) the prediction needs O(d) memory
	if _, err = Load("../configs/quickstart.yaml", []string{"data.tokens=50000"}, nil); err != nil {
		t.Fatalf("50000 tokens with the matrix-free prediction: %v", err)
	}
	if mem, src := MachineMemory(); !(mem > 0) || src == "" {
		t.Fatalf("machine memory %g (%s)", mem, src)
	}
}

func TestMinAgreementRange(t *testing.T) {
	for _, v := range []string{"-0.1", "1.5", ".nan"} {
		cfg, err := Parse([]byte(twoModels), []string{"reward_model.min_agreement=" + v}, nil)
		if err == nil {
			err = cfg.Validate()
		}
		var ce *ConfigError
		if !errors.As(err, &ce) || ce.Key != "reward_model.min_agreement" {
			t.Errorf("min_agreement=%s: %v", v, err)
		}
	}
}

// A NaN metric or non-finite parameters stop the run naming model and
// generation; an infinite metric (a zero-probability real token) does not.
func TestNonFiniteMetricsStop(t *testing.T) {
	cfg := mustParse(t, twoModels)
	ok := [][]float64{{1, 2}, {3}}
	rows := []Row{{Model: "a", Metric: "kl_real", Value: math.Inf(1)}}
	if err := nonFinite(cfg, 3, ok, rows); err != nil {
		t.Fatalf("+Inf kl_real stopped the run: %v", err)
	}
	rows = append(rows, Row{Model: "b", Metric: "entropy", Value: math.NaN()})
	var me *MetricError
	if err := nonFinite(cfg, 3, ok, rows); !errors.As(err, &me) || me.Model != "b" || me.Generation != 3 || me.What != "metric entropy" {
		t.Fatalf("NaN entropy: %v", err)
	}
	if err := nonFinite(cfg, 2, [][]float64{{1}, {math.Inf(-1)}}, nil); !errors.As(err, &me) || me.Model != "b" || me.What != "parameters" {
		t.Fatalf("infinite parameter: %v", err)
	}
}

// A reward model below reward_model.min_agreement stops the run after the
// fit, naming the population and the agreement it measured.
func TestRewardModelBelowTheFloorStops(t *testing.T) {
	cfg := mustParse(t, twoModels, "reward_model.steps=10", "reward_model.hidden=[8]", "reward_model.min_agreement=0.99")
	_, err := Run(cfg, Options{})
	if err == nil || !strings.Contains(err.Error(), "population alice") || !strings.Contains(err.Error(), "reward_model.min_agreement = 0.99") {
		t.Fatalf("want the floor error for alice, got %v", err)
	}
}

// README's bounds table is train.Bounds, row for row.
func TestReadmeStatesEveryBound(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, bd := range Bounds {
		k := "`" + bd.Key + "`"
		if bd.Count {
			k += " (items)"
		}
		if row := fmt.Sprintf("| %s | %s | %s |", k, fmtBound(bd.Max), bd.Why); !strings.Contains(string(b), row) {
			t.Errorf("README lacks the row %s", row)
		}
	}
}
