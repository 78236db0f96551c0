package train

import (
	"fmt"
	"math"
	"testing"

	"github.com/selfconsume/selfconsume/config"
	"github.com/selfconsume/selfconsume/train/stats"
)

// accSolo: one model curated by its own population with no real data, the
// regime accumulating. The replace map climbs to about 2.98 by generation
// 6, the accumulating map only to about 2.2.
const accSolo = `
name: acc-solo
generations: 6
regime: accumulate
data: {kind: categorical, contexts: 4, tokens: 8, real: dirichlet, concentration: 1.0}
populations:
  - {name: alice, reward: random, scale: 2.0}
reward_model: {use: true}
curation: {k: 4, tau: 0.5}
theory: {predict: true}
models:
  - {name: solo, population: alice, hidden: [32], n: 512, epochs: 5, lr: 0.01, mix: {real: 0.0, curated: {solo: 1.0}}}
`

// The accumulate prediction tracks the run: over 4 seeds, at every
// generation the mean paired difference (measured - the seed's
// prediction) of the reward lies within its 95% t interval widened by 0.05
// (the neural fit is not a count fit), while the replace map's prediction
// from the same generation 0 is more than 0.4 above the measured mean at
// generation 6. Under accumulate-subsample the population-level map is the
// same.
func TestAccumulatePredictionTracksRun(t *testing.T) {
	const seeds, last = 4, 6
	diff := make([][]float64, last+1)
	var measured, replace []float64
	for s := 1; s <= seeds; s++ {
		cfg := mustParse(t, accSolo, fmt.Sprintf("seed=%d", s), "world_seed=1")
		res := run(t, cfg, Options{})
		pred, err := Predict(cfg, res.World, res.Tables[0], config.CuratorTrue)
		if err != nil {
			t.Fatal(err)
		}
		emp := series(res.Rows, "solo", "reward/alice")
		pr := series(pred.Rows(cfg, res.World), "solo", "reward/alice")
		for g := 1; g <= last; g++ {
			diff[g] = append(diff[g], emp[g]-pr[g])
		}
		measured = append(measured, emp[last])
		cfg.Regime = config.RegimeReplace
		rp, err := Predict(cfg, res.World, res.Tables[0], config.CuratorTrue)
		if err != nil {
			t.Fatal(err)
		}
		replace = append(replace, series(rp.Rows(cfg, res.World), "solo", "reward/alice")[last])
		cfg.Regime = config.RegimeAccumulateSubsample
		sp, err := Predict(cfg, res.World, res.Tables[0], config.CuratorTrue)
		if err != nil {
			t.Fatal(err)
		}
		if got := series(sp.Rows(cfg, res.World), "solo", "reward/alice")[last]; got != pr[last] {
			t.Errorf("seed %d: accumulate-subsample predicts %g, accumulate %g; want the same map", s, got, pr[last])
		}
	}
	for g := 1; g <= last; g++ {
		d := stats.Summarize(diff[g])
		t.Logf("generation %d: measured - predicted %+.4f +- %.4f", g, d.Mean, d.Half())
		if math.Abs(d.Mean) > d.Half()+0.05 {
			t.Errorf("generation %d: measured - predicted %+.4f +- %.4f, beyond the interval + 0.05", g, d.Mean, d.Half())
		}
	}
	m, r := stats.Summarize(measured).Mean, stats.Summarize(replace).Mean
	t.Logf("generation %d: measured %.4f, accumulate prediction within %+.4f, replace prediction %.4f", last, m, stats.Summarize(diff[last]).Mean, r)
	if !(r-m > 0.4) {
		t.Errorf("replace map predicts %.4f, measured %.4f: want the replace map more than 0.4 above", r, m)
	}
}
