package family

import (
	"github.com/selfconsume/selfconsume/config"
	"github.com/selfconsume/selfconsume/data"
)

// Spec is what the harness asks of a family without building its models:
// key checks, the theory's support and true rewards, run-folder and
// estimate facts.
type Spec struct {
	// Name is the value of data.kind that picks the family.
	Name string
	// Validate checks the keys only this family reads (its data section,
	// its rewards, its models' own keys), after config.Config.Validate.
	Validate func(cfg config.Config) error
	// Support is the theory's finite support: contexts x cells per context.
	Support func(cfg config.Config) (contexts, cells int)
	// TrueRewards are the populations' true rewards on that support.
	TrueRewards func(cfg config.Config) ([]*data.Table, error)
	// StartFile is the run-folder file holding the generation-0 tables the
	// prediction starts from.
	StartFile string
	// Cost is the family's part of a run's memory and time estimate.
	Cost func(cfg config.Config) Cost
	// NoSpread says why the seed spread is not predicted ("" when it is).
	NoSpread string
}

// Kind is a family as the loop's registry holds it: its Spec and the
// constructor of the family a run trains, over the family's snapshot type S.
type Kind[S any] struct {
	Spec
	// New builds the family's world, models and curators for cfg, which
	// has passed Validate.
	New func(cfg config.Config) (Family[S], error)
}

// TruthOf is the TrueRewards of a family whose world build makes from a
// config.
func TruthOf(build func(config.Config) (*World, error)) func(config.Config) ([]*data.Table, error) {
	return func(cfg config.Config) ([]*data.Table, error) {
		w, err := build(cfg)
		if err != nil {
			return nil, err
		}
		return w.Truth, nil
	}
}
