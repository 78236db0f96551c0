package sweep

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/selfconsume/selfconsume/config"
	"github.com/selfconsume/selfconsume/runfolder"
	"github.com/selfconsume/selfconsume/train"
)

// CellError is a cell that failed: its config did not resolve, or its run
// stopped with an error (a NaN loss, say). The message is in the cell's
// FAILED file.
type CellError struct {
	Cell Cell
	Err  error
}

// Error names the cell and its error.
func (e *CellError) Error() string { return fmt.Sprintf("cell %s: %v", e.Cell.Name, e.Err) }

// Unwrap returns the cell's error.
func (e *CellError) Unwrap() error { return e.Err }

// RunCell runs cell index of the prepared sweep in dir into its run folder,
// continuing from the folder's checkpoint if it has one, then writes the
// cell's DONE marker atomically. A cell already done is skipped. A failing
// cell gets a FAILED file with its error, and RunCell returns a *CellError;
// a cancelled ctx returns train.ErrInterrupted and leaves the checkpoint.
// This is what a scheduler task runs (selfconsume sweep run-cell), so the
// cell trains slurm.cpus_per_task models at once (default 1).
// observe, when set, sees every generation the cell completes.
func RunCell(ctx context.Context, dir string, index int, observe func(train.GenerationReport)) error {
	s, cells, err := open(dir)
	if err != nil {
		return err
	}
	if index < 0 || index >= len(cells) {
		return fmt.Errorf("sweep %s: cell index %d out of range: it has cells 0 to %d", dir, index, len(cells)-1)
	}
	return runCell(ctx, dir, s, cells[index], max(1, s.Slurm.CPUsPerTask), observe)
}

// runCell runs one cell; workers > 0 replaces the config's worker count.
// observe, when set, sees every generation the cell completes.
func runCell(ctx context.Context, dir string, s Spec, c Cell, workers int, observe func(train.GenerationReport)) error {
	if ctx == nil {
		ctx = context.Background()
	}
	if st, _ := stateOf(dir, c); st == stateDone {
		return nil
	}
	if ctx.Err() != nil {
		return train.ErrInterrupted
	}
	cd := CellDir(dir, c)
	if err := os.MkdirAll(cd, 0o755); err != nil {
		return err
	}
	// The cell's lock, beside its folder, is held from the DONE check to the
	// DONE or FAILED marker: a second process given the same cell (a Slurm
	// task and a local sweep, say) is refused at once and writes no marker.
	lock, err := train.LockAt(filepath.Join(dir, runfolder.CellsDir, "."+c.Name+runfolder.LockFile), cd)
	if err != nil {
		return err
	}
	defer lock.Unlock()
	if st, _ := stateOf(dir, c); st == stateDone {
		return nil
	}
	if err := os.Remove(filepath.Join(cd, runfolder.FailedFile)); err != nil && !os.IsNotExist(err) {
		return err
	}
	err = runConfig(ctx, s.Base, c, cd, workers, observe)
	switch {
	case err == nil:
		return runfolder.WriteFileAtomic(filepath.Join(cd, runfolder.DoneFile), []byte("done\n"))
	case errors.Is(err, train.ErrInterrupted):
		return err
	case errors.As(err, new(*train.BusyError)):
		return err // another process holds the cell's run folder: not the cell's failure
	}
	if werr := runfolder.WriteFileAtomic(filepath.Join(cd, runfolder.FailedFile), []byte(err.Error()+"\n")); werr != nil {
		return errors.Join(&CellError{Cell: c, Err: err}, werr)
	}
	return &CellError{Cell: c, Err: err}
}

// runConfig resolves the cell's config and runs it into folder out, resuming
// when out already holds the run's config. A panic becomes the cell's error.
func runConfig(ctx context.Context, base string, c Cell, out string, workers int, observe func(train.GenerationReport)) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	cfg, err := config.Load(base, c.Sets, nil)
	if err != nil {
		return err
	}
	if workers > 0 {
		cfg.Workers = workers
	}
	_, statErr := os.Stat(filepath.Join(out, runfolder.ConfigFile))
	_, err = train.Run(ctx, cfg, train.Options{Out: out, Resume: statErr == nil, Observe: observe})
	return err
}
