package train

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/selfconsume/selfconsume/config"
	"github.com/selfconsume/selfconsume/runfolder"
)

// A run cancelled during set-up stops inside the phase it is in (the
// reward-model fit, the generation-0 fit, a flow's fit) and returns the
// context's error. Each set-up here would take minutes to finish; the bound
// of 5 s is far from both.
func TestCancelDuringSetupReturnsPromptly(t *testing.T) {
	for _, c := range []struct {
		name string
		cfg  config.Config
	}{
		{"reward model fit", mustParse(t, twoModels, "reward_model.steps=10000000")},
		{"generation-0 fit", mustParse(t, small, "models.m.init_steps=10000000")},
		{"flow generation-0 fit", mustParse(t, ringSmall, "models.m.init_steps=10000000")},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			time.AfterFunc(300*time.Millisecond, cancel)
			dir := filepath.Join(t.TempDir(), "run")
			start := time.Now()
			res, err := Run(ctx, c.cfg, Options{Out: dir})
			took := time.Since(start)
			if !errors.Is(err, context.Canceled) || !errors.Is(err, ErrInterrupted) {
				t.Fatalf("want context.Canceled and ErrInterrupted, got %v", err)
			}
			if took > 5*time.Second {
				t.Errorf("returned %.1fs after the start, 0.3s after which it was cancelled", took.Seconds())
			}
			if res == nil || res.Dir != dir {
				t.Errorf("the result does not name the run folder: %+v", res)
			}
			// The folder was left unlocked and resumes (a fresh start: no generation finished).
			if _, err := LockDir(dir); err != nil {
				t.Errorf("the folder is still locked: %v", err)
			}
		})
	}
}

// cutRun runs cfg into a fresh folder and stops it after generation stop;
// it returns the folder.
func cutRun(t *testing.T, cfg config.Config, stop int) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "cut")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, err := Run(ctx, cfg, Options{Out: dir, Observe: func(r GenerationReport) {
		if r.Generation == stop {
			cancel()
		}
	}})
	if !errors.Is(err, ErrInterrupted) {
		t.Fatalf("want ErrInterrupted, got %v", err)
	}
	return dir
}

// Every one-bit change of a checkpoint (header, start, middle and its last
// tenth) and every truncation is refused; so is a checkpoint without the
// header (the format before versioning).
func TestDamagedCheckpointsAreRefused(t *testing.T) {
	cfg := mustParse(t, small, "generations=3", "models.m.init_steps=20", "models.m.epochs=1")
	dir := cutRun(t, cfg, 1)
	good, err := os.ReadFile(filepath.Join(dir, runfolder.CheckpointFile))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := decodeCheckpoint(good); err != nil {
		t.Fatalf("the checkpoint as written is refused: %v", err)
	}
	n := len(good)
	positions := []int{0, 7, 8, 11, 12, 19, 20, 51, checkpointHeader, n / 3, n / 2}
	for k := 0; k < 16; k++ {
		positions = append(positions, n-1-k*(n/10)/16) // the last tenth
	}
	for _, pos := range positions {
		for _, bit := range []uint{0, 7} {
			bad := bytes.Clone(good)
			bad[pos] ^= 1 << bit
			if _, err := decodeCheckpoint(bad); !errors.Is(err, errCheckpoint) {
				t.Errorf("bit %d of byte %d of %d flipped: not refused (%v)", bit, pos, n, err)
			}
		}
	}
	for _, cut := range []int{0, 5, checkpointHeader - 1, checkpointHeader, n / 2, n - 1} {
		if _, err := decodeCheckpoint(good[:cut]); !errors.Is(err, errCheckpoint) {
			t.Errorf("truncated to %d of %d bytes: not refused (%v)", cut, n, err)
		}
	}
	if _, err := decodeCheckpoint(append(bytes.Clone(good), 0)); !errors.Is(err, errCheckpoint) {
		t.Errorf("one byte appended: not refused (%v)", err)
	}
	_, err = decodeCheckpoint(good[checkpointHeader:]) // the gob alone, as before versioning
	if !errors.Is(err, errCheckpoint) || !strings.Contains(err.Error(), "before checkpoints carried a format header") {
		t.Errorf("an unversioned checkpoint: %v", err)
	}
}

