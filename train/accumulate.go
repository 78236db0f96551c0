package train

import (
	"context"

	"github.com/selfconsume/selfconsume/data"
	"github.com/selfconsume/selfconsume/train/theory"
)

// trajectory is the population-level path the run's regime follows from
// start: the map Phi under replace, the accumulating map (every past
// generation's data kept) under accumulate and accumulate-subsample. It
// stops with ctx's error, looking before each generation.
func (p *Prediction) trajectory(ctx context.Context, start []*data.Table, generations int) ([][]*data.Table, error) {
	out := [][]*data.Table{start}
	for t := 1; t <= generations; t++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if p.Accumulate {
			out = append(out, p.System.AccumulateStep(out[t-1], t))
		} else {
			out = append(out, p.System.Step(out[t-1]))
		}
	}
	return out, nil
}

// generationsTo is the asymptotic number of generations for the distance to
// an attracting fixed point of spectral radius rho to shrink by Tol:
// log(Tol)/log(rho) under replace, Tol^(-1/(1-rho)) under the accumulating
// regimes (a power law, not a geometric rate).
func (p *Prediction) generationsTo(rho float64) float64 {
	if p.Accumulate {
		return theory.AccumulateGenerationsTo(rho, p.Tol)
	}
	return theory.GenerationsTo(rho, p.Tol)
}
