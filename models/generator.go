package models

import (
	"context"
	"fmt"
	"math/rand/v2"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/selfconsume/selfconsume/data"
)

// GeneratorConfig sizes a conditional categorical generator
// one-hot(context) -> hidden... -> softmax over tokens.
type GeneratorConfig struct {
	Contexts, Tokens int
	Hidden           []int
	LR               float64 // Adam learning rate
}

// Generator is a conditional categorical generator p(y|c). The network runs
// on the C one-hot context rows only: a minibatch enters as its table of
// (context, token) counts, and the loss -(1/B) sum count[c,y] log p(y|c) is
// exactly the minibatch's mean negative log-likelihood, with 16 rows instead of 256.
type Generator struct {
	cfg    GeneratorConfig
	net    *mlp
	tr     *trainer
	solver *Adam
	loss   *G.Node
	weight *tensor.Dense // C x V, count/B, refilled each step
	counts []float32     // backing of weight
}

// NewGenerator builds the generator's training graph once, with parameters
// drawn from rng.
func NewGenerator(cfg GeneratorConfig, rng *rand.Rand) (*Generator, error) {
	return newGenerator(cfg, nil, rng)
}

// newGenerator is NewGenerator with the hidden layers' activation (nil:
// fused layers and loss).
func newGenerator(cfg GeneratorConfig, act activation, rng *rand.Rand) (*Generator, error) {
	if cfg.Contexts < 1 || cfg.Tokens < 2 {
		return nil, fmt.Errorf("generator needs >= 1 context and >= 2 tokens, got %d and %d", cfg.Contexts, cfg.Tokens)
	}
	buildMu.Lock()
	defer buildMu.Unlock()
	C, V := cfg.Contexts, cfg.Tokens
	g := G.NewGraph()
	eye := make([]float32, C*C)
	for c := 0; c < C; c++ {
		eye[c*C+c] = 1
	}
	x := G.NewMatrix(g, tensor.Float32, G.WithShape(C, C), G.WithName("contexts"),
		G.WithValue(tensor.New(tensor.WithShape(C, C), tensor.WithBacking(eye))))
	sizes := append(append([]int{C}, cfg.Hidden...), V)
	net := newMLP(g, "gen", sizes, act, rng)
	logits, err := net.forward(x)
	if err != nil {
		return nil, err
	}
	gen := &Generator{cfg: cfg, net: net, counts: make([]float32, C*V)}
	gen.weight = tensor.New(tensor.WithShape(C, V), tensor.WithBacking(gen.counts))
	w := G.NewMatrix(g, tensor.Float32, G.WithShape(C, V), G.WithName("weights"), G.WithValue(gen.weight))
	if gen.loss, err = net.countLoss(logits, w); err != nil {
		return nil, err
	}
	if gen.tr, err = compileTraining(g, gen.loss, net.params); err != nil {
		return nil, err
	}
	gen.ResetOptimizer()
	return gen, nil
}

// Config returns the generator's configuration.
func (g *Generator) Config() GeneratorConfig { return g.cfg }

// Close releases the tape machine.
func (g *Generator) Close() { g.tr.close() }

// Reinit draws fresh parameters and resets the optimiser.
func (g *Generator) Reinit(rng *rand.Rand) {
	g.net.init(rng)
	g.ResetOptimizer()
}

// ResetOptimizer starts Adam afresh (zero moments, step count zero).
func (g *Generator) ResetOptimizer() {
	g.solver = NewAdam(g.cfg.LR)
}

// Params returns a copy of the parameters (float32 values, widened).
func (g *Generator) Params() []float64 { return g.net.flat64() }

// SetParams overwrites the parameters (narrowed to float32).
func (g *Generator) SetParams(p []float64) error {
	return g.net.setFlat(narrow(p))
}

// step runs one Adam step on the count table already in g.counts (scaled so
// that it sums to one) and returns the minibatch loss.
func (g *Generator) step() (float64, error) {
	return g.tr.step(g.solver)
}

// FitStats summarises one call of Fit or FitSteps.
type FitStats struct {
	Steps    int
	MeanLoss float64 // mean minibatch loss over the last epoch (or all steps)
}

// StepError is a non-finite or failed training step.
type StepError struct {
	Step int
	Err  error
}

func (e *StepError) Error() string { return fmt.Sprintf("step %d: %v", e.Step, e.Err) }

// fillBatch writes the count table of set[idx] scaled by 1/len(idx).
func (g *Generator) fillBatch(set data.Set, idx []int32) {
	clear(g.counts)
	inv := 1 / float32(len(idx))
	V := g.cfg.Tokens
	for _, i := range idx {
		s := set[i]
		g.counts[int(s.Context)*V+int(s.Token)] += inv
	}
}

// Fit runs epochs over set in shuffled minibatches of size batch (the last
// partial batch is kept; its loss is its own mean).
func (g *Generator) Fit(set data.Set, epochs, batch int, rng *rand.Rand) (FitStats, error) {
	return g.FitContext(context.Background(), set, epochs, batch, rng)
}

// FitContext is Fit that stops with ctx's error (every CheckEvery steps it
// looks) when ctx is cancelled; the parameters are then those of the last
// step taken.
func (g *Generator) FitContext(ctx context.Context, set data.Set, epochs, batch int, rng *rand.Rand) (FitStats, error) {
	return fitEpochs(ctx, len(set), epochs, batch, rng, g.batchStep(set))
}

// FitSteps runs a fixed number of minibatch steps, each on batch samples
// drawn with replacement from set.
func (g *Generator) FitSteps(set data.Set, steps, batch int, rng *rand.Rand) (FitStats, error) {
	return g.FitStepsContext(context.Background(), set, steps, batch, rng)
}

// FitStepsContext is FitSteps that stops with ctx's error when ctx is
// cancelled, as FitContext.
func (g *Generator) FitStepsContext(ctx context.Context, set data.Set, steps, batch int, rng *rand.Rand) (FitStats, error) {
	return fitSteps(ctx, len(set), steps, batch, rng, g.batchStep(set))
}

// batchStep is one Adam step on the samples of set at idx.
func (g *Generator) batchStep(set data.Set) func(idx []int32) (float64, error) {
	return func(idx []int32) (float64, error) {
		g.fillBatch(set, idx)
		return g.step()
	}
}

// Table returns the exact model table p(y|c), computed in float64 from the
// current parameters.
func (g *Generator) Table() *data.Table {
	C, V := g.cfg.Contexts, g.cfg.Tokens
	eye := make([]float64, C*C)
	for c := 0; c < C; c++ {
		eye[c*C+c] = 1
	}
	logits := g.net.forwardRows(eye, C)
	softmaxRows(logits, V)
	return &data.Table{C: C, V: V, P: logits}
}
