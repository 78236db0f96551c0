package report

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/selfconsume/selfconsume/runfolder"
)

// Summary is what Write produced.
type Summary struct {
	// Report is the path of report.md.
	Report string
	// Figures lists the figures written, in the order report.md shows them.
	Figures []Figure
	// Skipped lists the figures the run folder's files did not allow, and why.
	Skipped []Skipped
}

// Figure is one PNG written.
type Figure struct {
	// File is the figure's path relative to the run folder, with forward
	// slashes (as report.md links it), e.g. "plots/convergence.png".
	File string
	// Title says what the figure shows.
	Title string
	// Width and Height are its size in pixels.
	Width, Height int
}

// Skipped is a figure that was not drawn, with the reason (typically an
// optional file absent from the run folder).
type Skipped struct {
	Figure string
	Reason string
}

// figurePlan is a figure the run's files allow, not yet drawn.
type figurePlan struct {
	file    string // relative to the run folder, e.g. "plots/x.png"
	section string // report.md section
	title   string
	caption string
	build   func() *layout
}

// planners list the figure kinds in report order.
var planners = []func(*run) ([]figurePlan, []Skipped){
	planRewards,
	planConvergence,
	planDistance,
	planFitGap,
	planDiversity,
	planTables,
	planDensities,
	planModes,
	planInfluence,
	planCuration,
}

// Write draws every figure the run folder's files allow and writes report.md.
// Missing optional files mean the figures that need them are skipped (and the
// report says so), never an error; a malformed file is an error naming the
// file and line.
//
// A sweep folder (one holding sweep.yaml or summary.csv, see package
// train/sweep, and no run files of its own) gets the sweep's report
// instead: for every swept key and key metric, the final value against the
// key's values, and report.md with the grid, the cell counts and a table of
// the final values per grid point. It needs summary.csv (sweep collect).
func Write(dir string) (Summary, error) {
	return WriteContext(context.Background(), dir)
}

// WriteContext is Write that stops with ctx's error, before the next
// figure, once ctx is cancelled (report.md is then not written).
func WriteContext(ctx context.Context, dir string) (Summary, error) {
	if isSweepDir(dir) {
		return writeSweep(ctx, dir)
	}
	r, err := load(dir)
	if err != nil {
		return Summary{}, fmt.Errorf("report: %w", err)
	}
	if err := os.MkdirAll(filepath.Join(dir, runfolder.PlotsDir), 0o755); err != nil {
		return Summary{}, fmt.Errorf("report: %w", err)
	}
	sum := Summary{Report: filepath.Join(dir, runfolder.ReportFile)}
	var written []figurePlan
	used := make(map[string]bool)
	for _, plan := range planners {
		plans, skipped := plan(r)
		sum.Skipped = append(sum.Skipped, skipped...)
		w, err := renderAll(ctx, dir, plans, used, &sum)
		if err != nil {
			return sum, err
		}
		written = append(written, w...)
	}
	md := r.markdown(written, sum)
	if err := writeFileAtomic(sum.Report, []byte(md)); err != nil {
		return sum, fmt.Errorf("report: %w", err)
	}
	return sum, nil
}

// renderAll draws the planned figures, recording them (or why they could
// not be drawn) in sum, and returns the plans drawn.
func renderAll(ctx context.Context, dir string, plans []figurePlan, used map[string]bool, sum *Summary) ([]figurePlan, error) {
	var written []figurePlan
	for _, fp := range plans {
		if err := ctx.Err(); err != nil {
			return written, err
		}
		fp.file = uniqueFile(fp.file, used)
		fig, drawErr, err := renderContext(ctx, dir, fp)
		if ctx.Err() != nil {
			return written, ctx.Err()
		}
		if err != nil {
			return written, fmt.Errorf("report: writing %s: %w", fp.file, err)
		}
		if drawErr != nil {
			sum.Skipped = append(sum.Skipped, Skipped{fp.title, "could not be drawn: " + drawErr.Error()})
			continue
		}
		sum.Figures = append(sum.Figures, fig)
		written = append(written, fp)
	}
	return written, nil
}

// uniqueFile returns file, or file with a numeric suffix when another figure
// already took the name (two names that map to the same safe file name).
func uniqueFile(file string, used map[string]bool) string {
	out := file
	for i := 2; used[out]; i++ {
		out = fmt.Sprintf("%s-%d.png", strings.TrimSuffix(file, ".png"), i)
	}
	used[out] = true
	return out
}

// renderContext is render that returns ctx's error as soon as ctx is
// cancelled: one figure can take seconds to draw and encode, and the drawing
// is then left to finish in the background (its file is written atomically,
// whole or not at all).
func renderContext(ctx context.Context, dir string, fp figurePlan) (Figure, error, error) {
	type result struct {
		fig          Figure
		drawErr, err error
	}
	done := make(chan result, 1)
	go func() {
		fig, drawErr, err := render(dir, fp)
		done <- result{fig, drawErr, err}
	}()
	select {
	case r := <-done:
		return r.fig, r.drawErr, r.err
	case <-ctx.Done():
		return Figure{}, nil, ctx.Err()
	}
}

// render builds and writes one figure. drawErr reports a figure that could
// not be drawn (gonum/plot panics on some degenerate data); err a file that
// could not be written.
func render(dir string, fp figurePlan) (fig Figure, drawErr, err error) {
	var l *layout
	func() {
		defer func() {
			if v := recover(); v != nil {
				drawErr = fmt.Errorf("%v", v)
			}
		}()
		l = fp.build()
		if l == nil {
			drawErr = fmt.Errorf("no data to draw")
			return
		}
		err = writePNG(filepath.Join(dir, filepath.FromSlash(fp.file)), l)
	}()
	if drawErr != nil || err != nil {
		return Figure{}, drawErr, err
	}
	return Figure{File: fp.file, Title: fp.title, Width: pixels(l.w), Height: pixels(l.h)}, nil, nil
}
