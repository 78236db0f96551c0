package sweep

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/selfconsume/selfconsume/internal/slurmtest"
	"github.com/selfconsume/selfconsume/runfolder"
)

func TestSlurmScript(t *testing.T) {
	dir := prepared(t, twoByTwo())
	o := SlurmOptions{Partition: "short", Time: "00:05:00", Mem: "1G", CellsPerTask: 3, Concurrency: 2, Binary: "/opt/bin/self consume"}
	script, job, err := SubmitSlurm(dir, o, nil, true)
	if err != nil || job != "" {
		t.Fatalf("dry run: job %q, %v", job, err)
	}
	abs, _ := filepath.Abs(dir)
	for _, want := range []string{
		"#!/bin/bash\n",
		"#SBATCH --array=0-1%2\n", // 4 cells, 3 per task: 2 tasks
		"#SBATCH --cpus-per-task=1\n",
		"#SBATCH --partition=short\n", "#SBATCH --time=00:05:00\n", "#SBATCH --mem=1G\n",
		"#SBATCH --output=" + filepath.Join(abs, "slurm", "%A_%a.out") + "\n",
		"cells=(0 1 2 3)\nper=3\n",
		`'/opt/bin/self consume' sweep run-cell '` + abs + `' --index "${cells[k]}" || status=1`,
	} {
		if !strings.Contains(script, want) {
			t.Errorf("the script lacks %q:\n%s", want, script)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "slurm")); !os.IsNotExist(err) {
		t.Error("a dry run wrote into the sweep folder")
	}
	// Resubmitting chosen cells lists only those; done cells are left out.
	os.MkdirAll(CellDir(dir, cellsOf(t, dir)[3]), 0o755)
	os.WriteFile(filepath.Join(CellDir(dir, cellsOf(t, dir)[3]), runfolder.DoneFile), nil, 0o644)
	script, _, err = SubmitSlurm(dir, SlurmOptions{Binary: "sc"}, []int{1, 3}, true)
	if err != nil || !strings.Contains(script, "cells=(1)\n") || !strings.Contains(script, "#SBATCH --array=0-0\n") {
		t.Errorf("resubmitting cells 1 and 3 (3 done): %v\n%s", err, script)
	}
	if _, _, err := SubmitSlurm(dir, SlurmOptions{Binary: "sc"}, []int{3}, true); err != ErrNothingToSubmit {
		t.Errorf("submitting only done cells: %v, want ErrNothingToSubmit", err)
	}
}

// TestSlurmMatchesLocal runs a small sweep as a job array on a real Slurm
// (start one with scripts/slurm/up.sh) and checks that every cell's numbers
// equal those of the local backend. go test caches its result like any
// other (Slurm's state is not one of the inputs it tracks): after starting
// or stopping Slurm, run it with -count=1.
func TestSlurmMatchesLocal(t *testing.T) {
	slurmtest.Require(t)
	t0 := time.Now()
	bin := slurmtest.Binary(t)
	tBuild := time.Since(t0)

	// curation.k = 0 fails validation: those two cells fail on both backends.
	spec := tiny(Grid{{Key: "curation.k", Values: []string{"2", "4", "0"}}}, 2)
	spec.Slurm = SlurmOptions{CellsPerTask: 1, Concurrency: 2, Time: "00:05:00", Binary: bin}
	dir := prepared(t, spec)
	t1 := time.Now()
	_, job, err := SubmitSlurm(dir, spec.Slurm, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	slurmtest.Wait(t, job, 2*time.Minute)
	tSlurm := time.Since(t1)
	st, err := ReadStatus(dir)
	if err != nil {
		t.Fatal(err)
	}
	if st.Done != 4 || !slices.Equal(st.Failed(), []int{4, 5}) {
		logs, _ := filepath.Glob(filepath.Join(dir, "slurm", "*.out"))
		for _, l := range logs {
			t.Logf("%s:\n%s", l, read(t, l))
		}
		t.Fatalf("after job %s: %+v", job, st)
	}

	// Slurm reports the failing cell's array task as failed.
	if info, _ := exec.Command("scontrol", "-o", "show", "job", job+"_4").Output(); !strings.Contains(string(info), "JobState=FAILED") {
		t.Errorf("scontrol show job %s_4 does not say FAILED: %s", job, info)
	}
	// Resubmitting the failed cells runs just those, and they fail again.
	_, retry, err := SubmitSlurm(dir, spec.Slurm, st.Failed(), false)
	if err != nil {
		t.Fatal(err)
	}
	slurmtest.Wait(t, retry, 2*time.Minute)
	if st2, _ := ReadStatus(dir); st2.Done != 4 || !slices.Equal(st2.Failed(), []int{4, 5}) {
		t.Errorf("after the resubmission: %+v", st2)
	}

	local := prepared(t, spec)
	t2 := time.Now()
	if _, err := RunLocal(context.Background(), local, 2, nil); err != nil {
		t.Fatal(err)
	}
	tLocal := time.Since(t2)
	for _, d := range []string{dir, local} {
		if err := Collect(d); err != nil {
			t.Fatal(err)
		}
	}
	lst, _ := ReadStatus(local)
	for i, f := range st.Failures {
		if lst.Failures[i] != f {
			t.Errorf("failure %d: Slurm %+v, local %+v", i, f, lst.Failures[i])
		}
	}
	for _, c := range cellsOf(t, dir)[:4] {
		p := filepath.Join(runfolder.CellsDir, c.Name, runfolder.MetricsFile)
		if !bytes.Equal(read(t, filepath.Join(dir, p)), read(t, filepath.Join(local, p))) {
			t.Errorf("cell %s: the Slurm run's metrics differ from the local run's", c.Name)
		}
	}
	for _, f := range []string{runfolder.SweepCSV, runfolder.SummaryCSV} {
		if !bytes.Equal(read(t, filepath.Join(dir, f)), read(t, filepath.Join(local, f))) {
			t.Errorf("%s differs between the Slurm and the local backend", f)
		}
	}
	t.Logf("job %s: build %.1fs, Slurm array of %d cells submit to done %.1fs (then the 2 failed cells resubmitted), local %.1fs",
		job, tBuild.Seconds(), st.Cells, tSlurm.Seconds(), tLocal.Seconds())
}
