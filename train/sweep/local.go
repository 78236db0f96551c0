package sweep

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"

	"github.com/selfconsume/selfconsume/train"
)

// RunLocal runs every unfinished cell of the prepared sweep in dir (those
// without DONE: pending, interrupted and failed ones), workers at a time, in
// this process (workers <= 0: one per CPU). A failing cell is recorded in its
// FAILED file and in the returned Status, and does not stop the others. A
// cancelled ctx stops starting cells, interrupts the running ones at their
// next generation (their checkpoints are kept) and returns
// train.ErrInterrupted; running RunLocal again completes only what is
// missing. observe, when set, is told how many cells are finished.
func RunLocal(ctx context.Context, dir string, workers int, observe CellObserver) (Status, error) {
	return RunCells(ctx, dir, nil, workers, observe)
}

// CellObserver is told, once before the first cell runs and after every
// cell that ends (done or failed), how many of the sweep's total cells are
// finished. Calls never overlap. A progress bar is one.
type CellObserver func(finished, total int)

// RunCells is RunLocal restricted to the cells whose indices are in only
// (nil: every unfinished cell), for example the failed ones.
func RunCells(ctx context.Context, dir string, only []int, workers int, observe CellObserver) (Status, error) {
	return runLocal(ctx, dir, only, workers, observe, hooks{})
}

// hooks let tests watch a local sweep.
type hooks struct {
	start   func(Cell)                         // a cell is about to run
	observe func(Cell, train.GenerationReport) // a cell completed a generation
}

func runLocal(ctx context.Context, dir string, only []int, workers int, cells CellObserver, h hooks) (Status, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	s, all, err := open(dir)
	if err != nil {
		return Status{}, err
	}
	todo, err := selectCells(dir, all, only)
	if err != nil {
		return Status{}, err
	}
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = max(1, min(workers, len(todo)))
	cellWorkers := 0 // one cell at a time: the config's own worker count
	if workers > 1 {
		cellWorkers = 1 // cells side by side: one model at a time each
	}
	var mu sync.Mutex
	finished := len(all) - len(todo)
	if cells != nil {
		cells(finished, len(all))
	}
	next := make(chan Cell)
	var wg sync.WaitGroup
	var infra []error // errors that are not a cell's own (a full disk, say)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range next {
				if ctx.Err() != nil {
					continue
				}
				if h.start != nil {
					h.start(c)
				}
				var observe func(train.GenerationReport)
				if h.observe != nil {
					observe = func(r train.GenerationReport) { h.observe(c, r) }
				}
				err := runCell(ctx, dir, s, c, cellWorkers, observe)
				var ce *CellError
				switch {
				case errors.Is(err, train.ErrInterrupted):
					continue
				case err != nil && !errors.As(err, &ce):
					mu.Lock()
					infra = append(infra, fmt.Errorf("cell %s: %w", c.Name, err))
					mu.Unlock()
				}
				mu.Lock()
				finished++
				if cells != nil {
					cells(finished, len(all))
				}
				mu.Unlock()
			}
		}()
	}
	for _, c := range todo {
		next <- c
	}
	close(next)
	wg.Wait()
	st, err := ReadStatus(dir)
	if err != nil {
		return st, err
	}
	if len(infra) > 0 {
		return st, errors.Join(infra...)
	}
	if ctx.Err() != nil {
		return st, train.ErrInterrupted
	}
	return st, nil
}

// selectCells lists the cells to run: those in only (every cell without
// DONE when only is nil), in index order, leaving out the done ones.
func selectCells(dir string, cells []Cell, only []int) ([]Cell, error) {
	want := func(int) bool { return true }
	if only != nil {
		for _, i := range only {
			if i < 0 || i >= len(cells) {
				return nil, fmt.Errorf("sweep %s: cell index %d out of range: it has cells 0 to %d", dir, i, len(cells)-1)
			}
		}
		want = func(i int) bool { return slices.Contains(only, i) }
	}
	var todo []Cell
	for _, c := range cells {
		if st, _ := stateOf(dir, c); st != stateDone && want(c.Index) {
			todo = append(todo, c)
		}
	}
	return todo, nil
}
