package sweep

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/selfconsume/selfconsume/runfolder"
	"github.com/selfconsume/selfconsume/train"
)

// A cell another process is running is refused at once, with no FAILED
// marker; once the lock is gone the cell runs.
func TestBusyCellIsRefusedWithoutMarker(t *testing.T) {
	dir := prepared(t, twoByTwo())
	c := cellsOf(t, dir)[0]
	if err := os.MkdirAll(CellDir(dir, c), 0o755); err != nil {
		t.Fatal(err)
	}
	held, err := train.LockAt(filepath.Join(dir, runfolder.CellsDir, "."+c.Name+runfolder.LockFile), CellDir(dir, c))
	if err != nil {
		t.Fatal(err)
	}
	err = RunCell(context.Background(), dir, 0, nil)
	var be *train.BusyError
	if !errors.As(err, &be) || be.PID != os.Getpid() || be.Dir != CellDir(dir, c) {
		t.Fatalf("want a BusyError naming the cell and PID %d, got %v", os.Getpid(), err)
	}
	if st, _ := stateOf(dir, c); st != statePending {
		t.Errorf("the refused cell is in state %v, want pending", st)
	}
	held.Unlock()
	if err := RunCell(context.Background(), dir, 0, nil); err != nil {
		t.Fatal(err)
	}
	if st, _ := stateOf(dir, c); st != stateDone {
		t.Errorf("the cell is in state %v after its run, want done", st)
	}
}
