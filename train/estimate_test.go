package train

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/selfconsume/selfconsume/config"
)

// The memory estimate refuses what cannot fit, with the estimate and its
// largest part in the error; within the machine it passes.
func TestEstimateRefusesWhatCannotFit(t *testing.T) {
	cfg, err := config.Load("../configs/quickstart.yaml", nil, nil)
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
	cfg, err = config.Load("../configs/quickstart.yaml", []string{"data.tokens=50000", "theory.solver=dense"}, nil)
	if err == nil {
		err = Validate(cfg)
	}
	if err == nil || !strings.Contains(err.Error(), "theory Jacobian blocks") || !strings.Contains(err.Error(), "theory.predict: false") {
		t.Fatalf("50000 tokens with the dense prediction: %v", err)
	}
	// matrix-free (auto at this size) the prediction needs O(d) memory
	cfg, err = config.Load("../configs/quickstart.yaml", []string{"data.tokens=50000"}, nil)
	if err == nil {
		err = Validate(cfg)
	}
	if err != nil {
		t.Fatalf("50000 tokens with the matrix-free prediction: %v", err)
	}
	if mem, src := MachineMemory(); !(mem > 0) || src == "" {
		t.Fatalf("machine memory %g (%s)", mem, src)
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
	_, err := Run(context.Background(), cfg, Options{})
	if err == nil || !strings.Contains(err.Error(), "population alice") || !strings.Contains(err.Error(), "reward_model.min_agreement = 0.99") {
		t.Fatalf("want the floor error for alice, got %v", err)
	}
}
