package train

import (
	"context"
	"github.com/selfconsume/selfconsume/config"
	"slices"
	"strings"

	"github.com/selfconsume/selfconsume/data"
	"github.com/selfconsume/selfconsume/runfolder"
)

// kind is one value of data.kind: a family of generative models, the loop
// run on it, and what the rest of the harness (estimates, world files,
// theory checks) asks of the family without building its models.
type kind struct {
	// validate checks the keys only this family reads (its data section,
	// its rewards, its models' own keys), after config.Config.Validate.
	validate func(cfg config.Config) error
	// run is the generation loop on this family.
	run func(ctx context.Context, cfg config.Config, opt Options) (*Result, error)
	// support is the theory's finite support: contexts x cells per context.
	support func(cfg config.Config) (contexts, cells int)
	// trueRewards are the populations' true rewards on that support.
	trueRewards func(cfg config.Config) ([]*data.Table, error)
	// startFile is the run-folder file holding the generation-0 tables the
	// prediction starts from.
	startFile string
	// cost is the family's part of a run's memory and time estimate.
	cost func(cfg config.Config) cost
	// noSpread says why the seed spread is not predicted ("" when it is).
	noSpread string
}

// kinds are the families a config can name, by data.kind. Adding a family
// is a new entry here and its files.
var kinds = map[string]kind{
	"categorical": {
		validate: validateCategorical,
		run:      runWith(func(cfg config.Config) (family[*catFrozen], error) { return newCategorical(cfg) }),
		support: func(cfg config.Config) (int, int) {
			return cfg.Data.Contexts, cfg.Data.Tokens
		},
		trueRewards: truthOf(NewWorld),
		startFile:   runfolder.TablesFile,
		cost:        categoricalCost,
	},
	"sequence": {
		validate: validateSequence,
		run:      runWith(func(cfg config.Config) (family[*catFrozen], error) { return newSequence(cfg) }),
		support: func(cfg config.Config) (int, int) {
			return cfg.Data.Contexts, seqsOf(cfg).Size()
		},
		trueRewards: truthOf(newSequenceWorld),
		startFile:   runfolder.TablesFile,
		cost:        sequenceCost,
		// an autoregressive fit with a short window is no count fit
		noSpread: "sequence data",
	},
	"planar": {
		validate: validatePlanar,
		run:      runWith(func(cfg config.Config) (family[*planarFrozen], error) { return newPlanar(cfg) }),
		support: func(cfg config.Config) (int, int) {
			return 1, cfg.Data.Plane.Resolution * cfg.Data.Plane.Resolution
		},
		trueRewards: planarRewardTables,
		startFile:   runfolder.WorldStartFile,
		cost:        planarCost,
		// a grid is far too fine for the covariance, and a flow is no count fit
		noSpread: "planar data",
	},
}

// Kinds lists the values data.kind accepts.
func Kinds() []string {
	out := make([]string, 0, len(kinds))
	for k := range kinds {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// kindOf is cfg's family.
func kindOf(cfg config.Config) (kind, error) {
	k, ok := kinds[cfg.Data.Kind]
	if !ok {
		return kind{}, config.Invalid("data.kind", cfg.Data.Kind, "allowed: %s", strings.Join(Kinds(), ", "))
	}
	return k, nil
}

// truthOf is the true rewards of the world that build makes from a config.
func truthOf(build func(config.Config) (*World, error)) func(config.Config) ([]*data.Table, error) {
	return func(cfg config.Config) ([]*data.Table, error) {
		w, err := build(cfg)
		if err != nil {
			return nil, err
		}
		return w.Truth, nil
	}
}

// runWith is the loop on the family newFamily builds.
func runWith[S any](newFamily func(config.Config) (family[S], error)) func(context.Context, config.Config, Options) (*Result, error) {
	return func(ctx context.Context, cfg config.Config, opt Options) (*Result, error) {
		return runLoop(ctx, cfg, opt, newFamily)
	}
}
