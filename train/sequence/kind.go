package sequence

import (
	"github.com/selfconsume/selfconsume/config"
	"github.com/selfconsume/selfconsume/runfolder"
	"github.com/selfconsume/selfconsume/train/categorical"
	"github.com/selfconsume/selfconsume/train/family"
)

// Kind registers the family as data.kind sequence.
var Kind = family.Kind[*categorical.Frozen]{
	Spec: family.Spec{
		Name:     "sequence",
		Validate: Validate,
		Support: func(cfg config.Config) (int, int) {
			return cfg.Data.Contexts, seqsOf(cfg).Size()
		},
		TrueRewards: family.TruthOf(NewWorld),
		StartFile:   runfolder.TablesFile,
		Cost:        Cost,
		// an autoregressive fit with a short window is no count fit
		NoSpread: "sequence data",
	},
	New: func(cfg config.Config) (family.Family[*categorical.Frozen], error) { return New(cfg) },
}
