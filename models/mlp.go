package models

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sync"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// buildMu serialises graph construction: gorgonia's Rectify bumps an
// unsynchronised global counter (a data race under the race detector).
var buildMu sync.Mutex

// LockGraphBuilding takes the lock every package holds while it builds a
// gorgonia graph, and returns the function that releases it.
func LockGraphBuilding() (unlock func()) {
	buildMu.Lock()
	return buildMu.Unlock
}

// mlp is a stack of dense layers with ReLU between them, built in a graph.
// Parameters are kept as float32 tensors; params lists W1, b1, W2, b2, ...
type mlp struct {
	sizes  []int // input, hidden..., output
	params G.Nodes
	act    activation // between layers; nil: fused Dense layers with ReLU
}

// activation is a hidden layer's activation in a graph. Every network uses
// nil, the fused Dense layers (ReLU inside); tests build the composed graph
// with ReLU or gorgonia's Rectify to hold the fused ops to the same bits.
type activation func(*G.Node) (*G.Node, error)

// newMLP adds the parameter nodes of a dense network with the given layer
// sizes and activation to g, initialised like PyTorch's nn.Linear (uniform
// in +-1/sqrt(fan in)).
func newMLP(g *G.ExprGraph, name string, sizes []int, act activation, rng *rand.Rand) *mlp {
	m := &mlp{sizes: append([]int(nil), sizes...), act: act}
	for l := 0; l+1 < len(sizes); l++ {
		in, out := sizes[l], sizes[l+1]
		w := tensor.New(tensor.WithShape(in, out), tensor.WithBacking(make([]float32, in*out)))
		b := tensor.New(tensor.WithShape(1, out), tensor.WithBacking(make([]float32, out)))
		m.params = append(m.params,
			G.NewMatrix(g, tensor.Float32, G.WithShape(in, out), G.WithName(fmt.Sprintf("%s_w%d", name, l)), G.WithValue(w)),
			G.NewMatrix(g, tensor.Float32, G.WithShape(1, out), G.WithName(fmt.Sprintf("%s_b%d", name, l)), G.WithValue(b)))
	}
	m.init(rng)
	return m
}

// init draws fresh parameters from rng.
func (m *mlp) init(rng *rand.Rand) {
	for l := 0; l+1 < len(m.sizes); l++ {
		bound := 1 / math.Sqrt(float64(m.sizes[l]))
		for _, p := range m.params[2*l : 2*l+2] {
			d := p.Value().Data().([]float32)
			for i := range d {
				d[i] = float32((2*rng.Float64() - 1) * bound)
			}
		}
	}
}

// forward adds the network applied to x (rows are inputs, not
// differentiated) to the graph: one Dense op per layer when m.act is nil,
// else gorgonia's Mul, BroadcastAdd and m.act.
func (m *mlp) forward(x *G.Node) (*G.Node, error) {
	h := x
	for l := 0; l+1 < len(m.sizes); l++ {
		hidden := l+2 < len(m.sizes)
		if m.act == nil {
			var err error
			if h, err = Dense(h, m.params[2*l], m.params[2*l+1], hidden, l > 0); err != nil {
				return nil, err
			}
			continue
		}
		xw, err := G.Mul(h, m.params[2*l])
		if err != nil {
			return nil, err
		}
		if h, err = G.BroadcastAdd(xw, m.params[2*l+1], nil, []byte{0}); err != nil {
			return nil, err
		}
		if hidden {
			if h, err = m.act(h); err != nil {
				return nil, err
			}
		}
	}
	return h, nil
}

// countLoss adds -sum w log softmax(logits) to the graph: the fused CountCE
// when m.act is nil (the network is fused), else composed from
// stableLogSoftMax, HadamardProd, Sum and Neg.
func (m *mlp) countLoss(logits, w *G.Node) (*G.Node, error) {
	if m.act == nil {
		return CountCE(logits, w)
	}
	logp, err := stableLogSoftMax(logits)
	if err != nil {
		return nil, err
	}
	wl, err := G.HadamardProd(w, logp)
	if err != nil {
		return nil, err
	}
	s, err := G.Sum(wl)
	if err != nil {
		return nil, err
	}
	return G.Neg(s)
}

// size returns the number of scalar parameters.
func (m *mlp) size() int {
	n := 0
	for l := 0; l+1 < len(m.sizes); l++ {
		n += (m.sizes[l] + 1) * m.sizes[l+1]
	}
	return n
}

// flat returns a copy of all parameters in order W1, b1, W2, b2, ...
func (m *mlp) flat() []float32 {
	out := make([]float32, 0, m.size())
	for _, p := range m.params {
		out = append(out, p.Value().Data().([]float32)...)
	}
	return out
}

// flat64 returns all parameters in the order of flat, widened to float64.
func (m *mlp) flat64() []float64 {
	out := make([]float64, 0, m.size())
	for _, p := range m.params {
		for _, v := range p.Value().(*tensor.Dense).Float32s() {
			out = append(out, float64(v))
		}
	}
	return out
}

