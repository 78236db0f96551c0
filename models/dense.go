package models

import (
	"fmt"
	"hash"
	"math"

	"github.com/chewxy/hm"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Dense is a dense layer act(x W + b) as one gorgonia op, with ReLU as act
// when relu is set (identity otherwise), and its backward pass as three ops
// (four with ReLU): the masked gradient dz, dW = x^T dz, db = the column
// sums of dz and, when diffX is set, dx = dz W^T. It replaces gorgonia's
// Mul, BroadcastAdd (a Repeat of b and an Add) and ReLU, and their backward
// ops (a Sum for db among them), with the same float32 operations in the same
// order: the products through the same BLAS call as gorgonia's MatMul, b
// added to each sum, ReLU as x * (x >= 0), db summed row after row. So it
// gives the composed graph's bits (TestDenseMatchesComposed) with a third of
// the tape's instructions. x is (n, in), W (in, out) and b (1, out); set
// diffX false for a network's input, whose gradient nobody reads.
func Dense(x, w, b *G.Node, relu, diffX bool) (*G.Node, error) {
	return G.ApplyOp(denseOp{relu: relu, diffX: diffX}, x, w, b)
}

// The forward op and the backward ops. matMulOp multiplies with one factor
// transposed; denseMaskOp applies ReLU's derivative given the layer's output.
type (
	denseOp struct{ relu, diffX bool }
	// matMulOp is op(a) op(b) with a transposed when transA, b when transB.
	matMulOp    struct{ transA, transB bool }
	denseMaskOp struct{}
	colSumOp    struct{}
)

// Dense computes ReLU(z) as z * (z >= 0), so its output is +0 exactly where
// z is +0 (the mask is 1) and -0 where z < 0 (the mask is 0). z = -0 cannot
// occur: the product's sums start from +0, and +0 + -0 is +0, so a sum is
// -0 only if it and b both were. The output therefore tells the mask:
// reluMaskOut is 1 for a positive or +0 output, 0 for -0 and NaN (z NaN or
// -Inf).
func reluMaskOut(y float32) float32 {
	// +0, positive numbers and +Inf are the bit patterns up to +Inf's;
	// negative values and NaN lie above.
	if math.Float32bits(y) <= 0x7f800000 {
		return 1
	}
	return 0
}

func (denseOp) Arity() int     { return 3 }
func (matMulOp) Arity() int    { return 2 }
func (denseMaskOp) Arity() int { return 2 }
func (colSumOp) Arity() int    { return 1 }

// Every input and output is a float32 matrix: one type variable.
func (denseOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	return hm.NewFnType(a, a, a, a)
}

func (matMulOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	return hm.NewFnType(a, a, a)
}

func (denseMaskOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	return hm.NewFnType(a, a, a)
}

func (colSumOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	return hm.NewFnType(a, a)
}

func shapeOf(d G.DimSizer) (tensor.Shape, error) {
	s, ok := d.(tensor.Shape)
	if !ok || len(s) != 2 {
		return nil, fmt.Errorf("want a matrix, got %v", d)
	}
	return s, nil
}

func (op denseOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	x, err := shapeOf(in[0])
	if err != nil {
		return nil, err
	}
	w, err := shapeOf(in[1])
	if err != nil {
		return nil, err
	}
	return tensor.Shape{x[0], w[1]}, nil
}

// dims returns the m x n result and inner size k of op(a) op(b).
func (op matMulOp) dims(a, b tensor.Shape) (m, n, k int) {
	m, k = a[0], a[1]
	if op.transA {
		m, k = k, m
	}
	n = b[1]
	if op.transB {
		n = b[0]
	}
	return m, n, k
}

func (op matMulOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	a, err := shapeOf(in[0])
	if err != nil {
		return nil, err
	}
	b, err := shapeOf(in[1])
	if err != nil {
		return nil, err
	}
	m, n, _ := op.dims(a, b)
	return tensor.Shape{m, n}, nil
}

func (denseMaskOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	return in[0].(tensor.Shape).Clone(), nil
}

func (colSumOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	s, err := shapeOf(in[0])
	if err != nil {
		return nil, err
	}
	return tensor.Shape{1, s[1]}, nil
}

func (denseOp) ReturnsPtr() bool         { return false }
func (matMulOp) ReturnsPtr() bool        { return false }
func (denseMaskOp) ReturnsPtr() bool     { return false }
func (colSumOp) ReturnsPtr() bool        { return false }
func (denseOp) CallsExtern() bool        { return false }
func (matMulOp) CallsExtern() bool       { return false }
func (denseMaskOp) CallsExtern() bool    { return false }
func (colSumOp) CallsExtern() bool       { return false }
func (denseOp) OverwritesInput() int     { return -1 }
func (matMulOp) OverwritesInput() int    { return -1 }
func (denseMaskOp) OverwritesInput() int { return -1 }
func (colSumOp) OverwritesInput() int    { return -1 }

func (op denseOp) String() string {
	return fmt.Sprintf("Dense{relu: %t, diffX: %t}", op.relu, op.diffX)
}

func (op matMulOp) String() string {
	return fmt.Sprintf("MatMul{transA: %t, transB: %t}", op.transA, op.transB)
}

func (denseMaskOp) String() string { return "DenseMask" }
func (colSumOp) String() string    { return "ColSum" }

func (op denseOp) WriteHash(h hash.Hash)     { fmt.Fprint(h, op.String()) }
func (op matMulOp) WriteHash(h hash.Hash)    { fmt.Fprint(h, op.String()) }
func (op denseMaskOp) WriteHash(h hash.Hash) { fmt.Fprint(h, op.String()) }
func (op colSumOp) WriteHash(h hash.Hash)    { fmt.Fprint(h, op.String()) }
func (op denseOp) Hashcode() uint32          { return OpHash(op) }
func (op matMulOp) Hashcode() uint32         { return OpHash(op) }
func (op denseMaskOp) Hashcode() uint32      { return OpHash(op) }
func (op colSumOp) Hashcode() uint32         { return OpHash(op) }

// DiffWRT: W and b always, x when diffX.
func (op denseOp) DiffWRT(int) []bool { return []bool{op.diffX, true, true} }

// SymDiff adds the backward ops: dz (ReLU only), dx (diffX only), dW, db.
func (op denseOp) SymDiff(in G.Nodes, out, grad *G.Node) (G.Nodes, error) {
	dz := grad
	var err error
	if op.relu {
		if dz, err = G.ApplyOp(denseMaskOp{}, out, grad); err != nil {
			return nil, err
		}
	}
	var dx *G.Node
	if op.diffX {
		if dx, err = G.ApplyOp(matMulOp{transB: true}, dz, in[1]); err != nil {
			return nil, err
		}
	}
	dw, err := G.ApplyOp(matMulOp{transA: true}, in[0], dz)
	if err != nil {
		return nil, err
	}
	db, err := G.ApplyOp(colSumOp{}, dz)
	if err != nil {
		return nil, err
	}
	return G.Nodes{dx, dw, db}, nil
}

// The backward ops are not differentiated again.
func (matMulOp) DiffWRT(n int) []bool    { return make([]bool, n) }
func (denseMaskOp) DiffWRT(n int) []bool { return make([]bool, n) }
func (colSumOp) DiffWRT(n int) []bool    { return make([]bool, n) }

func (op matMulOp) SymDiff(G.Nodes, *G.Node, *G.Node) (G.Nodes, error) {
	return nil, fmt.Errorf("%v has no derivative", op)
}

func (op denseMaskOp) SymDiff(G.Nodes, *G.Node, *G.Node) (G.Nodes, error) {
	return nil, fmt.Errorf("%v has no derivative", op)
}

func (op colSumOp) SymDiff(G.Nodes, *G.Node, *G.Node) (G.Nodes, error) {
	return nil, fmt.Errorf("%v has no derivative", op)
}

func (op denseOp) Do(in ...G.Value) (G.Value, error)     { return op.UsePreallocDo(nil, in...) }
func (op matMulOp) Do(in ...G.Value) (G.Value, error)    { return op.UsePreallocDo(nil, in...) }
func (op denseMaskOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }
func (op colSumOp) Do(in ...G.Value) (G.Value, error)    { return op.UsePreallocDo(nil, in...) }

// matrices32 checks that the first n (at most 3) inputs are float32
// matrices and returns their data and shapes.
func matrices32(op G.Op, n int, in []G.Value) (data [3][]float32, shapes [3]tensor.Shape, err error) {
	if len(in) != op.Arity() {
		return data, shapes, fmt.Errorf("%v: %d inputs", op, len(in))
	}
	for i, v := range in[:n] {
		t, ok := v.(*tensor.Dense)
		if !ok || t.Dims() != 2 || !t.IsNativelyAccessible() || t.Dtype() != tensor.Float32 {
			return data, shapes, fmt.Errorf("%v: input %d is %T of shape %v, want a float32 matrix", op, i, v, v.Shape())
		}
		data[i], shapes[i] = t.Float32s(), t.Shape()
	}
	return data, shapes, nil
}

// output returns prealloc if it is a float32 tensor of the given shape,
// else a new one.
func output(prealloc G.Value, rows, cols int) *tensor.Dense {
	if p, ok := prealloc.(*tensor.Dense); ok && p.Dtype() == tensor.Float32 && p.Dims() == 2 &&
		p.Shape()[0] == rows && p.Shape()[1] == cols && p.IsNativelyAccessible() {
		return p
	}
	return tensor.New(tensor.Of(tensor.Float32), tensor.WithShape(rows, cols))
}

// gemm32 is tensor's MatMul call for row-major float32 matrices:
// c = op(a) op(b) through the installed BLAS, with beta 0.
func gemm32(transA, transB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32) {
	tA, tB := blas.NoTrans, blas.NoTrans
	if transA {
		tA = blas.Trans
	}
	if transB {
		tB = blas.Trans
	}
	blas32.Implementation().Sgemm(tA, tB, m, n, k, 1, a, lda, b, ldb, 0, c, n)
}

// UsePreallocDo computes act(x W + b).
func (op denseOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	d, s, err := matrices32(op, op.Arity(), in)
	if err != nil {
		return nil, err
	}
	n, k, out := s[0][0], s[0][1], s[1][1]
	if s[1][0] != k || s[2][0] != 1 || s[2][1] != out {
		return nil, fmt.Errorf("%v: shapes %v, %v, %v", op, s[0], s[1], s[2])
	}
	y := output(prealloc, n, out)
	yd := y.Float32s()
	mulInto(false, n, out, k, d[0], d[1], yd)
	b := d[2][:out]
	for r := 0; r < n; r++ {
		row := yd[r*out : (r+1)*out : (r+1)*out]
		for j, v := range b {
			row[j] += v
		}
	}
	if op.relu {
		reluForward32(yd, yd)
	}
	return y, nil
}

// UsePreallocDo computes op(a) op(b).
func (op matMulOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	d, s, err := matrices32(op, op.Arity(), in)
	if err != nil {
		return nil, err
	}
	m, n, k := op.dims(s[0], s[1])
	kb := s[1][0]
	if op.transB {
		kb = s[1][1]
	}
	if kb != k {
		return nil, fmt.Errorf("%v: shapes %v and %v", op, s[0], s[1])
	}
	c := output(prealloc, m, n)
	if op.transB {
		gemm32(false, true, m, n, k, d[0], s[0][1], d[1], s[1][1], c.Float32s())
	} else {
		mulInto(op.transA, m, n, k, d[0], d[1], c.Float32s())
	}
	return c, nil
}

// mulInto computes c = op(a) b (op(a) m x k, b k x n, row-major) with the
// installed BLAS, except when a is the identity (the generator's one-hot
// contexts, in its first layer forward and in that layer's dW): then every
// sum is 0 + b[i,j] with k-1 terms +-0 (the product's sums start from +0),
// which is b[i,j] with a -0 turned into +0, and mulInto writes that
// directly, skipping a multiply that is mostly overhead at this size.
func mulInto(transA bool, m, n, k int, a, b, c []float32) {
	if m == k && isIdentity(a, k) {
		for i, v := range b[:m*n] {
			c[i] = v + 0
		}
		return
	}
	lda := k
	if transA {
		lda = m
	}
	gemm32(transA, false, m, n, k, a, lda, b, n, c)
}

// isIdentity reports whether a (n x n) is the identity matrix.
func isIdentity(a []float32, n int) bool {
	if len(a) < n*n {
		return false
	}
	for i := 0; i < n; i++ {
		row := a[i*n : (i+1)*n]
		for j, v := range row {
			if (i == j && v != 1) || (i != j && v != 0) {
				return false
			}
		}
	}
	return true
}

// UsePreallocDo computes dz = mask(y) * dy.
func (op denseMaskOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	d, s, err := matrices32(op, op.Arity(), in)
	if err != nil {
		return nil, err
	}
	if !s[0].Eq(s[1]) {
		return nil, fmt.Errorf("%v: shapes %v and %v", op, s[0], s[1])
	}
	dz := output(prealloc, s[0][0], s[0][1])
	out := dz.Float32s()
	y, dy := d[0][:len(out)], d[1][:len(out)]
	for i, v := range y {
		out[i] = reluMaskOut(v) * dy[i]
	}
	return dz, nil
}

// UsePreallocDo sums the rows: row 0, then each next row added, as tensor's
// Sum along axis 0.
func (op colSumOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	d, s, err := matrices32(op, op.Arity(), in)
	if err != nil {
		return nil, err
	}
	rows, cols := s[0][0], s[0][1]
	sum := output(prealloc, 1, cols)
	out := sum.Float32s()[:cols]
	copy(out, d[0][:cols])
	for r := 1; r < rows; r++ {
		row := d[0][r*cols : (r+1)*cols]
		for j, v := range row {
			out[j] += v
		}
	}
	return sum, nil
}
