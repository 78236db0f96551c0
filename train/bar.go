package train

import (
	"io"

	"github.com/schollz/progressbar/v3"
)

// bar is a generation counter on a terminal; with no writer it does nothing.
type bar struct{ pb *progressbar.ProgressBar }

func newBar(w io.Writer, total, done int) bar {
	if w == nil || total <= 0 {
		return bar{}
	}
	pb := progressbar.NewOptions(total,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription("generations"),
		progressbar.OptionShowCount(),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionSetWidth(30),
	)
	if done > 0 {
		_ = pb.Set(done)
	}
	return bar{pb}
}

func (b bar) Add(n int) {
	if b.pb != nil {
		_ = b.pb.Add(n)
	}
}

func (b bar) Finish() {
	if b.pb != nil {
		_ = b.pb.Finish()
	}
}
