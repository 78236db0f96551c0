package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/selfconsume/selfconsume/config"
	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// common are the flags every experiment command takes.
type common struct {
	sets  []string
	quiet bool
}

func (c *common) register(cmd *cobra.Command) {
	cmd.Flags().StringArrayVar(&c.sets, "set", nil, "override a config key: --set key.path=value (repeatable; list items by index or name, e.g. models.solo.lr=0.01)")
	cmd.Flags().BoolVarP(&c.quiet, "quiet", "q", false, "no progress bars")
}

// load resolves the config file with environment and --set overrides.
func (c *common) load(path string) (config.Config, error) {
	r, err := c.resolve(path)
	return r.Config, err
}

// progress returns where progress bars go: stderr when it is a terminal and
// --quiet is off.
func (c *common) progress() io.Writer {
	if c.quiet || !term.IsTerminal(int(os.Stderr.Fd())) {
		return nil
	}
	return os.Stderr
}

// interruptible returns a context cancelled by Ctrl-C or SIGTERM. The first
// signal asks the command to stop at its next check (within a second or so,
// keeping the last checkpoint); the signal handling is then given back, so a
// second Ctrl-C ends the process at once.
func interruptible() (context.Context, context.CancelFunc) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop()
	}()
	return ctx, stop
}

func newRoot() *cobra.Command {
	root := &cobra.Command{
		Use:   "selfconsume",
		Short: "Self-consuming training of interacting generative models, with curation, checked against theory",
		Long: `selfconsume trains several small generative models, generation after generation, on a mix of
real data and raw or curated samples of their own and each other's, and compares the run with
the analytic prediction of the same loop.

Config keys can be overridden with --set key=value or with SELFCONSUME_KEY_PATH=value
environment variables (dots and dashes become underscores, list items by index or name, e.g.
SELFCONSUME_CURATION_K=8, SELFCONSUME_MODELS_SOLO_LR=0.01); a SELFCONSUME_ variable that matches
no key is an error. selfconsume validate CONFIG shows the resolved config, each value's source
and the run's memory and time estimate.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       version(),
	}
	root.SetVersionTemplate("selfconsume {{.Version}}\n")
	root.AddCommand(newRunCmd(), newBenchCmd(), newReportCmd(), newPredictCmd(), newCompareCmd(), newSweepCmd(), newValidateCmd(), newMapCmd())
	return root
}

// The bounds of the commands' numeric flags (config keys have theirs in
// config.Bounds).
const (
	maxSeeds   = 10_000
	maxWorkers = 1024
)

// maxGenerations is the bound on the generations key, which bench's -n sets.
func maxGenerations() int {
	for _, b := range config.Bounds {
		if b.Key == "generations" {
			return int(b.Max)
		}
	}
	return math.MaxInt
}

// flagRange refuses a flag value outside [lo, hi], naming the flag.
func flagRange(flag string, v, lo, hi int) error {
	if v < lo || v > hi {
		return fmt.Errorf("%s = %d: must be in [%d, %d]", flag, v, lo, hi)
	}
	return nil
}

// defaultOut is the folder a command writes to without --out:
// runs/NAME-YYYYMMDD-HHMMSS.
func defaultOut(name string) string {
	return filepath.Join("runs", name+"-"+time.Now().Format("20060102-150405"))
}
