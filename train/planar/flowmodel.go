package planar

import (
	"context"
	"errors"
	"math/rand/v2"

	"github.com/selfconsume/selfconsume/config"
	"github.com/selfconsume/selfconsume/data"
	"github.com/selfconsume/selfconsume/models"
	"github.com/selfconsume/selfconsume/models/flow"
)

// flowModel is a normalizing flow as the loop's trainable model.
type flowModel struct {
	f   *flow.Flow
	cfg flow.Config
}

func newFlowModel(m config.ModelConfig, rng *rand.Rand) (*flowModel, error) {
	cfg := flow.Config{Depth: m.Depth, Hidden: m.Hidden[0], Batch: m.Batch, LR: m.LR, MaxLogScale: m.MaxLogScale, Float32: true}
	f, err := flow.New(cfg, rng)
	if err != nil {
		return nil, err
	}
	return &flowModel{f: f, cfg: cfg}, nil
}

// fitted turns the flow's result into the loop's, locating a failed step.
func (m *flowModel) fitted(before int, loss float64, err error) (models.FitStats, error) {
	st := models.FitStats{Steps: m.f.StepsTaken() - before, MeanLoss: loss}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return st, err // stopped, not failed
	}
	if err != nil {
		return st, &models.StepError{Step: st.Steps + 1, Err: err}
	}
	return st, nil
}

func (m *flowModel) FitContext(ctx context.Context, set data.Set, epochs, _ int, rng *rand.Rand) (models.FitStats, error) {
	before := m.f.StepsTaken()
	loss, err := m.f.FitContext(ctx, set.Points(), epochs, rng)
	return m.fitted(before, loss, err)
}

func (m *flowModel) FitStepsContext(ctx context.Context, set data.Set, steps, _ int, rng *rand.Rand) (models.FitStats, error) {
	before := m.f.StepsTaken()
	loss, err := m.f.StepsContext(ctx, set.Points(), steps, rng)
	return m.fitted(before, loss, err)
}

// Reinit draws fresh parameters (those a new flow from rng would have).
func (m *flowModel) Reinit(rng *rand.Rand) {
	fresh, err := flow.New(m.cfg, rng)
	if err != nil {
		panic(err) // the config was valid when m was built
	}
	defer fresh.Close()
	if err := m.f.SetParams(fresh.Params()); err != nil {
		panic(err)
	}
}

// ResetOptimizer starts Adam afresh.
func (m *flowModel) ResetOptimizer() { m.f.ResetOptimizer() }

func (m *flowModel) Params() []float64           { return m.f.Params() }
func (m *flowModel) SetParams(p []float64) error { return m.f.SetParams(p) }
func (m *flowModel) Close()                      { m.f.Close() }

// logProb returns log p at every point of xs (pairs).
func (m *flowModel) logProb(xs []float64) []float64 {
	out := make([]float64, len(xs)/2)
	m.f.LogProb(xs, out)
	return out
}
