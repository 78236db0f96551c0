package train

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/selfconsume/selfconsume/config"
	"github.com/selfconsume/selfconsume/data"
	"github.com/selfconsume/selfconsume/train/categorical"
)

// The spread of quickstart's prediction (true curators, no training): the
// pools are those loop.generation draws (raw: the largest consumer's count;
// curated: at least curation.pool), generation 0 has no spread, the anchored
// and rival models' reward spreads are positive at every later generation
// and approach their stationary value, solo's (collapsing, no real data)
// shrinks with its support, and the rows reach prediction rows. Under
// accumulate there is no spread, and SpreadErr says why.
func TestPredictionSpreadQuickstart(t *testing.T) {
	cfg, w := quickstartWorld(t)
	smp := sampling(w, cfg)
	// anchored: 1024 real + 1024 own curated; rival: 1024 real, 512 own, 512 of anchored's curated.
	if !slices.Equal(smp.CuratedPool, []int{2048, 1024, 512}) || !slices.Equal(smp.RawPool, []int{0, 0, 0}) {
		t.Errorf("pools raw %v curated %v; want [0 0 0], [2048 1024 512]", smp.RawPool, smp.CuratedPool)
	}
	p, err := Predict(cfg, w, nil, config.CuratorTrue)
	if err != nil {
		t.Fatal(err)
	}
	if p.SpreadErr != nil || p.Spread == nil {
		t.Fatalf("no spread: %v", p.SpreadErr)
	}
	sd := p.Spread.SD
	if len(sd) != cfg.Generations+1 {
		t.Fatalf("%d generations of spread, want %d", len(sd), cfg.Generations+1)
	}
	for i := range sd[0] {
		if sd[0][i][0] != 0 {
			t.Errorf("model %d: spread %g at generation 0, want 0", i, sd[0][i][0])
		}
	}
	last := sd[cfg.Generations]
	for _, i := range []int{1, 2} {
		st := p.Spread.StationarySD[i][0]
		// Reward sd of order sqrt(Var_c r / n) with n = 2048 samples: a few 0.01.
		if !(last[i][0] > 0.005 && last[i][0] < 0.1) || math.Abs(last[i][0]-st) > 0.05*st {
			t.Errorf("model %d: reward sd %g at the last generation, stationary %g; want in (0.005, 0.1) and within 5%%", i, last[i][0], st)
		}
	}
	if !(last[0][0] < sd[1][0][0]) {
		t.Errorf("solo: reward sd %g at the last generation, not below generation 1's %g", last[0][0], sd[1][0][0])
	}
	rows := p.Rows(cfg, w)
	n := 0
	for _, r := range rows {
		if strings.HasPrefix(r.Metric, SpreadMetric) {
			n++
		}
	}
	if want := (cfg.Generations + 1) * len(cfg.Models) * len(cfg.Populations); n != want {
		t.Errorf("%d sd rows, want %d", n, want)
	}
	cfg.Regime = config.RegimeAccumulate
	p, err = Predict(cfg, w, nil, config.CuratorTrue)
	if err != nil {
		t.Fatal(err)
	}
	if p.Spread != nil || p.SpreadErr == nil || !strings.Contains(p.SpreadErr.Error(), "accumulate") {
		t.Errorf("accumulate: spread %v, error %v; want none, naming the regime", p.Spread, p.SpreadErr)
	}
	if ts := summarize(cfg, []*Prediction{p}, []*World{w}); !strings.Contains(ts.SpreadError, "accumulate") || ts.StationarySD != nil {
		t.Errorf("theory.json: spread_error %q, stationary_sd %v", ts.SpreadError, ts.StationarySD)
	}
}

// foldedMean is E|d| for a Gaussian d: sd sqrt(2/pi) at mean 0, |mu| without
// spread, and mu + small for |mu| >> sd.
func TestFoldedMean(t *testing.T) {
	for _, c := range []struct{ mu, sd, want float64 }{
		{0, 2, 2 * math.Sqrt(2/math.Pi)}, {-0.3, 0, 0.3}, {5, 1, 5 + 2*1*math.Exp(-12.5)/math.Sqrt(2*math.Pi) - 5*2*0.5*math.Erfc(5/math.Sqrt2)},
	} {
		if got := foldedMean(c.mu, c.sd); math.Abs(got-c.want) > 1e-9 {
			t.Errorf("foldedMean(%g, %g) = %.12g, want %.12g", c.mu, c.sd, got, c.want)
		}
	}
}

// CompareRows: sd over seeds of the measured values (1, 2, 4: sd 1.5275),
// of the paired differences (predicted 1, 1, 1: the same 1.5275), the
// predicted sd as the root mean square of the seeds' (0.3, 0.4, 0.5:
// 0.40825) and the finite-sample expectation as the mean (NaN when a seed
// lacks one).
func TestCompareRowsSpreadColumns(t *testing.T) {
	var emp, pred [][]Row
	for s, v := range []float64{1, 2, 4} {
		emp = append(emp, []Row{{Generation: 2, Model: "m", Metric: "reward/a", Value: v}})
		pred = append(pred, []Row{{Generation: 2, Model: "m", Metric: "reward/a", Value: 1},
			{Generation: 2, Model: "m", Metric: SpreadMetric + "reward/a", Value: 0.3 + 0.1*float64(s)}})
	}
	pred[0] = append(pred[0], Row{Generation: 2, Model: "m", Metric: FiniteMetric + "reward/a", Value: 9})
	rows := CompareRows(emp, pred)
	if len(rows) != 1 {
		t.Fatalf("%d rows", len(rows))
	}
	r := rows[0]
	sd := math.Sqrt(((1-7.0/3)*(1-7.0/3) + (2-7.0/3)*(2-7.0/3) + (4-7.0/3)*(4-7.0/3)) / 2)
	if math.Abs(r.SD-sd) > 1e-12 || math.Abs(r.DiffSD-sd) > 1e-12 || math.Abs(r.PredictedSD-math.Sqrt(0.5/3)) > 1e-12 || !math.IsNaN(r.PredictedFinite) {
		t.Errorf("sd %g diff_sd %g predicted_sd %g predicted_finite %g; want %g, %g, %g, NaN", r.SD, r.DiffSD, r.PredictedSD, r.PredictedFinite, sd, sd, math.Sqrt(0.5/3))
	}
}

// quickstartWorld loads configs/quickstart.yaml and builds its world (no
// training).
func quickstartWorld(t *testing.T) (config.Config, *World) {
	t.Helper()
	cfg, err := config.Load("../configs/quickstart.yaml", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	w, err := categorical.NewWorld(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return cfg, w
}

// A spread beyond the budget is refused before any work, naming the
// operations and the budget.
func TestSpreadBudget(t *testing.T) {
	cfg, w := quickstartWorld(t)
	sys := w.System(cfg, config.CuratorTrue)
	gens := int(spreadBudget/sys.SpreadFlops(1)) + 1 // quickstart: 4.2e7 per generation
	p := &Prediction{System: sys, Trajectory: make([][]*data.Table, gens+1)}
	if err := p.spread(cfg, w); err == nil || !strings.Contains(err.Error(), "exceed the budget") || p.Spread != nil {
		t.Errorf("%d generations: error %v, want the budget named", gens, err)
	}
}
