package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// An oversized --set is a config error before anything is allocated or
// written (it used to allocate for 75 s and die out of memory).
func TestRunRefusesOversizedContexts(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "big")
	_, err := execute(t, "run", "../../configs/quickstart.yaml", "--out", dir, "--quiet", "--set", "data.contexts=1000000000")
	if err == nil || !strings.Contains(err.Error(), "data.contexts = 1000000000: must be <= 10000") {
		t.Fatalf("want the contexts bound, got %v", err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatal("an oversized config created the run folder")
	}
}

func TestValidatePrintsSourcesAndEstimate(t *testing.T) {
	t.Setenv("SELFCONSUME_MODELS_SOLO_EPOCHS", "3")
	for _, cmd := range [][]string{{"validate"}, {"run", "--dry-run"}} {
		args := append(cmd, "../../configs/quickstart.yaml", "--set", "curation.k=8")
		out, err := execute(t, args...)
		if err != nil {
			t.Fatalf("%v: %v", cmd, err)
		}
		for _, want := range []string{"valid", "curation.k  ", "--set", "env SELFCONSUME_MODELS_SOLO_EPOCHS",
			"models.0.batch", "default", "generations", "file", "estimate: memory about", "time about"} {
			if !strings.Contains(out, want) {
				t.Errorf("%v output lacks %q:\n%s", cmd, want, out)
			}
		}
	}
	if _, err := execute(t, "validate", "../../configs/quickstart.yaml", "--set", "models.solo.lr=0"); err == nil || !strings.Contains(err.Error(), "models.0.lr = 0") {
		t.Fatalf("validate of a bad config: %v", err)
	}
}

func TestFlagBoundsNameTheFlag(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"bench", "../../configs/quickstart.yaml", "-n", "-5"}, "-n/--generations = -5"},
		{[]string{"compare", "../../configs/quickstart.yaml", "--workers", "-1"}, "--workers = -1"},
		{[]string{"compare", "../../configs/quickstart.yaml", "--seeds", "0"}, "--seeds = 0"},
		{[]string{"sweep", "../../configs/sweeps/quickstart-k.yaml", "--workers", "-2"}, "-w/--workers = -2"},
	} {
		if _, err := execute(t, c.args...); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v, want %q", c.args, err, c.want)
		}
	}
}

// compare and sweep hand the environment's overrides to their runs as
// --set ones (they used to drop them), and refuse an unknown variable.
func TestSweepTakesTheEnvironmentsOverrides(t *testing.T) {
	t.Setenv("SELFCONSUME_MODELS_SOLO_EPOCHS", "3")
	spec, _, err := sweepSpec("../../configs/sweeps/quickstart-k.yaml", t.TempDir(), []string{"seed=5"})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(spec.Sets); n < 2 || spec.Sets[n-2] != "models.0.epochs=3" || spec.Sets[n-1] != "seed=5" {
		t.Fatalf("sets %q: want the environment's override before --set", spec.Sets)
	}
	t.Setenv("SELFCONSUME_MODELS_SOLO_EPOCH", "3")
	if _, _, err := sweepSpec("../../configs/sweeps/quickstart-k.yaml", t.TempDir(), nil); err == nil || !strings.Contains(err.Error(), "SELFCONSUME_MODELS_SOLO_EPOCH matches no config key") {
		t.Fatalf("unknown variable: %v", err)
	}
}
