// Package flow is a normalizing flow on R^2 with exact log-density and exact
// sampling: RealNVP-style affine couplings with MLP conditioners, a standard
// normal base, trained by maximum likelihood in gorgonia.
//
// Its one job is to be the continuous generative model of the 2-D workloads
// (ring-2d, bench-2d): fit points, give log p(x), draw samples.
//
// Points are flat []float64 slices of pairs, [x0, y0, x1, y1, ...], the layout
// of package data's Plane distributions.
//
// # Model
//
// Coupling l (l = 0..Depth-1) keeps one coordinate c and transforms the other,
// t: c = x[l%2], t = x[1-l%2]. A conditioner 1 -> Hidden -> Hidden -> 2 (ReLU
// between layers) maps c to a shift m and a raw log-scale r, the log-scale is
// bounded as s = MaxLogScale * tanh(r / MaxLogScale) (the identity near zero,
// never beyond +-MaxLogScale), and t becomes t exp(s) + m. After all couplings
// the point z is scored by the standard normal, so
//
//	log p(x) = -|z|^2/2 - log(2 pi) + sum over couplings of s.
//
// Sampling draws z from the base and runs the couplings backwards,
// t = (t' - m) exp(-s).
//
// # Three implementations of one model
//
// Training runs a gorgonia graph of the configured batch size, built once,
// with its inputs bound once and refilled in place; its layers are fused ops
// (dense.go) with the bits of gorgonia's own. LogProb runs a plain-Go pass
// (gonum BLAS for the Hidden x Hidden products) over the same parameters, so
// it takes any number of points; the tests check that both give the same
// log-density. Sample uses that a conditioner, a function of one number
// through ReLU layers, is piecewise linear: it evaluates each coupling's
// shift and log-scale from a table of pieces built once per parameter
// update (pwl.go), a binary search instead of a Hidden x Hidden product per
// point, and agrees with the layer pass to rounding.
package flow
