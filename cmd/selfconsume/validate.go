package main

import (
	"fmt"
	"io"
	"os"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/selfconsume/selfconsume/config"
	"github.com/selfconsume/selfconsume/train"
)

func newValidateCmd() *cobra.Command {
	var c common
	cmd := &cobra.Command{
		Use:   "validate CONFIG",
		Short: "Check a config without running it: the resolved keys with their sources, and the run's memory and time estimate",
		Long: `validate resolves CONFIG with the environment and --set overrides exactly as run does, and
prints every key's value with where it came from (default, file, env SELFCONSUME_..., --set), then
the estimate of the run's memory (held against the machine's) and time. It exits 0 when the
config is valid and 1 with the error when it is not. run --dry-run does the same.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return c.validate(cmd.OutOrStdout(), args[0])
		},
	}
	c.register(cmd)
	return cmd
}

// resolve loads the config file with its sources, and checks that the run
// fits the machine (train.Validate).
func (c *common) resolve(path string) (config.Resolved, error) {
	r, err := config.Resolve(path, c.sets, os.Environ())
	if err != nil {
		return r, err
	}
	if err := train.Validate(r.Config); err != nil {
		return config.Resolved{}, fmt.Errorf("config %s: %w", path, err)
	}
	return r, nil
}

// validate prints the resolved config, each value's source and the
// estimate, or returns the config's error.
func (c *common) validate(w io.Writer, path string) error {
	r, err := c.resolve(path)
	if err != nil {
		return err
	}
	leaves, err := r.Leaves()
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%s: valid\n", path)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "key\tvalue\tsource\n")
	for _, l := range leaves {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", l[0], l[1], l[2])
	}
	tw.Flush()
	fmt.Fprintf(w, "estimate: %s\n", train.EstimateRun(r.Config))
	return nil
}
