package models

import (
	"fmt"
	"hash"
	"math"

	"github.com/chewxy/hm"
	"github.com/chewxy/math32"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// CountCE is the count-weighted cross-entropy -sum_{r,j} w[r,j] log
// softmax(x[r])[j] of logits x (rows, V) against weights w of the same shape
// (not differentiated), as one gorgonia op, and its gradient with respect
// to x as one more. It replaces the composed stableLogSoftMax (Max, a
// BroadcastSub, Exp, Sum, Log, another BroadcastSub) with HadamardProd, Sum
// and Neg, and the twenty-odd backward ops gorgonia derives from them, doing
// the same float32 operations in the same order (TestCountCEMatchesComposed):
// the row maximum subtracted, math32's Exp and Log, row sums and the total
// summed left to right; in the backward pass the row sums of the weights
// divided by the row's sum of exponentials, and the maximum's own (zero up to
// rounding) gradient term added back where x equals it.
func CountCE(x, w *G.Node) (*G.Node, error) { return G.ApplyOp(countCEOp{c: new(ceCache)}, x, w) }

type (
	countCEOp struct{ c *ceCache }
	// countCEGradOp takes x, w and the loss's gradient (a scalar).
	countCEGradOp struct{ c *ceCache }
)

// ceCache hands the forward pass's exponentials to the gradient op of the
// same node, which would compute the same numbers again: it keeps the
// logits' bits, the row maxima, exp(x - max) and the row sums. The gradient
// op uses them only when its logits have the same bits.
type ceCache struct {
	x, e, mx, s []float32
}

// fill computes the cache for x (rows x cols) and returns it, or returns a
// new one when c is nil.
func (c *ceCache) fill(x []float32, rows, cols int) *ceCache {
	if c == nil {
		c = new(ceCache)
	}
	if len(c.x) != len(x) || len(c.mx) != rows {
		c.x, c.e = make([]float32, len(x)), make([]float32, len(x))
		c.mx, c.s = make([]float32, rows), make([]float32, rows)
	}
	copy(c.x, x)
	for r := 0; r < rows; r++ {
		c.mx[r], c.s[r] = softmaxRow(x[r*cols:(r+1)*cols], c.e[r*cols:(r+1)*cols])
	}
	return c
}

// holds reports whether c was filled from logits with x's bits.
func (c *ceCache) holds(x []float32) bool {
	if c == nil || len(c.x) != len(x) {
		return false
	}
	for i, v := range x {
		if math.Float32bits(v) != math.Float32bits(c.x[i]) {
			return false
		}
	}
	return true
}

func (countCEOp) Arity() int     { return 2 }
func (countCEGradOp) Arity() int { return 3 }

func (countCEOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	m := G.TensorType{Dims: 2, Of: a}
	return hm.NewFnType(m, m, a)
}

func (countCEGradOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	m := G.TensorType{Dims: 2, Of: a}
	return hm.NewFnType(m, m, a, m)
}

func (countCEOp) InferShape(...G.DimSizer) (tensor.Shape, error) { return tensor.ScalarShape(), nil }

func (countCEGradOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	return in[0].(tensor.Shape).Clone(), nil
}

func (countCEOp) ReturnsPtr() bool         { return false }
func (countCEGradOp) ReturnsPtr() bool     { return false }
func (countCEOp) CallsExtern() bool        { return false }
func (countCEGradOp) CallsExtern() bool    { return false }
func (countCEOp) OverwritesInput() int     { return -1 }
func (countCEGradOp) OverwritesInput() int { return -1 }
func (countCEOp) String() string           { return "CountCE" }
func (countCEGradOp) String() string       { return "CountCEGrad" }
func (op countCEOp) WriteHash(h hash.Hash) { fmt.Fprint(h, op.String()) }
func (op countCEGradOp) WriteHash(h hash.Hash) {
	fmt.Fprint(h, op.String())
}
func (op countCEOp) Hashcode() uint32     { return OpHash(op) }
func (op countCEGradOp) Hashcode() uint32 { return OpHash(op) }

// DiffWRT: the logits only; the weights are data.
func (countCEOp) DiffWRT(int) []bool { return []bool{true, false} }

// SymDiff: dx = CountCEGrad(x, w, dloss).
func (op countCEOp) SymDiff(in G.Nodes, _, grad *G.Node) (G.Nodes, error) {
	dx, err := G.ApplyOp(countCEGradOp(op), in[0], in[1], grad)
	if err != nil {
		return nil, err
	}
	return G.Nodes{dx, nil}, nil
}

func (countCEGradOp) DiffWRT(n int) []bool { return make([]bool, n) }

func (op countCEGradOp) SymDiff(G.Nodes, *G.Node, *G.Node) (G.Nodes, error) {
	return nil, fmt.Errorf("%v has no derivative", op)
}

// softmaxRow writes e = exp(x - max(x)) for one row and returns the row's
// maximum and the sum of e, as stableLogSoftMax computes them.
func softmaxRow(x, e []float32) (mx, s float32) {
	mx = x[0]
	for _, v := range x[1:] {
		if v > mx {
			mx = v
		}
	}
	e = e[:len(x)]
	for j, v := range x {
		ej := math32.Exp(v - mx)
		e[j] = ej
		s += ej
	}
	return mx, s
}

// ceRows checks CountCE's inputs and returns x, w, rows and columns.
func ceRows(op G.Op, in []G.Value) (x, w []float32, rows, cols int, err error) {
	d, s, err := matrices32(op, 2, in)
	if err != nil {
		return nil, nil, 0, 0, err
	}
	if !s[0].Eq(s[1]) {
		return nil, nil, 0, 0, fmt.Errorf("%v: shapes %v and %v", op, s[0], s[1])
	}
	return d[0], d[1], s[0][0], s[0][1], nil
}

func (op countCEOp) Do(in ...G.Value) (G.Value, error) {
	x, w, rows, cols, err := ceRows(op, in)
	if err != nil {
		return nil, err
	}
	c := op.c.fill(x, rows, cols)
	var sum float32
	for r := 0; r < rows; r++ {
		lse := math32.Log(c.s[r])
		xr, wr, mx := x[r*cols:(r+1)*cols], w[r*cols:(r+1)*cols], c.mx[r]
		for j, v := range xr {
			sum += wr[j] * ((v - mx) - lse)
		}
	}
	return G.NewF32(-sum), nil
}

// scalar32 reads a float32 scalar value.
func scalar32(v G.Value) (float32, error) {
	switch s := v.(type) {
	case *G.F32:
		return float32(*s), nil
	case *tensor.Dense:
		switch d := s.Data().(type) {
		case float32:
			return d, nil
		case []float32:
			if len(d) == 1 {
				return d[0], nil
			}
		}
	}
	return 0, fmt.Errorf("want a float32 scalar, got %T", v)
}

func (op countCEGradOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }

// UsePreallocDo computes dx. With g the loss's gradient, the composed graph
// computes dlogp = (-g) w, the row's dlse = sum_j -dlogp_j, ds = dlse / s,
// dz_j = dlogp_j + ds e_j, the maximum's gradient dm = sum_j -dz_j, and
// dx_j = dz_j + dm [x_j == max].
func (op countCEGradOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	x, w, rows, cols, err := ceRows(op, in)
	if err != nil {
		return nil, err
	}
	g, err := scalar32(in[2])
	if err != nil {
		return nil, fmt.Errorf("%v: %w", op, err)
	}
	out := output(prealloc, rows, cols)
	dx := out.Float32s()
	c := op.c
	if !c.holds(x) {
		c = new(ceCache).fill(x, rows, cols)
	}
	ng := -g
	for r := 0; r < rows; r++ {
		xr, wr, dr := x[r*cols:(r+1)*cols], w[r*cols:(r+1)*cols], dx[r*cols:(r+1)*cols]
		mx, s, e := c.mx[r], c.s[r], c.e[r*cols:(r+1)*cols]
		var dlse float32
		for j := range dr {
			dlogp := ng * wr[j]
			dr[j] = dlogp
			dlse += -dlogp
		}
		ds := dlse / s
		var dm float32
		for j, ej := range e {
			dz := dr[j] + ds*ej
			dr[j] = dz
			dm += -dz
		}
		for j, v := range xr {
			var eq float32
			if v == mx {
				eq = 1
			}
			dr[j] += dm * eq
		}
	}
	return out, nil
}
