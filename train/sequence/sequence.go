package sequence

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/selfconsume/selfconsume/config"
	"github.com/selfconsume/selfconsume/data"
	"github.com/selfconsume/selfconsume/models"
	"github.com/selfconsume/selfconsume/runfolder"
	"github.com/selfconsume/selfconsume/train/categorical"
	"github.com/selfconsume/selfconsume/train/family"
)

// Family is the family of autoregressive generators of short token
// sequences p(x|c), x = (x_1..x_L) over V tokens, c a prompt. A sequence is
// a token of the categorical machinery: the support of a prompt is its V^L
// sequences (index: the base-V number of the tokens), so the world's
// tables, the curation on the enumerated table (the same law as the
// K-choice on sampled sequences), the exact metrics, the fit gap and the
// theory are the categorical family's, on C x V^L tables. What differs is
// the generator (models.Sequence, its law enumerated along the prefix
// tree and sampled by ancestral sampling), the real source, the rewards on
// sequence features, the reward models' features, and two diversity
// metrics.
type Family struct {
	*categorical.Family
	cfg   config.Config
	seqs  data.Seqs
	trees map[*categorical.Frozen]*data.PrefixTree // the latest snapshots' laws, for ancestral sampling
}

// New builds the family of cfg: its world (NewWorld), autoregressive
// generators and reward models on sequence features.
func New(cfg config.Config) (*Family, error) {
	w, err := NewWorld(cfg)
	if err != nil {
		return nil, err
	}
	c, err := categorical.NewTableFamily(cfg, w, newSequenceGenerators, newSequenceRewardModels)
	if err != nil {
		return nil, err
	}
	return &Family{Family: c, cfg: cfg, seqs: seqsOf(cfg)}, nil
}

// sequenceGeneratorConfig is model m's generator.
func sequenceGeneratorConfig(cfg config.Config, m config.ModelConfig) models.SequenceConfig {
	return models.SequenceConfig{Prompts: cfg.Data.Contexts, Tokens: cfg.Data.Tokens, Length: cfg.Data.Sequence.Length,
		Window: *m.Window, Hidden: m.Hidden, Batch: m.Batch, LR: m.LR}
}

// newSequenceGenerators builds one autoregressive generator per model,
// each seeded by its index.
func newSequenceGenerators(cfg config.Config) ([]categorical.TableModel, error) {
	gens := make([]categorical.TableModel, len(cfg.Models))
	for i, m := range cfg.Models {
		g, err := models.NewSequence(sequenceGeneratorConfig(cfg, m), data.Stream(cfg.Seed, data.PurposeInit, i, 0))
		if err != nil {
			for _, g := range gens[:i] {
				g.Close()
			}
			return nil, err
		}
		gens[i] = g
	}
	return gens, nil
}

// FreezeAll enumerates every generator's law once: its table (metrics,
// curation, theory) and its prefix tree (ancestral sampling).
func (f *Family) FreezeAll(t int) []*categorical.Frozen {
	gens := f.Generators()
	tabs := make([]*data.Table, len(gens))
	fr := make([]*categorical.Frozen, len(gens))
	f.trees = map[*categorical.Frozen]*data.PrefixTree{}
	for i, g := range gens {
		tree := g.(*models.Sequence).Tree()
		tabs[i] = tree.Table()
		fr[i] = &categorical.Frozen{Table: tabs[i], Draw: data.NewTableSampler(tabs[i])}
		f.trees[fr[i]] = tree
	}
	f.Keep(t, tabs)
	return fr
}

// Draw samples n raw sequences by ancestral sampling.
func (f *Family) Draw(fz *categorical.Frozen, rng *rand.Rand, n int) data.Set {
	tree, ctx := f.trees[fz], f.Contexts()
	out := make(data.Set, n)
	for i := range out {
		c := ctx.Draw(rng)
		out[i] = data.Sample{Context: int32(c), Token: int32(tree.Draw(rng, c)), From: -1}
	}
	return out
}

// Restore is the categorical restore, with the prefix trees of the
// restored generators (whose parameters are the checkpoint's).
func (f *Family) Restore(b []byte) ([]*categorical.Frozen, error) {
	fr, err := f.Family.Restore(b)
	if err != nil {
		return nil, err
	}
	f.trees = map[*categorical.Frozen]*data.PrefixTree{}
	for i, g := range f.Generators() {
		f.trees[fr[i]] = g.(*models.Sequence).Tree()
	}
	return fr, nil
}