// --resume refuses a damaged checkpoint, says what to do, and offers the
// previous generation's checkpoint, from which the run then resumes to the
// numbers of an uninterrupted run. Stale temporary files are removed.
func TestResumeRefusesDamageAndOffersThePrevious(t *testing.T) {
	cfg := mustParse(t, small, "generations=4", "models.m.init_steps=20", "models.m.epochs=1")
	whole := filepath.Join(t.TempDir(), "whole")
	run(t, cfg, Options{Out: whole})
	dir := cutRun(t, cfg, 2)
	ck := filepath.Join(dir, runfolder.CheckpointFile)
	b, err := os.ReadFile(ck)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)-len(b)/20] ^= 4 // one bit in the last tenth
	if err := os.WriteFile(ck, b, 0o644); err != nil {
		t.Fatal(err)
	}
	stale := []string{filepath.Join(dir, "checkpoints", ".state.gob.tmp123456"), filepath.Join(dir, ".config.yaml.tmp42")}
	for _, s := range stale {
		if err := os.WriteFile(s, []byte("half"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	metrics, _ := os.ReadFile(filepath.Join(dir, runfolder.MetricsFile))
	_, err = Run(context.Background(), cfg, Options{Out: dir, Resume: true})
	if err == nil {
		t.Fatal("a damaged checkpoint resumed")
	}
	for _, want := range []string{"damaged", "state.gob.prev (generation 1) is intact", "without --resume into a new --out"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the error does not say %q: %v", want, err)
		}
	}
	if after, _ := os.ReadFile(filepath.Join(dir, runfolder.MetricsFile)); !bytes.Equal(after, metrics) {
		t.Error("the refused resume changed metrics.csv")
	}
	for _, s := range stale {
		if _, err := os.Stat(s); !os.IsNotExist(err) {
			t.Errorf("stale %s not removed", filepath.Base(s))
		}
	}
	if err := os.Rename(ck+prevSuffix, ck); err != nil {
		t.Fatal(err)
	}
	run(t, cfg, Options{Out: dir, Resume: true})
	for _, f := range []string{runfolder.MetricsFile, runfolder.TablesFile} {
		a, _ := os.ReadFile(filepath.Join(whole, f))
		b, _ := os.ReadFile(filepath.Join(dir, f))
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("%s differs after resuming from the previous checkpoint (%d vs %d bytes)", f, len(a), len(b))
		}
	}
}

// A folder held by another process is refused at once, naming the folder
// and the holder's PID; the lock goes with its holder.
func TestLockedRunFolderIsRefused(t *testing.T) {
	cfg := mustParse(t, small, "generations=2", "models.m.init_steps=20", "models.m.epochs=1")
	dir := cutRun(t, cfg, 1)
	held, err := LockDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := LockDir(dir); err == nil {
		t.Fatal("a second lock on the same folder was granted")
	}
	_, err = Run(context.Background(), cfg, Options{Out: dir, Resume: true})
	var be *BusyError
	if !errors.As(err, &be) || be.Dir != dir || be.PID != os.Getpid() {
		t.Fatalf("want a BusyError naming %s and PID %d, got %v", dir, os.Getpid(), err)
	}
	if !strings.Contains(err.Error(), dir) || !strings.Contains(err.Error(), "PID") {
		t.Errorf("the message does not name the folder and PID: %v", err)
	}
	held.Unlock()
	run(t, cfg, Options{Out: dir, Resume: true})
}

// --out at a folder holding anything else than a run is refused without
// writing; an empty folder is used.
func TestForeignOutFolderIsRefused(t *testing.T) {
	cfg := mustParse(t, small, "generations=1", "models.m.init_steps=20", "models.m.epochs=1")
	for _, name := range []string{"notes.txt", runfolder.MetricsFile} {
		dir := t.TempDir()
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte("mine\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := Run(context.Background(), cfg, Options{Out: dir})
		if err == nil || !strings.Contains(err.Error(), "not a run folder") {
			t.Fatalf("%s: want a refusal, got %v", name, err)
		}
		if b, _ := os.ReadFile(path); string(b) != "mine\n" {
			t.Errorf("%s was changed", name)
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 1 {
			t.Errorf("the refused run wrote into the folder: %d entries", len(entries))
		}
	}
	run(t, cfg, Options{Out: t.TempDir()})
}

// whileRunning returns the context's error as soon as it is cancelled,
// with f still running, and f's result otherwise.
func TestWhileRunning(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	if _, err := whileRunning(ctx, func() int { <-release; return 1 }); !errors.Is(err, context.Canceled) {
		t.Fatalf("want context.Canceled, got %v", err)
	}
	if v, err := whileRunning(context.Background(), func() int { return 7 }); v != 7 || err != nil {
		t.Fatalf("got %d, %v", v, err)
	}
}

// The prediction stops on a cancelled context and runs to the end on a
// live one.
func TestPredictContextStops(t *testing.T) {
	cfg := mustParse(t, small, "generations=2", "models.m.init_steps=20", "models.m.epochs=1", "theory.predict=false")
	res := run(t, cfg, Options{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := PredictContext(ctx, cfg, res.World, res.Tables[0], config.CuratorTrue); !errors.Is(err, context.Canceled) {
		t.Fatalf("want context.Canceled, got %v", err)
	}
	p, err := PredictContext(context.Background(), cfg, res.World, res.Tables[0], config.CuratorTrue)
	if err != nil || len(p.Trajectory) != 3 {
		t.Fatalf("prediction: %v", err)
	}
}
