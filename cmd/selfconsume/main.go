// Command selfconsume runs self-consuming training experiments: several
// generative models retrained, generation after generation, on curated and
// raw samples of their own and each other's, checked against theory.
package main

import (
	"errors"
	"fmt"
	"os"
	"runtime/debug"

	"github.com/selfconsume/selfconsume/models"
	"github.com/selfconsume/selfconsume/train"
)

// gcPercent is the collector's target when GOGC is not set: gorgonia's tape
// reallocates every intermediate on each step, and a larger heap target cut
// bench-cat's time per generation by 15% (measured with
// selfconsume bench, GOGC=100 vs 400).
const gcPercent = 400

func main() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	// The one choice of the multiply for the process (the version line
	// names it): gemm's kernels, or OpenBLAS in an openblas build.
	if err := models.UseBackend(models.DefaultBackend()); err != nil {
		fmt.Fprintln(os.Stderr, "selfconsume:", err)
		os.Exit(1)
	}
	if err := newRoot().Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "selfconsume:", err)
		if errors.Is(err, train.ErrInterrupted) {
			os.Exit(130)
		}
		os.Exit(1)
	}
}