// Measure adds the categorical metrics (entropy is per sequence, in nats)
// and, under metrics full, distinct_1 and distinct_2.
func (f *Family) Measure(t, i int, fz, prev *categorical.Frozen, set data.Set, add func(string, float64)) {
	f.Family.Measure(t, i, fz, prev, set, add)
	if f.cfg.MinimalMetrics() {
		return
	}
	for n := 1; n <= min(2, f.seqs.L); n++ {
		add("distinct_"+strconv.Itoa(n), distinctN(fz.Table, f.World().Context, f.seqs, n, f.cfg.Data.Sequence.Distinct))
	}
}

// distinctN is the exact expectation of distinct-n on a sample of m
// sequences of a prompt (the number of distinct n-grams among the sample's
// m (L-n+1) n-grams, over that number), averaged over the prompts: an n-gram
// g occurs in a drawn sequence with probability pi_g, so in the sample with
// probability 1 - (1 - pi_g)^m.
func distinctN(p *data.Table, ctx []float64, s data.Seqs, n, m int) float64 {
	grams := data.Seqs{V: s.V, L: n}
	pi := make([]float64, grams.Size())
	x := make([]int, s.L)
	seen := make([]bool, grams.Size())
	out := 0.0
	for c := 0; c < p.C; c++ {
		clear(pi)
		for y, py := range p.Row(c) {
			s.Decode(y, x)
			clear(seen)
			for t := 0; t+n <= s.L; t++ {
				if g := grams.Encode(x[t : t+n]); !seen[g] {
					seen[g] = true
					pi[g] += py
				}
			}
		}
		e := 0.0
		for _, q := range pi {
			e += 1 - math.Pow(1-min(q, 1), float64(m))
		}
		out += ctx[c] * e / float64(m*(s.L-n+1))
	}
	return out
}

// StepFLOPs counts one teacher-forcing step.
func (f *Family) StepFLOPs(i, batch int) float64 {
	return sequenceStepFLOPs(f.cfg, f.cfg.Models[i], batch)
}

// sequenceStepFLOPs counts one teacher-forcing step of model m: the MLP
// forward on batch*L rows, 2 FLOPs per multiply-add, backward twice that.
func sequenceStepFLOPs(cfg config.Config, m config.ModelConfig, batch int) float64 {
	gc := sequenceGeneratorConfig(cfg, m)
	rows := float64(batch * gc.Length)
	sizes := append(append([]int{gc.Inputs()}, m.Hidden...), gc.Tokens)
	fl := 0.0
	for k := 0; k+1 < len(sizes); k++ {
		fl += 2 * rows * float64(sizes[k]) * float64(sizes[k+1])
	}
	return 3 * fl
}

// Empirical is the training set's law on the C x V^L support.
func (f *Family) Empirical(set data.Set) (*data.Table, []float64, bool) {
	e, ctx := family.EmpiricalLaw(set, f.cfg.Data.Contexts, f.seqs.Size())
	return e, ctx, true
}

// Summaries are the categorical files and sequences.csv, the tokens of
// every sequence index.
func (f *Family) Summaries() map[string][]byte {
	out := f.Family.Summaries()
	x := make([]int, f.seqs.L)
	out[runfolder.SequencesFile] = runfolder.Fill(runfolder.SequencesColumns, func(row func(...string)) {
		for y := 0; y < f.seqs.Size(); y++ {
			parts := make([]string, f.seqs.L)
			for t, v := range f.seqs.Decode(y, x) {
				parts[t] = strconv.Itoa(v)
			}
			row(strconv.Itoa(y), strings.Join(parts, " "))
		}
	})
	return out
}

// Cost: tables over prompts x V^L sequences; generators on
// batch*L teacher-forcing rows.
func Cost(cfg config.Config) family.Cost {
	C, S := float64(cfg.Data.Contexts), float64(seqsOf(cfg).Size())
	L := float64(cfg.Data.Sequence.Length)
	G, M := float64(cfg.Generations), float64(len(cfg.Models))
	inputs := L * float64(cfg.Data.Tokens)
	if cfg.Data.Sequence.Features == "bag" {
		inputs = float64(cfg.Data.Tokens)
	}
	return family.Cost{Contexts: C, Cells: S, RewardInputs: C + inputs,
		Model: func(m config.ModelConfig) (float64, float64, float64, float64) {
			gc := sequenceGeneratorConfig(cfg, m)
			rows := float64(m.Batch) * L
			params, acts := family.DenseSizes(float64(gc.Inputs()), m.Hidden, float64(gc.Tokens), rows)
			acts += rows * float64(gc.Inputs())
			fl := sequenceStepFLOPs(cfg, m, m.Batch)
			return params, acts, fl, 100e-9 * L
		},
		Files: func(add func(string, float64)) (float64, string, float64) {
			add("held-out samples", float64(cfg.Data.Heldout)*family.SampleBytes)
			return 0, runfolder.TablesFile, (G + 1) * M * C * S * 34
		},
	}
}
