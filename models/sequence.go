package models

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/selfconsume/selfconsume/data"
)

// SequenceConfig sizes an autoregressive generator of token sequences.
type SequenceConfig struct {
	Prompts int // contexts the sequences are conditioned on
	Tokens  int // vocabulary V
	Length  int // sequence length L
	// Window is how many previous tokens the network sees (clamped to
	// L-1, the whole prefix); positions before the start are a padding token.
	Window int
	Hidden []int
	Batch  int     // sequences per training step
	LR     float64 // Adam learning rate
}

// window is the effective window, at most L-1.
func (c SequenceConfig) window() int { return max(0, min(c.Window, c.Length-1)) }

// Inputs is the width of a state's features: one-hot prompt, one-hot
// position, and one block of V+1 (the tokens and the padding) per slot of
// the window, the most recent token first.
func (c SequenceConfig) Inputs() int { return c.Prompts + c.Length + c.window()*(c.Tokens+1) }

// Sequence is an autoregressive generator p(x|c) = prod_t p(x_t | c, t,
// x_{t-W..t-1}): an MLP on the prompt, the position and a window of the W
// previous tokens, with a softmax over the next token. It is trained by
// teacher forcing: a minibatch of B sequences is B*L rows (one per
// position), and the loss is the minibatch's mean sequence negative
// log-likelihood. Its exact law is enumerated along the prefix tree.
type Sequence struct {
	cfg    SequenceConfig
	seqs   data.Seqs
	net    *mlp
	tr     *trainer
	solver *Adam
	loss   *G.Node
	x      []float32 // B*L x inputs, refilled each step
	weight []float32 // B*L x V: 1/B on each row's next token
	tokens []int     // decode buffer
}

// NewSequence builds the generator's training graph once, with parameters
// drawn from rng.
func NewSequence(cfg SequenceConfig, rng *rand.Rand) (*Sequence, error) {
	if cfg.Prompts < 1 || cfg.Tokens < 2 || cfg.Length < 1 || cfg.Batch < 1 || cfg.Window < 0 {
		return nil, fmt.Errorf("sequence generator needs >= 1 prompt, >= 2 tokens, length >= 1, batch >= 1 and window >= 0, got %d, %d, %d, %d, %d",
			cfg.Prompts, cfg.Tokens, cfg.Length, cfg.Batch, cfg.Window)
	}
	buildMu.Lock()
	defer buildMu.Unlock()
	R, F, V := cfg.Batch*cfg.Length, cfg.Inputs(), cfg.Tokens
	g := G.NewGraph()
	s := &Sequence{cfg: cfg, seqs: data.Seqs{V: V, L: cfg.Length}, x: make([]float32, R*F), weight: make([]float32, R*V),
		tokens: make([]int, cfg.Length)}
	x := G.NewMatrix(g, tensor.Float32, G.WithShape(R, F), G.WithName("states"),
		G.WithValue(tensor.New(tensor.WithShape(R, F), tensor.WithBacking(s.x))))
	s.net = newMLP(g, "seq", append(append([]int{F}, cfg.Hidden...), V), nil, rng)
	logits, err := s.net.forward(x)
	if err != nil {
		return nil, err
	}
	w := G.NewMatrix(g, tensor.Float32, G.WithShape(R, V), G.WithName("next"),
		G.WithValue(tensor.New(tensor.WithShape(R, V), tensor.WithBacking(s.weight))))
	if s.loss, err = s.net.countLoss(logits, w); err != nil {
		return nil, err
	}
	if s.tr, err = compileTraining(g, s.loss, s.net.params); err != nil {
		return nil, err
	}
	s.ResetOptimizer()
	return s, nil
}

// Config returns the generator's configuration.
func (s *Sequence) Config() SequenceConfig { return s.cfg }

// Close releases the tape machine.
func (s *Sequence) Close() { s.tr.close() }

// Reinit draws fresh parameters and resets the optimiser.
func (s *Sequence) Reinit(rng *rand.Rand) {
	s.net.init(rng)
	s.ResetOptimizer()
}

// ResetOptimizer starts Adam afresh.
func (s *Sequence) ResetOptimizer() { s.solver = NewAdam(s.cfg.LR) }

// Params returns a copy of the parameters (widened).
func (s *Sequence) Params() []float64 { return s.net.flat64() }

// SetParams overwrites the parameters (narrowed to float32).
func (s *Sequence) SetParams(p []float64) error {
	return s.net.setFlat(narrow(p))
}

