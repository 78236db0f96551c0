package train

import (
	"selfconsume/data"
	"selfconsume/train/theory"
)

// trajectory is the population-level path the run's regime follows from
// start: the map Phi under replace, the accumulating map (every past
// generation's data kept) under accumulate and accumulate-subsample.
func (p *Prediction) trajectory(start []*data.Table, generations int) [][]*data.Table {
	if p.Accumulate {
		return p.System.AccumulateTrajectory(start, generations)
	}
	return p.System.Trajectory(start, generations)
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
