package train

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/selfconsume/selfconsume/runfolder"
)

// ringSmall is a fast 2-D loop: the 8-Gaussian ring, small flows, the curator
// preferring the mode at (2, 0).
const ringSmall = `
name: ring-small
seed: 2
generations: 4
data:
  kind: planar
  heldout: 1000
  plane: {shape: ring, count: 8, radius: 2, std: 0.2, resolution: 12, plot_resolution: 16, eval: 2000, plotted: 50}
populations:
  - {name: right, reward: distance, point: [2, 0], gamma: 1, r_min: 0.2}
reward_model: {use: "true"}
curation: {k: 4, tau: 0.5}
models:
  - {name: m, population: right, hidden: [32], depth: 4, n: 2048, epochs: 3, batch: 256, lr: 0.003, init_steps: 600, mix: {curated: {m: 1.0}}}
`

func modeShares(res *Result, model string, gen int) []float64 {
	var out []float64
	for _, r := range res.Rows {
		if r.Model == model && r.Generation == gen && len(r.Metric) > 5 && r.Metric[:5] == "mode/" {
			out = append(out, r.Value)
		}
	}
	return out
}

// Without real data the curated flow's mass moves to the preferred mode
// (mode 0 at (2, 0)); with half real data every mode keeps its share.
func TestPlanarCurationShiftsModeWeights(t *testing.T) {
	res := run(t, mustParse(t, ringSmall), Options{})
	first, last := modeShares(res, "m", 0), modeShares(res, "m", 4)
	if len(first) != 8 {
		t.Fatalf("want 8 mode shares, got %v", first)
	}
	t.Logf("mode 0 share %.3f -> %.3f", first[0], last[0])
	// At generation 0 each mode holds about 1/8; the curated loop must at
	// least triple the preferred mode's share.
	if first[0] > 0.25 || last[0] < 0.45 {
		t.Errorf("preferred mode share %.3f -> %.3f: want from about 0.125 to >= 0.45", first[0], last[0])
	}
	anchored := run(t, mustParse(t, ringSmall, "models.m.mix={real: 0.5, curated: {m: 0.5}}"), Options{})
	kept := modeShares(anchored, "m", 4)
	for k, s := range kept {
		// Half the data is real (1/16 per mode): every mode keeps at least
		// a quarter of its real share.
		if s < 1.0/64 {
			t.Errorf("with half real data mode %d keeps only %.4f of the mass", k, s)
		}
	}
	r := series(anchored.Rows, "m", "reward/right")
	if r[len(r)-1] <= r[0] {
		t.Errorf("anchored reward did not rise: %.3f -> %.3f", r[0], r[len(r)-1])
	}
}

// A killed 2-D run resumes to the same files as an uninterrupted one; the
// learned reward model orders reference pairs like the truth.
func TestPlanarResumeAndLearnedCurator(t *testing.T) {
	cfg := mustParse(t, ringSmall, "generations=3", "reward_model.use=learned", "reward_model.steps=150",
		"reward_model.hidden=[32]", "reward_model.lr=0.005", "models.m.init_steps=100")
	whole := filepath.Join(t.TempDir(), "whole")
	res := run(t, cfg, Options{Out: whole})
	if a := res.RewardStats[0].PairAgreement; a < 0.9 {
		t.Errorf("learned curator orders %.3f of reference pairs right, want >= 0.9", a)
	}
	cut := filepath.Join(t.TempDir(), "cut")
	ctx, cancel := context.WithCancel(context.Background())
	_, err := Run(ctx, cfg, Options{Out: cut, Observe: func(r GenerationReport) {
		if r.Generation == 1 {
			cancel()
		}
	}})
	if !errors.Is(err, ErrInterrupted) {
		t.Fatalf("want ErrInterrupted, got %v", err)
	}
	run(t, cfg, Options{Out: cut, Resume: true})
	for _, f := range []string{runfolder.MetricsFile, "density.csv", "samples.csv", "theory.json", "modes.csv", "reward_grid.csv"} {
		a, _ := os.ReadFile(filepath.Join(whole, f))
		b, _ := os.ReadFile(filepath.Join(cut, f))
		if len(a) == 0 || string(a) != string(b) {
			t.Errorf("%s differs after resume (%d vs %d bytes)", f, len(a), len(b))
		}
	}
}