// Parameters is the number of scalar parameters.
func (s *Sequence) Parameters() int { return s.net.size() }

// state writes the features of prompt c at position t after the tokens
// prefix (prefix[t-k] is the k-th previous token) into row.
func (s *Sequence) state(row []float32, c, t int, prefix []int) {
	cfg := s.cfg
	row[c], row[cfg.Prompts+t] = 1, 1
	base := cfg.Prompts + cfg.Length
	for k := 1; k <= cfg.window(); k++ {
		y := cfg.Tokens // padding
		if t-k >= 0 {
			y = prefix[t-k]
		}
		row[base+(k-1)*(cfg.Tokens+1)+y] = 1
	}
}

// fillBatch writes the teacher-forcing rows of the sequences set[idx]; rows
// of a partial batch's missing sequences stay zero and weigh nothing.
func (s *Sequence) fillBatch(set data.Set, idx []int32) {
	clear(s.x)
	clear(s.weight)
	F, V, L := s.cfg.Inputs(), s.cfg.Tokens, s.cfg.Length
	inv := 1 / float32(len(idx))
	for b, i := range idx {
		smp := set[i]
		x := s.seqs.Decode(int(smp.Token), s.tokens)
		for t := 0; t < L; t++ {
			r := b*L + t
			s.state(s.x[r*F:(r+1)*F], int(smp.Context), t, x)
			s.weight[r*V+x[t]] = inv
		}
	}
}

// batchStep is one Adam step on the sequences of set at idx.
func (s *Sequence) batchStep(set data.Set) func(idx []int32) (float64, error) {
	return func(idx []int32) (float64, error) {
		if len(idx) > s.cfg.Batch {
			return 0, fmt.Errorf("batch of %d sequences, the graph holds %d", len(idx), s.cfg.Batch)
		}
		s.fillBatch(set, idx)
		return s.tr.step(s.solver)
	}
}

// FitContext runs epochs over set (samples: Context the prompt, Token the
// sequence's index) in shuffled minibatches; batch must not exceed the
// configured Batch. It stops with ctx's error when ctx is cancelled.
func (s *Sequence) FitContext(ctx context.Context, set data.Set, epochs, batch int, rng *rand.Rand) (FitStats, error) {
	return fitEpochs(ctx, len(set), epochs, batch, rng, s.batchStep(set))
}

// FitStepsContext runs steps minibatch steps on sequences drawn with
// replacement from set.
func (s *Sequence) FitStepsContext(ctx context.Context, set data.Set, steps, batch int, rng *rand.Rand) (FitStats, error) {
	return fitSteps(ctx, len(set), steps, batch, rng, s.batchStep(set))
}

// Tree returns the exact law of the current parameters as a prefix tree,
// in float64: the next-token law of every prefix of every prompt.
func (s *Sequence) Tree() *data.PrefixTree {
	cfg := s.cfg
	F, V := cfg.Inputs(), cfg.Tokens
	tree := data.NewPrefixTree(cfg.Prompts, s.seqs)
	prefix := make([]int, cfg.Length)
	row32 := make([]float32, F)
	var x []float64
	for c := 0; c < cfg.Prompts; c++ {
		for t := 0; t < cfg.Length; t++ {
			n := len(tree.Cond[c][t]) / V // V^t prefixes
			pre := data.Seqs{V: V, L: t}
			logits := s.net.forwardBlocks(n, func(lo, hi int) []float64 {
				x = append(x[:0], make([]float64, (hi-lo)*F)...)
				for p := lo; p < hi; p++ {
					clear(row32)
					s.state(row32, c, t, pre.Decode(p, prefix[:t]))
					for k, v := range row32 {
						x[(p-lo)*F+k] = float64(v)
					}
				}
				return x
			})
			softmaxRows(logits, V)
			copy(tree.Cond[c][t], logits)
		}
	}
	return tree
}

// Table returns the exact C x V^L table of sequence probabilities.
func (s *Sequence) Table() *data.Table { return s.Tree().Table() }

// softmaxRows replaces every row of v (length k) by its softmax.
func softmaxRows(v []float64, k int) {
	for r := 0; r+k <= len(v); r += k {
		row := v[r : r+k]
		mx := math.Inf(-1)
		for _, z := range row {
			mx = math.Max(mx, z)
		}
		sum := 0.0
		for i, z := range row {
			row[i] = math.Exp(z - mx)
			sum += row[i]
		}
		for i := range row {
			row[i] /= sum
		}
	}
}
