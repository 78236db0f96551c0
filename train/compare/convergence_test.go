package compare

import (
	"context"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/selfconsume/selfconsume/config"
	"github.com/selfconsume/selfconsume/train"
	"github.com/selfconsume/selfconsume/train/stats"
)

// convergenceCase builds 8 seeds of 12 generations whose predicted
// finite-sample tv_prev is 0.05 + 0.3 * 0.5^g and whose measured tv_prev is
// scale times that plus noise of sd 0.002 per seed and generation; burn-in
// 5.
func convergenceCase(scale float64) (*Result, [][]train.Row, [][]train.Row) {
	cfg := config.Config{Generations: 12, Models: []config.ModelConfig{{Name: "p", Population: "alice"}}}
	cfg.Theory.Tol = 1e-3
	rng := rand.New(rand.NewPCG(3, 4))
	var emp, pred [][]train.Row
	for s := 0; s < 8; s++ {
		var e, p []train.Row
		for g := 1; g <= 12; g++ {
			f := 0.05 + 0.3*math.Pow(0.5, float64(g))
			p = append(p, train.Row{Generation: g, Model: "p", Metric: "tv_prev", Value: 0},
				train.Row{Generation: g, Model: "p", Metric: train.FiniteMetric + "tv_prev", Value: f})
			e = append(e, train.Row{Generation: g, Model: "p", Metric: "tv_prev", Value: scale*f + 0.002*rng.NormFloat64()})
		}
		emp, pred = append(emp, e), append(pred, p)
	}
	r := &Result{Config: cfg, BurnIn: 5, Comparison: train.CompareRows(emp, pred)}
	return r, emp, pred
}

// The floor check agrees when the measured tv_prev settles on the
// predicted floor and disagrees when it settles 20% below it (a
// difference of 0.01 against a standard error of about 0.002/sqrt(7*8)).
// The predicted floor (mean over generations 6-12) is 0.05 + 0.3 *
// 0.0044295 = 0.051329; |0.3 * 0.5^g - 0.001329| is within 10% of it
// (0.0051329) from g = 6 (0.00336) and not at g = 5 (0.00805). The
// measured curve's mean over 8 seeds has noise sd 0.0007, 2.5 and 4 of
// them inside those margins, so it reaches its floor at 6 too.
func TestConvergenceFloorCheck(t *testing.T) {
	for _, c := range []struct {
		scale float64
		want  string
	}{{1, stats.Agree}, {0.8, stats.Disagree}} {
		r, emp, pred := convergenceCase(c.scale)
		r.convergence(emp, pred)
		if len(r.Checks) != 1 || r.Checks[0].Kind != CheckFloor {
			t.Fatalf("checks %+v, want one floor check", r.Checks)
		}
		r.decide()
		ck, cv := r.Checks[0], r.Convergence
		if ck.Verdict != c.want {
			t.Errorf("scale %g: verdict %s (%s), want %s", c.scale, ck.Verdict, ck.Detail, c.want)
		}
		if f := cv.Floors[0]; math.Abs(f.Predicted-0.051329) > 1e-6 || math.Abs(f.Measured/f.Predicted-c.scale) > 0.01 {
			t.Errorf("scale %g: floor measured %g, predicted %g, want predicted 0.051329 and ratio %g +- 0.01",
				c.scale, f.Measured, f.Predicted, c.scale)
		}
		if cv.PredictedGen != 6 || cv.MeasuredGen != 6 {
			t.Errorf("scale %g: floor reached at %d measured, %d predicted; want 6 and 6", c.scale, cv.MeasuredGen, cv.PredictedGen)
		}
		line := r.ConvergenceLine()
		if !strings.Contains(line, "from generation 6 measured, generation 6 predicted") {
			t.Errorf("line %q", line)
		}
	}
	// No finite-sample prediction (planar or accumulate): the floor is
	// measured, "not predicted", and no check is made.
	r, emp, pred := convergenceCase(1)
	r.Theory.SpreadError = "the accumulate regime has no finite-sample spread"
	for s := range pred {
		var keep []train.Row
		for _, row := range pred[s] {
			if row.Metric == "tv_prev" {
				keep = append(keep, row)
			}
		}
		pred[s] = keep
	}
	r.Comparison = train.CompareRows(emp, pred)
	r.convergence(emp, pred)
	line := r.ConvergenceLine()
	if len(r.Checks) != 0 || r.Convergence.Predicted() || r.Convergence.PredictedGen != 0 || r.Convergence.MeasuredGen != 6 ||
		!strings.Contains(line, "; not predicted (the accumulate regime has no finite-sample spread); within 10% of it from generation 6 measured; infinite") {
		t.Errorf("without finite-sample rows: %d checks, convergence %+v, line %q", len(r.Checks), r.Convergence, line)
	}
}

// tinyDrift is genetic drift (no real data, K = 1) small enough for a test:
// tv_prev has no contraction to follow, only its noise floor.
const tinyDrift = `
name: tiny-drift
seed: 2
generations: 8
data: {kind: categorical, contexts: 3, tokens: 6, real: dirichlet, concentration: 2.0}
populations:
  - {name: alice, reward: random, scale: 1}
reward_model: {use: true}
curation: {k: 1, tau: 1}
models:
  - {name: p, population: alice, hidden: [16], n: 1024, epochs: 4, lr: 0.01, mix: {real: 0.0, raw: {p: 1.0}}}
theory: {burn_in: 3}
`

// On a drift loop the measured tv_prev floor is the finite-sample
// prediction: the floor check agrees (a paired t-test in the Holm family),
// and the floors' ratio is within 15% of 1 (about 1.5 times the measured
// floor's 95% half-width over 4 seeds, 0.0042 of 0.041, so a floor off by
// more is not drowned by the seeds' noise).
func TestCompareConvergenceOnTinyDrift(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "drift.yaml")
	if err := os.WriteFile(path, []byte(tinyDrift), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := Run(context.Background(), path, nil, filepath.Join(dir, "cmp"), Options{Seeds: 4, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	var floors []Check
	for _, c := range res.Checks {
		if c.Kind == CheckFloor {
			floors = append(floors, c)
		}
	}
	cv := res.Convergence
	t.Logf("%s", res.ConvergenceLine())
	if len(floors) != 1 || !cv.Predicted() || len(cv.Floors) != 1 {
		t.Fatalf("floor checks %+v, convergence %+v: want one predicted floor", floors, cv)
	}
	f := cv.Floors[0]
	if floors[0].Verdict != stats.Agree || math.Abs(f.Measured/f.Predicted-1) > 0.15 {
		t.Errorf("floor check %s: %s", floors[0].Verdict, floors[0].Detail)
	}
	if cv.MeasuredGen < 1 || cv.MeasuredGen > 8 || cv.PredictedGen < 1 || cv.PredictedGen > 8 {
		t.Errorf("floor reached at %d measured, %d predicted: want both within the 8 generations", cv.MeasuredGen, cv.PredictedGen)
	}
}
