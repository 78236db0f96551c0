// Package slurmtest lets tests run work on a real single-node Slurm: it
// skips a test, saying why, when no Slurm answers, builds the selfconsume
// command for the compute node, and waits for a job to leave the queue.
// scripts/slurm/up.sh starts such a Slurm (as root).
package slurmtest

import (
	"bytes"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Require skips t unless sbatch is on PATH, a controller answers and a node
// is idle. go test caches results like any other (Slurm's state is not one
// of the inputs it tracks): after starting or stopping Slurm, run the test
// with -count=1.
func Require(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("sbatch"); err != nil {
		t.Skip("Slurm: sbatch is not on PATH; start a single-node Slurm with scripts/slurm/up.sh (as root) to run this test")
	}
	// scontrol ping answers at once; sinfo waits about 9 s for a missing controller.
	if err := exec.Command("scontrol", "ping").Run(); err != nil {
		t.Skipf("Slurm: no controller answers (scontrol ping: %v); scripts/slurm/up.sh starts one", err)
	}
	out, err := exec.Command("sinfo", "-h", "-o", "%T").Output()
	if err != nil || !strings.Contains(string(out), "idle") {
		t.Skipf("Slurm: no idle node (sinfo -h -o %%T: %q, %v); scripts/slurm/up.sh starts one", strings.TrimSpace(string(out)), err)
	}
}

// Binary builds the selfconsume command into a temporary folder of t and
// returns its path, for SlurmOptions.Binary.
func Binary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "selfconsume")
	build := exec.Command("go", "build", "-o", bin, "github.com/selfconsume/selfconsume/cmd/selfconsume")
	if b, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, b)
	}
	return bin
}

// Wait polls squeue until the job has left the queue; after limit it
// cancels the job and fails t.
func Wait(t *testing.T, job string, limit time.Duration) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		q, err := exec.Command("squeue", "-h", "-j", job).Output()
		if err != nil || len(bytes.TrimSpace(q)) == 0 {
			return
		}
		if time.Now().After(deadline) {
			exec.Command("scancel", job).Run()
			t.Fatalf("job %s still queued after %v:\n%s", job, limit, q)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