// setFlat overwrites all parameters from a slice produced by flat.
func (m *mlp) setFlat(v []float32) error {
	if len(v) != m.size() {
		return fmt.Errorf("got %d parameters, network %v has %d", len(v), m.sizes, m.size())
	}
	off := 0
	for _, p := range m.params {
		d := p.Value().Data().([]float32)
		copy(d, v[off:off+len(d)])
		off += len(d)
	}
	return nil
}

// forwardRows runs the network in float64 on n input rows (row-major, n x
// sizes[0]) and returns the n x sizes[last] outputs. Rows go through in
// blocks of rowBlock (the last block takes the remainder, so no block is
// thinner than the network's inputs alone would make it), each layer's
// activations staying in cache; every output is the same sum in the same
// order as one pass over all rows.
func (m *mlp) forwardRows(x []float64, n int) []float64 {
	in := m.sizes[0]
	return m.forwardBlocks(n, func(lo, hi int) []float64 { return x[lo*in : hi*in] })
}

// forwardBlocks is forwardRows with the input rows [lo, hi) of each block
// given by input, so that a caller can generate them block by block instead
// of holding all n rows (input's slice is read before the next call).
func (m *mlp) forwardBlocks(n int, input func(lo, hi int) []float64) []float64 {
	const rowBlock = 256
	layers := len(m.sizes) - 1
	last := m.sizes[layers]
	out := make([]float64, n*last)
	ws, bs := make([][]float64, layers), make([][]float64, layers)
	widest := 0
	for l := range ws {
		ws[l] = widen(m.params[2*l].Value().Data().([]float32))
		bs[l] = widen(m.params[2*l+1].Value().Data().([]float32))
		widest = max(widest, m.sizes[l+1])
	}
	maxRows := min(n, 2*rowBlock-1) // a block takes the remainder too
	bufs := [2][]float64{make([]float64, maxRows*widest), make([]float64, maxRows*widest)}
	for lo := 0; lo < n; {
		hi := min(lo+rowBlock, n)
		if n-hi < rowBlock {
			hi = n
		}
		rows := hi - lo
		h := input(lo, hi)
		for l := range ws {
			in, outW := m.sizes[l], m.sizes[l+1]
			hidden := l+1 < layers
			next := out[lo*last : hi*last]
			if hidden {
				next = bufs[l%2][:rows*outW]
			}
			blas64.Gemm(blas.NoTrans, blas.NoTrans, 1,
				blas64.General{Rows: rows, Cols: in, Stride: in, Data: h},
				blas64.General{Rows: in, Cols: outW, Stride: outW, Data: ws[l]},
				0, blas64.General{Rows: rows, Cols: outW, Stride: outW, Data: next})
			addBias(next, bs[l], hidden)
			h = next
		}
		lo = hi
	}
	return out
}

// widen copies float32 values into a new float64 slice.
func widen(v []float32) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = float64(x)
	}
	return out
}

// narrow copies float64 values into a new float32 slice.
func narrow(v []float64) []float32 {
	out := make([]float32, len(v))
	for i, x := range v {
		out[i] = float32(x)
	}
	return out
}

// addBias adds b to every row of h (row length len(b)) and, with relu, sets
// negative results to 0: the bias added after the product, b + sum, is the
// same number as the product added onto a bias-filled row.
func addBias(h, b []float64, relu bool) {
	k := len(b)
	for r := 0; r+k <= len(h); r += k {
		row := h[r : r+k : r+k]
		for j, v := range b {
			z := row[j] + v
			if relu && z < 0 {
				z = 0
			}
			row[j] = z
		}
	}
}

// stableLogSoftMax is a row-wise log-softmax built from Max, Exp, Sum and Log:
// tensor v0.9.24's LogSoftMax subtracts a wrong row maximum and overflows.
func stableLogSoftMax(x *G.Node) (*G.Node, error) {
	rows := x.Shape()[0]
	mx, err := G.Max(x, 1)
	if err != nil {
		return nil, err
	}
	if mx, err = G.Reshape(mx, tensor.Shape{rows, 1}); err != nil {
		return nil, err
	}
	z, err := G.BroadcastSub(x, mx, nil, []byte{1})
	if err != nil {
		return nil, err
	}
	e, err := G.Exp(z)
	if err != nil {
		return nil, err
	}
	s, err := G.Sum(e, 1)
	if err != nil {
		return nil, err
	}
	lse, err := G.Log(s)
	if err != nil {
		return nil, err
	}
	if lse, err = G.Reshape(lse, tensor.Shape{rows, 1}); err != nil {
		return nil, err
	}
	return G.BroadcastSub(z, lse, nil, []byte{1})
}

// finite reports whether v is neither NaN nor infinite.
func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
