package theory

import (
	"math"

	"github.com/selfconsume/selfconsume/data"
)

// Path is a stretch of the map's trajectory, Phi^t(p) for t = 1..Len()
// from a known state p, kept for counting generations along the map
// (ApproachPath) without computing them again: every state in float32,
// half the memory of the exact tables, and the last one exactly, to go on
// from. A float32 entry is within a relative 2^-24 of the exact one, so a
// distance System.TV computed from a kept state is within pathTVError of
// the exact distance (see ApproachPath).
type Path struct {
	states [][]float32 // per generation, the tables one after another
	last   []*data.Table
	left   int // states that still fit the budget
}

// pathTVError bounds |TV from a float32 state - TV from the exact state|:
// a row's entries move by at most 2^-24 of their sum, 1, so a row's TV by
// 2^-25 and the context-weighted sum likewise; twice that covers the
// float64 sums' rounding (V 2^-53 relative).
var pathTVError = math.Ldexp(1, -24)

// newPath returns an empty Path that keeps at most budget bytes of states
// of s (4 n C V bytes each); nil if not even one fits.
func (s *System) newPath(budget int) *Path {
	size := 4 * len(s.Models) * s.Real.C * s.Real.V
	if budget < size {
		return nil
	}
	return &Path{left: budget / size}
}

// Len returns the number of generations kept.
func (pa *Path) Len() int {
	if pa == nil {
		return 0
	}
	return len(pa.states)
}

// add appends the next state of the trajectory while the budget lasts.
func (pa *Path) add(ps []*data.Table) {
	if pa == nil || pa.left == 0 {
		return
	}
	n := 0
	for _, t := range ps {
		n += len(t.P)
	}
	st := make([]float32, 0, n)
	for _, t := range ps {
		for _, x := range t.P {
			st = append(st, float32(x))
		}
	}
	pa.states = append(pa.states, st)
	pa.last = ps
	pa.left--
}

// pathTV returns max over models i in g of sum_c w(c) TV(row c of model i of
// kept state k, the same row of target) (System.TV from the float32
// state).
func (s *System) pathTV(pa *Path, k int, target []*data.Table, g []int) float64 {
	st := pa.states[k]
	size := s.Real.C * s.Real.V
	d := 0.0
	for _, i := range g {
		m := st[i*size : (i+1)*size]
		sum := 0.0
		for c := 0; c < s.Real.C; c++ {
			tr, row := target[i].Row(c), m[c*s.Real.V:(c+1)*s.Real.V]
			r := 0.0
			for y, x := range row {
				r += math.Abs(float64(x) - tr[y])
			}
			sum += s.Context[c] * r / 2
		}
		d = math.Max(d, sum)
	}
	return d
}
