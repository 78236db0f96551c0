package flow

import (
	"math/rand/v2"

	G "gorgonia.org/gorgonia"

	"github.com/selfconsume/selfconsume/models"
)

// Flow is an affine-coupling normalizing flow on R^2. It is not safe for
// concurrent use; separate Flows may be used from separate goroutines.
type Flow struct {
	cfg    Config
	train  *graph
	params G.Nodes // train.params
	solver *models.Adam
	steps  int // Adam steps taken

	version     uint64 // bumped whenever the parameters change
	ev64        *evalNet[float64]
	ev64Version uint64
	ev32        *evalNet[float32]
	ev32Version uint64
	pw          *pwlNet
	pwVersion   uint64
}

// New builds a flow with seeded initial parameters drawn from rng (see
// initParams for the scheme) and its training graph of cfg.Batch points.
func New(cfg Config, rng *rand.Rand) (*Flow, error) { return newFlowWith(cfg, dense, rng) }

// newFlowWith is New with the conditioners' layers built by layer.
func newFlowWith(cfg Config, layer layerFunc, rng *rand.Rand) (*Flow, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	gr, err := build(cfg, cfg.Batch, initParams(cfg, rng), true, layer)
	if err != nil {
		return nil, err
	}
	return &Flow{cfg: cfg, train: gr, params: gr.params, solver: newSolver(cfg), version: 1}, nil
}

// newSolver returns a fresh Adam. There is no WithBatchSize: the loss is
// already a batch mean.
func newSolver(cfg Config) *models.Adam {
	return models.NewAdam(cfg.LR)
}

// Config returns the flow's configuration.
func (f *Flow) Config() Config { return f.cfg }

// StepsTaken returns how many Adam steps the flow has taken.
func (f *Flow) StepsTaken() int { return f.steps }

// NumParams returns the number of scalar parameters, len(Params()).
func (f *Flow) NumParams() int { return numParams(f.cfg.Depth, f.cfg.Hidden) }

// Close releases the training VM. The flow must not be used afterwards.
func (f *Flow) Close() {
	if f.train != nil && f.train.vm != nil {
		f.train.vm.Close()
		f.train = nil
	}
}
