package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSweepExampleDryRun(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "k")
	out, err := execute(t, "sweep", "../../configs/sweeps/quickstart-k.yaml", "--out", dir,
		"--backend", "slurm", "--dry-run", "--concurrency", "2", "--binary", "/shared/selfconsume")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"#SBATCH --array=0-2%2\n", "#SBATCH --time=00:10:00\n", "cells=(0 1 2 3 4 5 6 7 8)\nper=3\n",
		"'/shared/selfconsume' sweep run-cell '" + dir + "'"} {
		if !strings.Contains(out, want) {
			t.Errorf("the batch script lacks %q:\n%s", want, out)
		}
	}
	cells, _ := os.ReadFile(filepath.Join(dir, "cells.csv"))
	if !strings.Contains(string(cells), "8,0008-curation.k=8-seed=3,8,3\n") {
		t.Errorf("cells.csv:\n%s", cells)
	}
}

func TestSweepLocalStatusCollect(t *testing.T) {
	tmp := t.TempDir()
	spec := filepath.Join(tmp, "s.yaml")
	base, _ := filepath.Abs("../../train/sweep/testdata/tiny.yaml")
	os.WriteFile(spec, []byte("base: "+base+"\ngrid: {models.solo.mix.real: [0, 0.5]}\nseeds: 1\n"), 0o644)
	dir := filepath.Join(tmp, "out")
	out, err := execute(t, "sweep", spec, "--out", dir, "--workers", "2", "--quiet")
	if err == nil || !strings.Contains(err.Error(), "1 of 2 cells failed") || !strings.Contains(err.Error(), "--retry-failed") {
		t.Fatalf("a sweep with a bad cell: %v", err)
	}
	if !strings.Contains(out, "2 cells, 1 done, 1 failed") {
		t.Errorf("output:\n%s", out)
	}
	out, err = execute(t, "sweep", "status", dir)
	if err != nil || !strings.Contains(out, "2 cells: 1 done, 1 failed, 0 pending") || !strings.Contains(out, "failed 0001-models.solo.mix.real=0.5-seed=1: ") {
		t.Errorf("status: %v\n%s", err, out)
	}
	out, err = execute(t, "sweep", "collect", dir)
	if err != nil || !strings.Contains(out, "collected 1 cells") {
		t.Errorf("collect: %v\n%s", err, out)
	}
	out, err = execute(t, "sweep", "run-cell", dir, "--index", "0")
	if err != nil || !strings.Contains(out, "cell 0 done") {
		t.Errorf("run-cell of a done cell: %v\n%s", err, out)
	}
	t.Setenv("JOB_COMPLETION_INDEX", "1")
	if _, err := execute(t, "sweep", "run-cell", dir, "--index-env", "JOB_COMPLETION_INDEX"); err == nil || !strings.Contains(err.Error(), "0001-models.solo.mix.real=0.5") {
		t.Errorf("run-cell of the bad cell by JOB_COMPLETION_INDEX: %v", err)
	}
}
