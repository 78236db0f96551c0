package categorical

import (
	"github.com/selfconsume/selfconsume/config"
	"github.com/selfconsume/selfconsume/runfolder"
	"github.com/selfconsume/selfconsume/train/family"
)

// Kind registers the family as data.kind categorical.
var Kind = family.Kind[*Frozen]{
	Spec: family.Spec{
		Name:     "categorical",
		Validate: Validate,
		Support: func(cfg config.Config) (int, int) {
			return cfg.Data.Contexts, cfg.Data.Tokens
		},
		TrueRewards: family.TruthOf(NewWorld),
		StartFile:   runfolder.TablesFile,
		Cost:        Cost,
	},
	New: func(cfg config.Config) (family.Family[*Frozen], error) { return New(cfg) },
}
