package regimemap

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/selfconsume/selfconsume/internal/slurmtest"
	"github.com/selfconsume/selfconsume/train/sweep"
)

// A spot check sent to a real Slurm (scripts/slurm/up.sh starts one) is
// pending after the first map run, which submits one job array; once the
// job has ended, the next run collects it, and the spot's verdict and
// numbers equal those of the same spot run here.
func TestSlurmSpotMatchesLocal(t *testing.T) {
	slurmtest.Require(t)
	remote, spec := spotMap(t, "slurm")
	so := &sweep.SlurmOptions{Time: "00:05:00", Concurrency: 2, Binary: slurmtest.Binary(t)}
	ctx := context.Background()
	first, err := Run(ctx, spec, remote, Options{Slurm: so})
	if err != nil {
		t.Fatal(err)
	}
	if len(first.Spots) != 1 || first.Spots[0].Verdict != VerdictPending {
		t.Fatalf("after submitting: spots %+v; want one pending", first.Spots)
	}
	job, err := os.ReadFile(filepath.Join(remote, first.Spots[0].Dir, SubmittedFile))
	if err != nil {
		t.Fatal(err)
	}
	slurmtest.Wait(t, strings.TrimSpace(string(job)), 3*time.Minute)

	again, err := Run(ctx, spec, remote, Options{Slurm: so})
	if err != nil {
		t.Fatal(err)
	}
	localDir, _ := spotMap(t, "local")
	local, err := Run(ctx, spec, localDir, Options{SpotWorkers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Spots) != 1 || len(local.Spots) != 1 {
		t.Fatalf("spots: Slurm %d, local %d; want 1 each", len(again.Spots), len(local.Spots))
	}
	s, l := again.Spots[0], local.Spots[0]
	if s.Verdict == VerdictPending || s.Verdict == VerdictError {
		t.Fatalf("after job %s: spot %q (%s)", job, s.Verdict, s.Note)
	}
	if s.Verdict != l.Verdict || s.Checks != l.Checks || s.Other != l.Other ||
		s.Predicted != l.Predicted || s.Measured != l.Measured || s.Half != l.Half {
		t.Errorf("Slurm spot %+v\nlocal spot %+v", s, l)
	}
	t.Logf("job %s: spot %s, %d/%d/%d map checks agree/unresolved/disagree, self-influence measured %.4f +- %.4f, predicted %.4f",
		strings.TrimSpace(string(job)), s.Verdict, s.Checks[0], s.Checks[1], s.Checks[2], s.Measured, s.Half, s.Predicted)
}
