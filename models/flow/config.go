package flow

import (
	"fmt"
	"math"
)

// Config sets the size and training of a flow.
type Config struct {
	// Depth is the number of affine couplings (>= 1). Consecutive couplings
	// transform alternate coordinates, so use at least 2.
	Depth int
	// Hidden is the width of both hidden layers of every conditioner.
	Hidden int
	// Batch is the minibatch size of a training step.
	Batch int
	// LR is Adam's learning rate.
	LR float64
	// MaxLogScale bounds every coupling's log-scale to +-MaxLogScale.
	MaxLogScale float64
	// Float32 trains in float32 (faster) instead of float64. LogProb and
	// Sample always compute in float64.
	Float32 bool
}

// DefaultConfig returns bench-2d's flow: 6 couplings, conditioners
// 1 -> 128 -> 128 -> 2, batch 256, float32, Adam at 1e-3, log-scales within +-2.
func DefaultConfig() Config {
	return Config{Depth: 6, Hidden: 128, Batch: 256, LR: 1e-3, MaxLogScale: 2, Float32: true}
}

// Validate reports the first field that is out of range, with its value and
// what is allowed.
func (c Config) Validate() error {
	switch {
	case c.Depth < 1:
		return fmt.Errorf("flow: Depth is %d; need >= 1", c.Depth)
	case c.Hidden < 1:
		return fmt.Errorf("flow: Hidden is %d; need >= 1", c.Hidden)
	case c.Batch < 1:
		return fmt.Errorf("flow: Batch is %d; need >= 1", c.Batch)
	case !(c.LR > 0) || math.IsInf(c.LR, 0):
		return fmt.Errorf("flow: LR is %g; need a finite value > 0", c.LR)
	case !(c.MaxLogScale > 0) || math.IsInf(c.MaxLogScale, 0):
		return fmt.Errorf("flow: MaxLogScale is %g; need a finite value > 0", c.MaxLogScale)
	}
	return nil
}
