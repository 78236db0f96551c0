package models

import (
	"fmt"
	"hash"
	"hash/fnv"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// ReLU is gorgonia's Rectify as one op each way. Rectify builds
// x * (x >= 0) from a comparison and a Hadamard product, and its gradient
// computes both factors' products (the comparison's is thrown away); ReLU
// does y = x * m and dx = m * dy with m = 1 where x >= 0 (0 elsewhere, NaN
// included) in one pass each, the same products, so the same bits
// (TestReLUMatchesRectify), and writes into its previous buffers when the
// tape is rewound.
func ReLU(x *G.Node) (*G.Node, error) { return G.ApplyOp(reluOp{}, x) }

// reluOp is the forward pass; reluGradOp (inputs x and dy) the backward.
type (
	reluOp     struct{}
	reluGradOp struct{}
)

func (reluOp) Arity() int     { return 1 }
func (reluGradOp) Arity() int { return 2 }

func (reluOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	return hm.NewFnType(a, a)
}

func (reluGradOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	return hm.NewFnType(a, a, a)
}

func (reluOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	return in[0].(tensor.Shape).Clone(), nil
}

func (reluGradOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	return in[0].(tensor.Shape).Clone(), nil
}

func (reluOp) ReturnsPtr() bool         { return false }
func (reluGradOp) ReturnsPtr() bool     { return false }
func (reluOp) CallsExtern() bool        { return false }
func (reluGradOp) CallsExtern() bool    { return false }
func (reluOp) OverwritesInput() int     { return -1 }
func (reluGradOp) OverwritesInput() int { return -1 }
func (reluOp) String() string           { return "ReLU" }
func (reluGradOp) String() string       { return "ReLUGrad" }
func (op reluOp) WriteHash(h hash.Hash) { fmt.Fprint(h, op.String()) }
func (op reluGradOp) WriteHash(h hash.Hash) {
	fmt.Fprint(h, op.String())
}

func (op reluOp) Hashcode() uint32     { return OpHash(op) }
func (op reluGradOp) Hashcode() uint32 { return OpHash(op) }

// OpHash is a custom gorgonia op's Hashcode: the FNV-32a hash of what its
// WriteHash writes.
func OpHash(op G.Op) uint32 {
	h := fnv.New32a()
	op.WriteHash(h)
	return h.Sum32()
}

// DiffWRT: ReLU is differentiable in its input.
func (reluOp) DiffWRT(int) []bool { return []bool{true} }

// SymDiff: dx = ReLUGrad(x, dy).
func (reluOp) SymDiff(in G.Nodes, _, grad *G.Node) (G.Nodes, error) {
	dx, err := G.ApplyOp(reluGradOp{}, in[0], grad)
	if err != nil {
		return nil, err
	}
	return G.Nodes{dx}, nil
}

// DiffWRT: the gradient op is not differentiated again.
func (reluGradOp) DiffWRT(n int) []bool { return make([]bool, n) }

// SymDiff is not supported (no second derivatives).
func (reluGradOp) SymDiff(G.Nodes, *G.Node, *G.Node) (G.Nodes, error) {
	return nil, fmt.Errorf("ReLUGrad has no derivative")
}

func (op reluOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }

func (op reluGradOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }

// UsePreallocDo writes y into prealloc when it has x's shape and type, into
// a new tensor otherwise.
func (reluOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	if len(in) != 1 {
		return nil, fmt.Errorf("ReLU: %d inputs", len(in))
	}
	x, ok := in[0].(*tensor.Dense)
	if !ok {
		return nil, fmt.Errorf("ReLU: input is %T", in[0])
	}
	out := reuse(prealloc, x)
	switch xs := x.Data().(type) {
	case []float32:
		reluForward32(out.Data().([]float32), xs)
	case []float64:
		reluForward(out.Data().([]float64), xs)
	default:
		return nil, fmt.Errorf("ReLU: dtype %v", x.Dtype())
	}
	return out, nil
}

// UsePreallocDo writes dx into prealloc when it has x's shape and type, into
// a new tensor otherwise.
func (reluGradOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	if len(in) != 2 {
		return nil, fmt.Errorf("ReLUGrad: %d inputs", len(in))
	}
	x, ok1 := in[0].(*tensor.Dense)
	dy, ok2 := in[1].(*tensor.Dense)
	if !ok1 || !ok2 || !x.Shape().Eq(dy.Shape()) || x.Dtype() != dy.Dtype() {
		return nil, fmt.Errorf("ReLUGrad: inputs %v and %v", in[0].Shape(), in[1].Shape())
	}
	out := reuse(prealloc, x)
	switch xs := x.Data().(type) {
	case []float32:
		reluBackward32(out.Data().([]float32), xs, dy.Data().([]float32))
	case []float64:
		reluBackward(out.Data().([]float64), xs, dy.Data().([]float64))
	default:
		return nil, fmt.Errorf("ReLUGrad: dtype %v", x.Dtype())
	}
	return out, nil
}

// reuse returns prealloc if it is a dense tensor of like's shape and dtype,
// else a new one.
func reuse(prealloc G.Value, like *tensor.Dense) *tensor.Dense {
	if p, ok := prealloc.(*tensor.Dense); ok && p.Dtype() == like.Dtype() && p.Shape().Eq(like.Shape()) && p.IsNativelyAccessible() {
		return p
	}
	return tensor.New(tensor.Of(like.Dtype()), tensor.WithShape(like.Shape().Clone()...))
}

// reluMask is Rectify's comparison: 1 where x >= 0, else 0 (NaN: 0).
func reluMask[T float32 | float64](x T) T {
	if x >= 0 {
		return 1
	}
	return 0
}

func reluForward[T float32 | float64](y, x []T) {
	x = x[:len(y)]
	for i, v := range x {
		y[i] = v * reluMask(v)
	}
}

func reluBackward[T float32 | float64](dx, x, dy []T) {
	x, dy = x[:len(dx)], dy[:len(dx)]
	for i, v := range x {
		dx[i] = reluMask(v) * dy[i]
	}
}
