package sweep

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/selfconsume/selfconsume/config"
	"github.com/selfconsume/selfconsume/runfolder"
	"github.com/selfconsume/selfconsume/train"
)

func TestRunLocalTwoValuesTwoSeeds(t *testing.T) {
	dir := prepared(t, twoByTwo())
	var seen [][2]int // the observer's (finished, total) calls, which never overlap
	st, err := RunLocal(context.Background(), dir, 2, func(finished, total int) { seen = append(seen, [2]int{finished, total}) })
	if err != nil {
		t.Fatal(err)
	}
	if st.Cells != 4 || st.Done != 4 || st.Pending != 0 || len(st.Failures) != 0 {
		t.Fatalf("status %+v, want 4 cells done", st)
	}
	if want := [][2]int{{0, 4}, {1, 4}, {2, 4}, {3, 4}, {4, 4}}; !slices.Equal(seen, want) {
		t.Errorf("cell observer saw %v, want %v", seen, want)
	}
	cells := cellsOf(t, dir)
	for _, c := range cells {
		cfg, err := config.Load(filepath.Join(CellDir(dir, c), runfolder.ConfigFile), nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		k, _ := c.Value("curation.k")
		if got := cfg.Curation.K; k != map[int]string{2: "2", 4: "4"}[got] || cfg.Seed != c.Seed || cfg.Workers != 1 {
			t.Errorf("cell %s ran curation.k=%d seed=%d workers=%d", c.Name, got, cfg.Seed, cfg.Workers)
		}
	}
	// The seeds and the knob change the numbers.
	m := func(i int) []byte { return read(t, filepath.Join(CellDir(dir, cells[i]), runfolder.MetricsFile)) }
	if bytes.Equal(m(0), m(1)) || bytes.Equal(m(0), m(2)) {
		t.Error("cells with different seeds or knobs have the same metrics")
	}
	// A cell equals the same config run on its own.
	cfg, err := config.Load("testdata/tiny.yaml", cells[3].Sets, nil)
	if err != nil {
		t.Fatal(err)
	}
	solo := filepath.Join(t.TempDir(), "solo")
	if _, err := train.Run(context.Background(), cfg, train.Options{Out: solo}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(m(3), read(t, filepath.Join(solo, runfolder.MetricsFile))) {
		t.Error("cell 3's metrics differ from a plain run of its config")
	}

	if err := Collect(dir); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(read(t, filepath.Join(dir, runfolder.SweepCSV)))), "\n")
	if lines[0] != "curation.k,seed,generation,model,metric,value" {
		t.Errorf("sweep.csv header %q", lines[0])
	}
	perCell := strings.Count(string(m(0)), "\n") - 1
	if len(lines) != 1+4*perCell {
		t.Errorf("sweep.csv has %d rows, want %d", len(lines)-1, 4*perCell)
	}
	first := strings.SplitN(string(m(0)), "\n", 3)[1]
	if lines[1] != "2,1,"+first {
		t.Errorf("sweep.csv row 1 = %q, want cell 0's first row %q with keys 2,1", lines[1], first)
	}
	// A second run has nothing left to do.
	seen = nil
	st, err = RunLocal(context.Background(), dir, 2, func(finished, total int) { seen = append(seen, [2]int{finished, total}) })
	if err != nil || st.Done != 4 {
		t.Errorf("second run: %+v %v", st, err)
	}
	if want := [][2]int{{4, 4}}; !slices.Equal(seen, want) {
		t.Errorf("second run: cell observer saw %v, want %v", seen, want)
	}
}

