package flow

import (
	"math"
	"slices"
	"sort"
)

// A conditioner maps one number c to a shift m and a raw log-scale r
// through ReLU layers, so m(c) and r(c) are continuous and piecewise linear
// in c: the first layer's unit j bends at c = -b1_j/w1_j; between those
// kinks the second layer's pre-activations are linear in c, and each bends
// (once at most) where it crosses zero. pwlNet holds every coupling's m and
// r as these pieces (slope and intercept per piece, in float64), so that
// sampling costs a binary search and two multiply-adds per point and
// coupling instead of a Hidden x Hidden product. The pieces are the
// conditioner's exact function, computed in float64 from the parameters:
// they agree with the float64 layer-by-layer pass to rounding
// (TestPiecewiseMatchesLayers).

// pwlNet is the flow's conditioners as piecewise-linear functions.
type pwlNet struct {
	smax float64
	cpl  []pwl // per coupling
}

// pwl is one conditioner: breakpoints x (ascending) and len(x)+1 pieces;
// piece i holds for x[i-1] <= c <= x[i] (unbounded at the ends).
type pwl struct {
	x     []float64
	piece []pwlPiece
}

// pwlPiece is m = sm c + im, r = sr c + ir on one piece.
type pwlPiece struct{ sm, im, sr, ir float64 }

// at returns m(c) and r(c).
func (p *pwl) at(c float64) (m, r float64) {
	q := p.piece[sort.SearchFloat64s(p.x, c)]
	// explicit conversions: rounded products, no fused multiply-add
	return float64(q.sm*c) + q.im, float64(q.sr*c) + q.ir
}

// newPWLNet builds the pieces of every coupling from the flat parameters p
// (Params layout).
func newPWLNet(cfg Config, p []float64) *pwlNet {
	h := cfg.Hidden
	net := &pwlNet{smax: cfg.MaxLogScale}
	shapes := paramShapes(h)
	off := 0
	for l := 0; l < cfg.Depth; l++ {
		var t [perCoupling][]float64
		for i, s := range shapes {
			t[i] = p[off : off+s[0]*s[1]]
			off += s[0] * s[1]
		}
		net.cpl = append(net.cpl, newPWL(h, t))
	}
	return net
}

// kink is where unit j (of the first layer, or of the second) bends.
type kink struct {
	at float64
	j  int
}

// newPWL builds one conditioner's pieces from its tensors t (Params order).
func newPWL(h int, t [perCoupling][]float64) pwl {
	w1, b1, w2, b2 := t[iW1], t[iB1], t[iW2], t[iB2]
	// a[k] c + b[k]: the second layer's pre-activations on the current
	// first-layer piece; far left, the units with w1 < 0 are active (and
	// those with w1 = 0 and b1 > 0, everywhere).
	a, b := make([]float64, h), slices.Clone(b2)
	toggle := func(j int, sign float64) {
		wa, wb := sign*w1[j], sign*b1[j]
		row := w2[j*h : (j+1)*h]
		for k, w := range row {
			a[k] += w * wa
			b[k] += w * wb
		}
	}
	var kinks []kink
	for j := 0; j < h; j++ {
		switch {
		case w1[j] != 0:
			kinks = append(kinks, kink{-b1[j] / w1[j], j})
			if w1[j] < 0 {
				toggle(j, 1)
			}
		case b1[j] > 0:
			toggle(j, 1)
		}
	}
	slices.SortStableFunc(kinks, func(u, v kink) int { return cmpFloat(u.at, v.at) })
	var out pwl
	lv := &level2{h: h, wm: t[iWm], ws: t[iWs], bm: t[iBm][0], bs: t[iBs][0]}
	for q := 0; q <= len(kinks); q++ {
		lo, hi := math.Inf(-1), math.Inf(1)
		if q > 0 {
			lo = kinks[q-1].at
			out.x = append(out.x, lo)
		}
		if q < len(kinks) {
			hi = kinks[q].at
		}
		lv.pieces(&out, a, b, lo, hi)
		if q < len(kinks) {
			j := kinks[q].j
			if w1[j] > 0 {
				toggle(j, 1)
			} else {
				toggle(j, -1)
			}
		}
	}
	return out
}

// level2 splits a first-layer piece at the second layer's zero crossings.
type level2 struct {
	h      int
	wm, ws []float64
	bm, bs float64
	roots  []kink // scratch
	active []bool // scratch
}

// pieces appends to out the pieces of m and r on (lo, hi), where the second
// layer's pre-activations are a[k] c + b[k], with the breakpoints between
// them.
func (lv *level2) pieces(out *pwl, a, b []float64, lo, hi float64) {
	if lv.active == nil {
		lv.active = make([]bool, lv.h)
	}
	lv.roots = lv.roots[:0]
	var p pwlPiece
	p.im, p.ir = lv.bm, lv.bs
	for k := 0; k < lv.h; k++ {
		// unit k's state just right of lo: a unit crossing zero inside
		// (lo, hi) starts on the other side of its root and toggles there
		on := b[k] > 0
		if a[k] != 0 {
			rt := -b[k] / a[k]
			on = (a[k] > 0 && rt <= lo) || (a[k] < 0 && rt > lo)
			if lo < rt && rt < hi {
				lv.roots = append(lv.roots, kink{rt, k})
			}
		}
		lv.active[k] = on
		if on {
			p.add(lv, a, b, k, 1)
		}
	}
	slices.SortStableFunc(lv.roots, func(u, v kink) int { return cmpFloat(u.at, v.at) })
	out.piece = append(out.piece, p)
	for _, r := range lv.roots {
		k := r.j
		sign := 1.0
		if lv.active[k] {
			sign = -1
		}
		lv.active[k] = !lv.active[k]
		p.add(lv, a, b, k, sign)
		out.x = append(out.x, r.at)
		out.piece = append(out.piece, p)
	}
}

// add adds sign times unit k's share (head weight times a[k] c + b[k]) to
// the piece.
func (p *pwlPiece) add(lv *level2, a, b []float64, k int, sign float64) {
	wm, ws := sign*lv.wm[k], sign*lv.ws[k]
	p.sm += wm * a[k]
	p.im += wm * b[k]
	p.sr += ws * a[k]
	p.ir += ws * b[k]
}

// cmpFloat orders two numbers (no NaN among them).
func cmpFloat(u, v float64) int {
	switch {
	case u < v:
		return -1
	case u > v:
		return 1
	}
	return 0
}

// invert maps the base points z (pairs) to data space in place.
func (n *pwlNet) invert(z []float64) {
	parallelChunks(len(z)/2, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			z0, z1 := z[2*i], z[2*i+1]
			for l := len(n.cpl) - 1; l >= 0; l-- {
				cond, t := z0, z1
				if l%2 == 1 {
					cond, t = z1, z0
				}
				m, r := n.cpl[l].at(cond)
				s := n.smax * math.Tanh(r/n.smax)
				t = (t - m) * math.Exp(-s)
				if l%2 == 0 {
					z1 = t
				} else {
					z0 = t
				}
			}
			z[2*i], z[2*i+1] = z0, z1
		}
	})
}
