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
