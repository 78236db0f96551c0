package compare

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/selfconsume/selfconsume/config"
	"github.com/selfconsume/selfconsume/train/stats"
)

// tiny is a two-model conflicting-rewards loop small enough for a test.
const tiny = `
name: tiny
seed: 4
generations: 6
data: {contexts: 3, tokens: 6, heldout: 200}
populations:
  - {name: alice, reward: random, scale: 1}
  - {name: bob, reward: negate, of: alice}
reward_model: {use: "true"}
curation: {k: 4, tau: 1}
models:
  - {name: p, population: alice, hidden: [16], n: 3000, epochs: 5, lr: 0.01, init_steps: 200, mix: {real: 0.5, curated: {p: 0.1, q: 0.4}}}
  - {name: q, population: bob, hidden: [16], n: 3000, epochs: 5, lr: 0.01, init_steps: 200, mix: {real: 0.5, curated: {q: 0.3, p: 0.2}}}
theory: {knob: {model: p}, delta: 0.1, burn_in: 2}
`

func TestCompareAgreesOnATinyBackfire(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "tiny.yaml")
	if err := os.WriteFile(path, []byte(tiny), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "cmp")
	res, err := Run(context.Background(), path, nil, out, Options{Seeds: 4, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if res.Seeds != 4 || len(res.Influence) != 2 {
		t.Fatalf("seeds %d, influence entries %d", res.Seeds, len(res.Influence))
	}
	for _, f := range []string{"comparison.csv", "influence.csv", "theory.json", "prediction.csv", "prediction_tables.csv",
		"config.yaml", "tables.csv", "seeds/seed-4/metrics.csv", "seeds/seed-7/metrics.csv"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("comparison folder lacks %s", f)
		}
	}
	// The world is fixed across seeds: generation 0's reward differs only by
	// the fits, so the predictions of the seeds differ little.
	for _, c := range res.Comparison {
		if c.Generation == 0 && c.Metric == "reward/alice" && c.CIHigh-c.CILow > 0.1 {
			t.Errorf("generation 0 spread %g over seeds: the world is not fixed", c.CIHigh-c.CILow)
		}
	}
	// The self-influence of p is predicted negative (backfire) and measured
	// negative with common random numbers.
	self := res.Influence[0]
	t.Logf("self-influence: predicted %.4f (%s), measured %.4f +- %.4f; %s",
		self.Predicted, self.Label, self.Measured, self.Half, res.Summary())
	if self.Model != "p" || !(self.Predicted < 0) || !(self.Measured < 0) || self.Label != "backfire" {
		t.Fatalf("self-influence %+v", self)
	}
	// bob = -alice: its level checks are alice's again, so they are left out
	// (2 level checks, not 4), and every check has a verdict.
	if len(res.Merged) != 1 || res.Merged[0].Pop != 1 || res.Merged[0].Of != 0 || res.Merged[0].Scale != -1 {
		t.Fatalf("merged %+v, want bob into alice with scale -1", res.Merged)
	}
	levels := 0
	for _, c := range res.Checks {
		if c.Kind == CheckLevel {
			levels++
			if strings.Contains(c.What, "reward/bob") {
				t.Errorf("level check on the merged population: %s", c.What)
			}
		}
		if c.Verdict != stats.Agree && c.Verdict != stats.Disagree && c.Verdict != stats.Unresolved {
			t.Errorf("check %q has verdict %q", c.What, c.Verdict)
		}
	}
	if levels != 2 || res.Agreeing()+res.Unresolved()+res.Disagreeing() != len(res.Checks) {
		t.Errorf("%d level checks (want 2); %s", levels, res.Summary())
	}
	// Rerunning continues the finished folder without running anything.
	again, err := Run(context.Background(), path, nil, out, Options{Seeds: 4, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(again.Influence[0].Measured-self.Measured) != 0 {
		t.Fatal("aggregating the same folder twice gave different numbers")
	}
}

func TestSpecFixesTheWorldAndSweepsTheShift(t *testing.T) {
	cfg, err := config.Parse([]byte(tiny), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "tiny.yaml")
	if err := os.WriteFile(path, []byte(tiny), 0o644); err != nil {
		t.Fatal(err)
	}
	s := Spec(path, []string{"curation.k=2"}, cfg, 3)
	cells, err := s.Cells()
	if err != nil {
		t.Fatal(err)
	}
	if len(cells) != 9 {
		t.Fatalf("%d cells, want 3 shifts x 3 seeds", len(cells))
	}
	want := map[string]bool{"curation.k=2": true, "world_seed=4": true, "theory.predict=true": true}
	for _, kv := range s.Sets {
		delete(want, kv)
	}
	if len(want) != 0 {
		t.Fatalf("spec sets %v lack %v", s.Sets, want)
	}
}
