package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// predict --from a quickstart run folder prints the prediction and writes
// the run's own theory.json again, byte for byte; misuse names what to do.
func TestPredictFromRunFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "qs")
	if _, err := execute(t, "run", "../../configs/quickstart.yaml", "--out", dir, "--quiet", "--no-report",
		"--set", "generations=2", "--set", "reward_model.steps=30"); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "pred")
	got, err := execute(t, "predict", "--from", dir, "--out", out)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"quickstart: analytic map, curator learned", "spectral radius", "written to " + out} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	a, _ := os.ReadFile(filepath.Join(dir, "theory.json"))
	b, _ := os.ReadFile(filepath.Join(out, "theory.json"))
	if len(a) == 0 || string(a) != string(b) {
		t.Errorf("theory.json from --from differs from the run's:\n%s\nvs\n%s", a, b)
	}

	if _, err := execute(t, "predict", "../../configs/quickstart.yaml", "--from", dir); err == nil || !strings.Contains(err.Error(), "no CONFIG") {
		t.Errorf("CONFIG with --from: got %v", err)
	}
	if _, err := execute(t, "predict", "--from", t.TempDir()); err == nil || !strings.Contains(err.Error(), "not a run folder") {
		t.Errorf("--from an empty folder: got %v", err)
	}
	if _, err := execute(t, "predict"); err == nil || !strings.Contains(err.Error(), "--from RUNDIR") {
		t.Errorf("no CONFIG and no --from: got %v", err)
	}
}
