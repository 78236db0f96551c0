package categorical

import (
	"github.com/selfconsume/selfconsume/config"
	"github.com/selfconsume/selfconsume/runfolder"
	"github.com/selfconsume/selfconsume/train/family"
)

// Cost: tables over contexts x tokens, one-hot inputs.
func Cost(cfg config.Config) family.Cost {
	C, V := float64(cfg.Data.Contexts), float64(cfg.Data.Tokens)
	G, M := float64(cfg.Generations), float64(len(cfg.Models))
	return family.Cost{Contexts: C, Cells: V, RewardInputs: C + V, // one-hot context and token
		Model: func(m config.ModelConfig) (float64, float64, float64, float64) {
			params, acts := family.DenseSizes(C, m.Hidden, V, C)
			acts += C * C // the one-hot context input
			return params, acts, GeneratorStepFLOPs(int(C), int(V), m.Hidden), 100e-9
		},
		Files: func(add func(string, float64)) (float64, string, float64) {
			add("held-out samples", float64(cfg.Data.Heldout)*family.SampleBytes)
			return 0, runfolder.TablesFile, (G + 1) * M * C * V * 34
		},
	}
}

// GeneratorStepFLOPs counts the multiply-add FLOPs of one training step of a
// generator run on its C context rows: forward 2*C*in*out per layer, backward
// twice that.
func GeneratorStepFLOPs(c, v int, hidden []int) float64 {
	sizes := append(append([]int{c}, hidden...), v)
	f := 0.0
	for k := 0; k+1 < len(sizes); k++ {
		f += 2 * float64(c) * float64(sizes[k]) * float64(sizes[k+1])
	}
	return 3 * f
}
