package family

import (
	"fmt"

	"github.com/selfconsume/selfconsume/config"
	"github.com/selfconsume/selfconsume/curate"
	"github.com/selfconsume/selfconsume/data"
	"github.com/selfconsume/selfconsume/train/theory"
)

// World is what an experiment is run against: the real distribution, the
// populations' true rewards, and the rewards their curators use. It is
// determined by the config and its seed alone.
type World struct {
	Context  []float64
	Real     *data.Table
	Truth    []*data.Table // per population: the true "human" reward
	Curator  []*data.Table // per population: the reward that curates (learned model's table, or the truth)
	Heldout  data.Set      // real samples for heldout_nll
	PopIndex []int         // per model: its curating population
	Counts   [][]int       // per model: sample counts [real, raw_0..raw_{M-1}, curated_0..curated_{M-1}]
	Weights  [][]float64   // per model: the same shares as fractions
}

// Complete resolves the populations' true rewards (own(i) builds the
// reward of a population that negates no other), draws the held-out real
// set and fills the mixture counts: the part of a world every family on
// the finite support shares.
func (w *World) Complete(cfg config.Config, own func(i int) (*data.Table, error)) error {
	names, of := Negations(cfg)
	truth, err := curate.Resolve(names, of, own, curate.Negate)
	if err != nil {
		return err
	}
	w.Truth = truth
	w.Heldout = data.SampleJoint(data.Stream(cfg.EffectiveWorldSeed(), data.PurposeEval), cfg.Data.Heldout,
		data.NewSampler(w.Context), data.NewTableSampler(w.Real))
	return w.SetMix(cfg)
}

// Negations lists the populations' names and, for each, the name of the
// population whose reward it negates (reward negate) or "" (its own reward),
// for curate.Resolve.
func Negations(cfg config.Config) (names, of []string) {
	for _, p := range cfg.Populations {
		names = append(names, p.Name)
		o := ""
		if p.Reward == "negate" {
			o = p.Of
		}
		of = append(of, o)
	}
	return names, of
}

// SetMix fills the models' curating populations and their training
// mixtures, in exact counts (knob shift included).
func (w *World) SetMix(cfg config.Config) error {
	popIdx := map[string]int{}
	for i, p := range cfg.Populations {
		popIdx[p.Name] = i
	}
	modelIdx := map[string]int{}
	for i, m := range cfg.Models {
		modelIdx[m.Name] = i
	}
	M := len(cfg.Models)
	for _, m := range cfg.Models {
		w.PopIndex = append(w.PopIndex, popIdx[m.Population])
		wt := make([]float64, 1+2*M)
		wt[0] = m.Mix.Real
		for src, v := range m.Mix.Raw {
			wt[1+modelIdx[src]] = v
		}
		for src, v := range m.Mix.Curated {
			wt[1+M+modelIdx[src]] = v
		}
		if m.Name == cfg.Theory.Knob.Model {
			if err := config.ShiftCurated(wt, M, cfg.Theory.Knob.Shift); err != nil {
				return fmt.Errorf("theory.knob.shift = %g on model %s: %w", cfg.Theory.Knob.Shift, m.Name, err)
			}
		}
		counts, err := data.Apportion(m.N, wt)
		if err != nil {
			return fmt.Errorf("model %s mix: %w", m.Name, err)
		}
		w.Weights = append(w.Weights, wt)
		w.Counts = append(w.Counts, counts)
	}
	return nil
}

// System is the population-level map of the experiment: the same mixture
// weights (knob shift included), populations and curation law as the run,
// with the learned curators' tables or the true rewards as curators, and
// the quick form of the curation law (curate.Law.Fast).
func (w *World) System(cfg config.Config, curator string) *theory.System {
	M := len(cfg.Models)
	s := &theory.System{Context: w.Context, Real: w.Real, TrueReward: w.Truth,
		Law: curate.Law{K: cfg.Curation.K, Tau: cfg.Curation.Tau, Fast: true}, CurateReward: w.Curator, Negligible: cfg.Theory.Negligible,
		Solver: cfg.Theory.Solver}
	if curator == config.CuratorTrue || w.Curator == nil {
		s.CurateReward = w.Truth
	}
	for _, p := range cfg.Populations {
		s.PopNames = append(s.PopNames, p.Name)
	}
	for i, m := range cfg.Models {
		wt := w.Weights[i]
		s.Models = append(s.Models, theory.Model{Name: m.Name, Pop: w.PopIndex[i], Real: wt[0],
			Raw: append([]float64(nil), wt[1:1+M]...), Curated: append([]float64(nil), wt[1+M:]...)})
	}
	return s
}

// RewardModelStats describes how well a learned reward model matches its
// population's true reward.
type RewardModelStats struct {
	Population    string
	FinalLoss     float64 // Bradley-Terry loss, mean of the last tenth of the steps
	PairAgreement float64 // share of within-context token pairs ordered like the truth
	Spearman      float64 // rank correlation with the truth over all cells
}
