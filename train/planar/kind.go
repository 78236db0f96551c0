package planar

import (
	"github.com/selfconsume/selfconsume/config"
	"github.com/selfconsume/selfconsume/runfolder"
	"github.com/selfconsume/selfconsume/train/family"
)

// Kind registers the family as data.kind planar.
var Kind = family.Kind[*planarFrozen]{
	Spec: family.Spec{
		Name:     "planar",
		Validate: validatePlanar,
		Support: func(cfg config.Config) (int, int) {
			return 1, cfg.Data.Plane.Resolution * cfg.Data.Plane.Resolution
		},
		TrueRewards: planarRewardTables,
		StartFile:   runfolder.WorldStartFile,
		Cost:        planarCost,
		// a grid is far too fine for the covariance, and a flow is no count fit
		NoSpread: "planar data",
	},
	New: func(cfg config.Config) (family.Family[*planarFrozen], error) { return newPlanar(cfg) },
}
