package theory

import (
	"math"

	"github.com/selfconsume/selfconsume/data"
)

// Approach measures how fast the map's own trajectory reaches a target. It
// iterates Phi from p0 and returns, for every group of model indices, the
// first generation t at which the group's distance to target,
//
//	d_g(t) = max over models i in g of sum_c w(c) TV(p_i^t(.|c), target_i(.|c))
//
// (System.TV restricted to the group), is at most tol times d_g(0); 0 if
// d_g(0) is 0, and -1 if it has not happened after max generations. With
// target a fixed point p* and tol small this is the generations the loop
// needs, transient included, where log(tol)/log(rho) (GenerationsTo) is
// only the asymptotic estimate: near p* the distance shrinks like rho^t,
// far from it the map may move faster or slower. nil groups: all models as
// one group.
func (s *System) Approach(p0, target []*data.Table, groups [][]int, tol float64, max int) []int {
	return s.ApproachAlong([][]*data.Table{p0}, target, groups, tol, max)
}

// ApproachAlong is Approach with the first generations of the map's
// trajectory from p0 = traj[0] already known (traj, as Trajectory returns
// it): they are not computed again, which saves len(traj)-1 evaluations
// of Phi and gives the same counts.
func (s *System) ApproachAlong(traj [][]*data.Table, target []*data.Table, groups [][]int, tol float64, max int) []int {
	out, _ := s.approach(traj, nil, target, groups, tol, max)
	return out
}

// ApproachPath is ApproachAlong with the trajectory known further: after
// traj come path's generations (path continues traj's last state, as
// FixedPointPath from it returns it; nil: none). The counts are exact, the
// same as ApproachAlong's: a kept generation's distance, computed from its
// float32 state, is within pathTVError (2^-24) of the exact one, so it
// decides whether the group is within tol d_g(0) unless it is within
// 2^-24 of that threshold. In that case, which the tests never met and
// which would take a distance within 6e-8 of tol d_g(0), the kept
// generations are dropped and the trajectory is computed again from
// traj's last state.
func (s *System) ApproachPath(traj [][]*data.Table, path *Path, target []*data.Table, groups [][]int, tol float64, max int) []int {
	out, ok := s.approach(traj, path, target, groups, tol, max)
	if !ok {
		out, _ = s.approach(traj, nil, target, groups, tol, max)
	}
	return out
}

// approach is ApproachPath's count; ok is false when a kept generation of
// path was too close to a threshold to decide.
func (s *System) approach(traj [][]*data.Table, path *Path, target []*data.Table, groups [][]int, tol float64, max int) (out []int, ok bool) {
	p0 := traj[0]
	s.mustState(p0)
	s.mustState(target)
	if groups == nil {
		all := make([]int, len(s.Models))
		for i := range all {
			all[i] = i
		}
		groups = [][]int{all}
	}
	out = make([]int, len(groups))
	d0 := make([]float64, len(groups))
	open := 0
	dist := func(p []*data.Table, g []int) float64 {
		d := 0.0
		for _, i := range g {
			d = math.Max(d, s.modelTV(p[i], target[i]))
		}
		return d
	}
	for k, g := range groups {
		d0[k] = dist(p0, g)
		out[k] = -1
		if d0[k] == 0 {
			out[k] = 0
		} else {
			open++
		}
	}
	p := p0
	known := len(traj) + path.Len() // generations 0..known-1 are known
	for t := 1; t <= max && open > 0; t++ {
		kept := t >= len(traj) && t < known
		switch {
		case t < len(traj):
			p = traj[t]
		case kept:
			if t == known-1 {
				p = path.last
			}
		default:
			p = s.Step(p)
		}
		for k, g := range groups {
			if out[k] >= 0 {
				continue
			}
			if kept && t < known-1 {
				d := s.pathTV(path, t-len(traj), target, g)
				if math.Abs(d-tol*d0[k]) <= pathTVError {
					return out, false
				}
				if d > tol*d0[k] {
					continue
				}
			} else if dist(p, g) > tol*d0[k] {
				continue
			}
			out[k] = t
			open--
		}
	}
	return out, true
}