func TestInterruptedSweepResumesOnlyMissingCells(t *testing.T) {
	whole := prepared(t, twoByTwo())
	if _, err := RunLocal(context.Background(), whole, 1, nil); err != nil {
		t.Fatal(err)
	}
	if err := Collect(whole); err != nil {
		t.Fatal(err)
	}

	dir := prepared(t, twoByTwo())
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// Cancel while cell 1 is between generations 1 and 2: cell 0 is done,
	// cell 1 keeps a checkpoint, cells 2 and 3 never start.
	st, err := runLocal(ctx, dir, nil, 1, nil, hooks{observe: func(c Cell, r train.GenerationReport) {
		if c.Index == 1 && r.Generation == 1 {
			cancel()
		}
	}})
	if !errors.Is(err, train.ErrInterrupted) {
		t.Fatalf("interrupted sweep returned %v", err)
	}
	if st.Done != 1 || st.Pending != 3 {
		t.Fatalf("after the interruption: %+v, want 1 done, 3 pending", st)
	}
	cells := cellsOf(t, dir)
	if _, err := os.Stat(filepath.Join(CellDir(dir, cells[1]), "checkpoints", "state.gob")); err != nil {
		t.Fatal("the interrupted cell kept no checkpoint")
	}
	done0 := filepath.Join(CellDir(dir, cells[0]), runfolder.MetricsFile)
	before, _ := os.Stat(done0)

	var started []int
	var resumedAt []int
	st, err = runLocal(context.Background(), dir, nil, 1, nil, hooks{
		start: func(c Cell) { started = append(started, c.Index) },
		observe: func(c Cell, r train.GenerationReport) {
			if c.Index == 1 {
				resumedAt = append(resumedAt, r.Generation)
			}
		},
	})
	if err != nil || st.Done != 4 {
		t.Fatalf("second run: %+v %v", st, err)
	}
	if !slices.Equal(started, []int{1, 2, 3}) {
		t.Errorf("the second run started cells %v, want [1 2 3]", started)
	}
	if len(resumedAt) == 0 || resumedAt[0] != 2 {
		t.Errorf("cell 1 ran generations %v again, want it to resume at 2", resumedAt)
	}
	if after, _ := os.Stat(done0); !after.ModTime().Equal(before.ModTime()) {
		t.Error("the finished cell's metrics.csv was written again")
	}
	if err := Collect(dir); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{runfolder.SweepCSV, runfolder.SummaryCSV} {
		if !bytes.Equal(read(t, filepath.Join(dir, f)), read(t, filepath.Join(whole, f))) {
			t.Errorf("%s of the interrupted sweep differs from the uninterrupted one", f)
		}
	}
}

func TestBadCellIsReportedAndOthersComplete(t *testing.T) {
	// models.solo.mix.real = 0.5 makes solo's shares sum to 1.5: that cell
	// fails validation; the other runs.
	dir := prepared(t, tiny(Grid{{Key: "models.solo.mix.real", Values: []string{"0.5", "0"}}}, 1))
	st, err := RunLocal(context.Background(), dir, 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	if st.Done != 1 || len(st.Failures) != 1 || st.Failures[0].Index != 0 {
		t.Fatalf("status %+v, want cell 0 failed and cell 1 done", st)
	}
	msg := st.Failures[0].Message
	if !strings.Contains(msg, "models.0.mix") || !strings.Contains(msg, "sum to 1") {
		t.Errorf("failure message %q does not name the key and the rule", msg)
	}
	if err := st.Err(); err == nil || !strings.Contains(err.Error(), "1 of 2 cells failed") {
		t.Errorf("Status.Err() = %v", err)
	}
	if !slices.Equal(st.Failed(), []int{0}) {
		t.Errorf("Failed() = %v", st.Failed())
	}
	// Running the failed cell again fails again, the same way, and leaves
	// the finished cell alone.
	var started []int
	st2, err := runLocal(context.Background(), dir, st.Failed(), 2, nil, hooks{start: func(c Cell) { started = append(started, c.Index) }})
	if err != nil || !slices.Equal(started, []int{0}) || len(st2.Failures) != 1 || st2.Failures[0].Message != msg {
		t.Errorf("retry: started %v, status %+v, err %v", started, st2, err)
	}
	if err := Collect(dir); err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(read(t, filepath.Join(dir, runfolder.SweepCSV)))), "\n")[1:] {
		if !strings.HasPrefix(line, "0,1,") {
			t.Fatalf("sweep.csv holds a row of the failed cell: %q", line)
		}
	}
	// RunCell reports the failure as a *CellError.
	var ce *CellError
	if err := RunCell(context.Background(), dir, 0, nil); !errors.As(err, &ce) || ce.Cell.Index != 0 {
		t.Errorf("RunCell of the bad cell: %v", err)
	}
	if err := RunCell(context.Background(), dir, 5, nil); err == nil || !strings.Contains(err.Error(), "out of range") {
		t.Errorf("RunCell of a cell out of range: %v", err)
	}
}
