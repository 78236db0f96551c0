package planar

import (
	"github.com/selfconsume/selfconsume/config"
	"github.com/selfconsume/selfconsume/runfolder"
	"github.com/selfconsume/selfconsume/train/family"
	"github.com/selfconsume/selfconsume/train/stats"
)

// planarCost: flows on points, the theory on a resolution x resolution grid.
func planarCost(cfg config.Config) family.Cost {
	pc := cfg.Data.Plane
	r := float64(pc.Resolution)
	G, M := float64(cfg.Generations), float64(len(cfg.Models))
	return family.Cost{Contexts: 1, Cells: r * r, RewardInputs: 2,
		Model: func(m config.ModelConfig) (float64, float64, float64, float64) {
			h := float64(m.Hidden[0])
			d := float64(m.Depth)
			params := d * 2 * (2*h + h*h + 2*h + 2*h + 2)
			acts := d * float64(m.Batch) * (4*h + 4)
			flops := 3 * d * 2 * float64(m.Batch) * (h + h*h + 2*h)
			// sampling K candidates through the flow and scoring them
			return params, acts, flops, d * 2 * (h + h*h + 2*h) * 2 / family.EstimateFLOPS
		},
		Files: func(add func(string, float64)) (float64, string, float64) {
			add("evaluation, held-out and plotted points", (M*float64(pc.Eval)+float64(cfg.Data.Heldout)+M*float64(pc.Plotted))*16)
			pr := float64(pc.PlotResolution)
			add("density grid", M*pr*pr*8*2)
			secs := (G + 1) * M * (r*r + pr*pr + float64(pc.Eval)) * 2e-6 // density and Monte Carlo evaluation
			return secs, runfolder.DensityFile, (G + 1) * M * (pr*pr*40 + float64(pc.Plotted)*30)
		},
	}
}

// mean is the mean of v.
func mean(v []float64) float64 {
	m, _, _ := stats.MeanCI(v)
	return m
}
