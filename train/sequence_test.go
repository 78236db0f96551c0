package train

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/selfconsume/selfconsume/config"
	"github.com/selfconsume/selfconsume/runfolder"
)

// seqSmall is a fast sequence loop: 2 prompts, 27 sequences of 3 tokens,
// one model curated alone and one anchored on real data.
const seqSmall = `
name: seq-small
seed: 3
generations: 3
data:
  kind: sequence
  contexts: 2
  tokens: 3
  heldout: 500
  sequence: {length: 3, successors: 2}
populations:
  - name: a
    reward: features
    features: [{kind: motif, motif: [0, 1], weight: 1}, {kind: ends_with, token: 2, weight: 0.5}]
  - {name: b, reward: negate, of: a}
reward_model: {hidden: [32], steps: 200, lr: 0.003}
curation: {k: 4, tau: 0.5}
models:
  - {name: solo, population: a, hidden: [32], window: 2, n: 1024, epochs: 3, lr: 0.003, init_steps: 300, mix: {curated: {solo: 1.0}}}
  - {name: anchored, population: b, hidden: [32], window: 1, n: 1024, epochs: 3, lr: 0.003, init_steps: 300, mix: {real: 0.5, curated: {anchored: 0.5}}}
`

// A sequence run writes its run folder with the theory and the sequence
// list; its tables are laws on the 27 sequences of each prompt and the
// sequence metrics are measured.
func TestSequenceRun(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	res := run(t, mustParse(t, seqSmall), Options{Out: dir})
	for _, f := range []string{runfolder.TheoryFile, runfolder.SequencesFile, runfolder.TablesFile, runfolder.WorldRealFile, runfolder.PredictionFile} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("run folder lacks %s: %v", f, err)
		}
	}
	last := res.Tables[len(res.Tables)-1]
	for i, tab := range last {
		if tab.C != 2 || tab.V != 27 {
			t.Fatalf("model %d table %d x %d, want 2 x 27", i, tab.C, tab.V)
		}
		if err := tab.Validate(1e-9); err != nil {
			t.Error(err)
		}
	}
	seen := map[string]bool{}
	for _, r := range res.Rows {
		seen[r.Metric] = true
	}
	for _, m := range []string{"distinct_1", "distinct_2", "entropy", "fit_gap", "tv_pred", "reward/a"} {
		if !seen[m] {
			t.Errorf("metric %s not measured", m)
		}
	}
	b, err := os.ReadFile(filepath.Join(dir, runfolder.SequencesFile))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "5,0 1 2\n") {
		t.Errorf("%s does not list sequence 5 as 0 1 2:\n%.200s", runfolder.SequencesFile, b)
	}
}

// Resuming a sequence run from its checkpoint gives the same numbers as the
// run without the interruption (the prefix trees are rebuilt from the
// restored generators).
func TestSequenceResume(t *testing.T) {
	cfg := mustParse(t, seqSmall)
	whole := filepath.Join(t.TempDir(), "whole")
	run(t, cfg, Options{Out: whole})
	dir := cutRun(t, cfg, 1)
	run(t, cfg, Options{Out: dir, Resume: true})
	for _, f := range []string{runfolder.MetricsFile, runfolder.TablesFile} {
		a, _ := os.ReadFile(filepath.Join(whole, f))
		b, _ := os.ReadFile(filepath.Join(dir, f))
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("%s differs after resuming (%d vs %d bytes)", f, len(a), len(b))
		}
	}
}

// Sequence keys are checked by the family: a reward of another family, a
// feature out of range, a source without its file, too many sequences.
func TestSequenceValidation(t *testing.T) {
	for _, tc := range []struct{ set, want string }{
		{"populations.a.reward=random", ""},
		{"populations.a.reward=linear", "populations.0.reward"},
		{"populations.a.features.0.motif=[0, 5]", "populations.0.features.0.motif"},
		{"populations.a.features.1.kind=bogus", "populations.0.features.1.kind"},
		{"data.sequence.source=file", "data.sequence.file"},
		{"data.sequence.successors=4", "data.sequence.successors"},
		{"data.sequence.length=11", "data.sequence.length"},
		{"models.solo.window=-1", "models.0.window"},
	} {
		cfg, err := config.Parse([]byte(seqSmall), []string{tc.set}, nil)
		if err == nil {
			err = Validate(cfg)
		}
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", tc.set, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: error %v, want one naming %s", tc.set, err, tc.want)
		}
	}
}
