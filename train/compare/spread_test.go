package compare

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/selfconsume/selfconsume/config"
	"github.com/selfconsume/selfconsume/train"
	"github.com/selfconsume/selfconsume/train/stats"
)

// spreadCase builds 8 seeds of measured and predicted rows at the last
// generation: the measured reward is the seed's prediction plus noise of sd
// true sd, the predicted sd is 0.02.
func spreadCase(trueSD float64) (*Result, [][]train.Row, [][]train.Row) {
	cfg := config.Config{Generations: 3, Models: []config.ModelConfig{{Name: "p", Population: "alice"}}}
	rng := rand.New(rand.NewPCG(7, 8))
	var emp, pred [][]train.Row
	for s := 0; s < 8; s++ {
		mu := 0.3 + 0.05*rng.NormFloat64() // each seed its own prediction
		pred = append(pred, []train.Row{{Generation: 3, Model: "p", Metric: "reward/alice", Value: mu},
			{Generation: 3, Model: "p", Metric: train.SpreadMetric + "reward/alice", Value: 0.02}})
		emp = append(emp, []train.Row{{Generation: 3, Model: "p", Metric: "reward/alice", Value: mu + trueSD*rng.NormFloat64()}})
	}
	return &Result{Config: cfg}, emp, pred
}

// The spread check agrees when the measured spread around each seed's
// prediction is the predicted one and disagrees when it is 5 times larger
// (variance ratio 25: the chi-square test with 7 degrees of freedom
// rejects it at any usual level).
func TestSpreadCheck(t *testing.T) {
	for _, c := range []struct {
		sd   float64
		want string
	}{{0.02, stats.Agree}, {0.1, stats.Disagree}} {
		r, emp, pred := spreadCase(c.sd)
		r.spreadChecks(emp, pred)
		if len(r.Checks) != 1 || r.Checks[0].Kind != CheckSpread {
			t.Fatalf("checks %+v, want one spread check", r.Checks)
		}
		r.decide()
		ck := r.Checks[0]
		if ck.Verdict != c.want || !strings.Contains(ck.Detail, "sd ratio") {
			t.Errorf("true sd %g: verdict %s (%s), want %s", c.sd, ck.Verdict, ck.Detail, c.want)
		}
		if c.want == stats.Disagree && !(ck.P < 1e-6) {
			t.Errorf("variance ratio 25 with 8 seeds: p %g, want < 1e-6", ck.P)
		}
		if math.IsNaN(ck.P) {
			t.Errorf("p NaN")
		}
	}
	// No predicted spread (a config without one): no check.
	r, emp, pred := spreadCase(0.02)
	for s := range pred {
		pred[s] = pred[s][:1]
	}
	if r.spreadChecks(emp, pred); len(r.Checks) != 0 {
		t.Errorf("%d checks without a predicted spread, want none", len(r.Checks))
	}
}
