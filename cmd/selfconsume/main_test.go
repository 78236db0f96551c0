package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func execute(t *testing.T, args ...string) (string, error) {
	t.Helper()
	root := newRoot()
	var out bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&out)
	root.SetArgs(args)
	err := root.Execute()
	return out.String(), err
}

func TestRunQuickstartWritesTheRunFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "qs")
	out, err := execute(t, "run", "../../configs/quickstart.yaml", "--out", dir, "--quiet",
		"--set", "generations=2", "--set", "reward_model.steps=30")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"quickstart: 3 models, 2 generations", "reward model alice", "solo", "run folder: " + dir} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	for _, f := range []string{"config.yaml", "metrics.csv", "tables.csv", "reward_models.csv", "checkpoints/state.gob"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("run folder lacks %s", f)
		}
	}
	cfg, _ := os.ReadFile(filepath.Join(dir, "config.yaml"))
	if !strings.Contains(string(cfg), "generations: 2") {
		t.Error("config.yaml does not hold the resolved override")
	}
}

func TestBadConfigFailsBeforeAnyWork(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "bad")
	_, err := execute(t, "run", "../../configs/quickstart.yaml", "--out", dir, "--set", "models.solo.mix.real=0.5")
	if err == nil || !strings.Contains(err.Error(), "models.0.mix") || !strings.Contains(err.Error(), "sum to 1") {
		t.Fatalf("want an error naming models.0.mix, got %v", err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatal("a bad config created the run folder")
	}
}

// A knob on a model without curated data fails at the config check, before
// any work, in run, predict and compare alike.
func TestKnobWithoutCuratedDataFailsEverywhere(t *testing.T) {
	for _, cmd := range []string{"run", "predict", "compare"} {
		dir := filepath.Join(t.TempDir(), cmd)
		_, err := execute(t, cmd, "../../configs/quickstart.yaml", "--out", dir, "--set", "theory.knob.model=anchored",
			"--set", "models.anchored.mix={real: 0.5, raw: {anchored: 0.5}}")
		if err == nil || !strings.Contains(err.Error(), "theory.knob.model = anchored: model anchored has no curated data") {
			t.Fatalf("%s: want an error naming theory.knob.model = anchored, got %v", cmd, err)
		}
		if _, err := os.Stat(dir); !os.IsNotExist(err) {
			t.Fatalf("%s: a bad knob created the output folder", cmd)
		}
	}
}

// A run with metrics: minimal finishes, writes its run folder and its report
// (figures of absent metrics are skipped), and the summary shows only
// measured columns.
func TestRunMinimalMetricsWritesFolderAndReport(t *testing.T) {
	for _, c := range []struct {
		config string
		sets   []string
		files  []string
		absent []string // summary columns minimal does not measure
	}{
		{"quickstart.yaml", []string{"generations=2", "reward_model.steps=30"},
			[]string{"tables.csv", "comparison.csv"}, []string{"entropy", "zero_mass"}},
		{"ring-2d.yaml", []string{"generations=2", "reward_model.steps=30", "reward_model.hidden=[16]",
			"models.0.init_steps=30", "models.1.init_steps=30", "models.0.hidden=[16]", "models.1.hidden=[16]",
			"models.0.depth=2", "models.1.depth=2", "models.0.n=512", "models.1.n=512",
			"data.heldout=500", "data.plane.eval=500", "data.plane.resolution=8", "data.plane.plot_resolution=12"},
			[]string{"density.csv", "samples.csv", "comparison.csv"}, []string{"entropy", "kl_real", "zero_mass"}},
	} {
		t.Run(c.config, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "run")
			args := []string{"run", "../../configs/" + c.config, "--out", dir, "--quiet", "--set", "metrics=minimal"}
			for _, s := range c.sets {
				args = append(args, "--set", s)
			}
			out, err := execute(t, args...)
			if err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			for _, f := range append([]string{"config.yaml", "metrics.csv", "report.md", "checkpoints/state.gob"}, c.files...) {
				if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
					t.Errorf("run folder lacks %s", f)
				}
			}
			if !strings.Contains(out, "reward/") || !strings.Contains(out, "report: ") {
				t.Errorf("output lacks the reward columns or the report line:\n%s", out)
			}
			for _, m := range c.absent {
				if strings.Contains(out, m) {
					t.Errorf("summary shows %s, which minimal does not measure:\n%s", m, out)
				}
			}
			t.Log(out)
		})
	}
}

// --version names the module version, the commit (or "unknown" where the
// build has no VCS information, as under go test), Go and the multiply
// backend.
func TestVersion(t *testing.T) {
	out, err := execute(t, "--version")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"selfconsume ", ", commit ", "go1.", "gemm"} {
		if !strings.Contains(out, want) && !(want == "gemm" && strings.Contains(out, "gonum")) {
			t.Errorf("--version output %q lacks %q", out, want)
		}
	}
}
