package flow

import (
	"fmt"
	"math"
	"math/rand/v2"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Every coupling has perCoupling parameter tensors, in this order (the order
// of Params): W1 (1,H), b1 (1,H), W2 (H,H), b2 (1,H), Wm (H,1), bm (1,1),
// Ws (H,1), bs (1,1). Weights are (in, out) row-major; m is the shift head and
// s the raw log-scale head.
const perCoupling = 8

// Indices of the tensors within a coupling.
const (
	iW1 = iota
	iB1
	iW2
	iB2
	iWm
	iBm
	iWs
	iBs
)

var paramNames = [perCoupling]string{"w1", "b1", "w2", "b2", "wm", "bm", "ws", "bs"}

// paramShapes returns the shapes of one coupling's tensors for width h.
func paramShapes(h int) [perCoupling][2]int {
	return [perCoupling][2]int{{1, h}, {1, h}, {h, h}, {1, h}, {h, 1}, {1, 1}, {h, 1}, {1, 1}}
}

// numParams returns the number of scalars of a flow of depth l and width h.
func numParams(l, h int) int { return l * (h*h + 5*h + 2) }

// initParams draws seeded initial values, one float64 slice per tensor, in
// Params order:
//   - W1 uniform in +-sqrt(6) (He-uniform, fan-in 1) and b1 = -W1 k with the
//     kink k uniform in [-3, 3], so the first layer's ReLU kinks spread over
//     the data's range instead of all sitting at 0;
//   - W2 He-uniform (+-sqrt(6/H)), b2 = 0;
//   - the heads Wm, Ws uniform in +-0.01 sqrt(6/H), biases 0, so every
//     coupling starts close to (not exactly at) the identity.
func initParams(cfg Config, rng *rand.Rand) [][]float64 {
	h := cfg.Hidden
	shapes := paramShapes(h)
	out := make([][]float64, 0, cfg.Depth*perCoupling)
	uniform := func(v []float64, a float64) {
		for i := range v {
			v[i] = a * (2*rng.Float64() - 1)
		}
	}
	for l := 0; l < cfg.Depth; l++ {
		t := make([][]float64, perCoupling)
		for i, s := range shapes {
			t[i] = make([]float64, s[0]*s[1])
		}
		uniform(t[iW1], math.Sqrt(6))
		for j := range t[iB1] {
			t[iB1][j] = -t[iW1][j] * 3 * (2*rng.Float64() - 1)
		}
		uniform(t[iW2], math.Sqrt(6/float64(h)))
		uniform(t[iWm], 0.01*math.Sqrt(6/float64(h)))
		uniform(t[iWs], 0.01*math.Sqrt(6/float64(h)))
		out = append(out, t...)
	}
	return out
}

// newParamNodes adds the parameter nodes of a flow to g, holding the given
// values converted to dt.
func newParamNodes(g *G.ExprGraph, cfg Config, dt tensor.Dtype, vals [][]float64) G.Nodes {
	shapes := paramShapes(cfg.Hidden)
	nodes := make(G.Nodes, len(vals))
	for i, v := range vals {
		s := shapes[i%perCoupling]
		t := tensor.New(tensor.WithShape(s[0], s[1]), tensor.WithBacking(toDtype(v, dt)))
		name := fmt.Sprintf("%s_%d", paramNames[i%perCoupling], i/perCoupling)
		nodes[i] = G.NewMatrix(g, dt, G.WithShape(s[0], s[1]), G.WithName(name), G.WithValue(t))
	}
	return nodes
}

// toDtype returns v as a []float32 or []float64 backing for dt.
func toDtype(v []float64, dt tensor.Dtype) any {
	if dt == tensor.Float32 {
		out := make([]float32, len(v))
		for i, x := range v {
			out[i] = float32(x)
		}
		return out
	}
	return append([]float64(nil), v...)
}

// Params returns a copy of all parameters as float64, coupling by coupling,
// each coupling's tensors in the order W1, b1, W2, b2, Wm, bm, Ws, bs
// (weights (in, out) row-major). Its length is Depth (H^2 + 5H + 2).
func (f *Flow) Params() []float64 {
	out := make([]float64, numParams(f.cfg.Depth, f.cfg.Hidden))
	off := 0
	for _, n := range f.params {
		switch d := n.Value().Data().(type) {
		case []float32:
			dst := out[off : off+len(d)]
			for i, x := range d {
				dst[i] = float64(x)
			}
			off += len(d)
		case []float64:
			off += copy(out[off:], d)
		}
	}
	return out
}

// SetParams overwrites all parameters from a slice laid out as Params returns
// it (rounded to float32 when the flow trains in float32). Every value must be
// finite. It also resets Adam's moment estimates, which belonged to the old
// parameters.
func (f *Flow) SetParams(p []float64) error {
	if want := numParams(f.cfg.Depth, f.cfg.Hidden); len(p) != want {
		return fmt.Errorf("flow: SetParams got %d values; a flow of depth %d and width %d has %d",
			len(p), f.cfg.Depth, f.cfg.Hidden, want)
	}
	for i, x := range p {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Errorf("flow: SetParams value %d is %g; need finite values", i, x)
		}
	}
	off := 0
	for _, n := range f.params {
		switch d := n.Value().Data().(type) {
		case []float32:
			for i := range d {
				d[i] = float32(p[off+i])
			}
			off += len(d)
		case []float64:
			off += copy(d, p[off:])
		}
	}
	f.solver = newSolver(f.cfg)
	f.version++
	return nil
}
