package main

import (
	"io"

	"github.com/schollz/progressbar/v3"

	"github.com/selfconsume/selfconsume/train"
	"github.com/selfconsume/selfconsume/train/sweep"
)

// bar is a progress bar of what, drawn on w; with w nil it draws nothing.
// The library packages only report progress (train.Options.Observe,
// sweep.CellObserver); drawing it is the command's business.
type bar struct {
	w    io.Writer
	what string
	pb   *progressbar.ProgressBar
}

// set shows done of total, creating the bar on the first call.
func (b *bar) set(done, total int) {
	if b.w == nil || total <= 0 {
		return
	}
	if b.pb == nil {
		b.pb = progressbar.NewOptions(total,
			progressbar.OptionSetWriter(b.w),
			progressbar.OptionSetDescription(b.what),
			progressbar.OptionShowCount(),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionClearOnFinish(),
			progressbar.OptionSetWidth(30),
		)
	}
	_ = b.pb.Set(done)
	if done >= total {
		_ = b.pb.Finish()
	}
}

// generationBar draws a run's generations: each report from train.Run
// moves it to that generation of the run's total (generation 0 and the
// generations before a resume's start count as done).
func generationBar(w io.Writer) func(train.GenerationReport) {
	if w == nil {
		return nil
	}
	b := &bar{w: w, what: "generations"}
	return func(r train.GenerationReport) { b.set(r.Generation, r.Generations) }
}

// cellBar draws a sweep's finished cells.
func cellBar(w io.Writer, what string) sweep.CellObserver {
	if w == nil {
		return nil
	}
	b := &bar{w: w, what: what}
	return b.set
}
