package flow

import (
	"fmt"
	"hash"

	"github.com/chewxy/hm"
	"github.com/selfconsume/selfconsume/models"
	"gonum.org/v1/gonum/blas"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// The conditioners' layers as fused gorgonia ops. A layer y = act(x W + b)
// (x (B,in), W (in,out), b (1,out), act ReLU or the identity) built from
// gorgonia's parts is a Mul, a Repeat of b to (B,out), an Add and a ReLU,
// and its gradient a ReLU gradient, a column sum, a Reshape and two Muls;
// every one an instruction of its own that passes over the (B,out) values.
// The fused forward is one multiply and one pass adding the bias and
// applying the ReLU; the backward is the masked gradient g (one pass; the
// identity layer has none), the two products g W^T and x^T g, and g's column
// sum. Every value is the same operation on the same operands in the same
// order as gorgonia's (the same BLAS calls, the bias added to the product,
// the column sum from row 0 down), so training gives the same bits
// (TestFusedDenseMatchesGorgonia).

// dense adds the layer act(x W + b) to x's graph (act the ReLU when relu is
// set, else the identity). The gradient with respect to x is built only when
// x is computed (not a variable of the graph, whose gradient nothing needs).
func dense(x, w, b *G.Node, relu bool) (*G.Node, error) {
	return G.ApplyOp(denseOp{relu: relu, diffX: !x.IsVar()}, x, w, b)
}

// denseOp is a layer's forward pass: inputs x, W, b.
type denseOp struct{ relu, diffX bool }

// denseMaskOp is the ReLU's gradient read from the layer's output: inputs
// y and dy, output g = dy where the pre-activation was >= 0, else 0 * dy.
type denseMaskOp struct{}

// matMulOp is op(A) op(B) with A or B transposed as flagged: tB gives
// g W^T (the input gradient), tA gives x^T g (the weight gradient).
type matMulOp struct{ tA, tB bool }

// colSumOp sums a (B,n) matrix's rows into a (1,n) one (the bias gradient).
type colSumOp struct{}

func (denseOp) Arity() int     { return 3 }
func (denseMaskOp) Arity() int { return 2 }
func (matMulOp) Arity() int    { return 2 }
func (colSumOp) Arity() int    { return 1 }

func (denseOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	return hm.NewFnType(a, a, a, a)
}

func (denseMaskOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	return hm.NewFnType(a, a, a)
}

func (matMulOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	return hm.NewFnType(a, a, a)
}

func (colSumOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	return hm.NewFnType(a, a)
}

func (denseOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	x, w, err := twoShapes(in)
	if err != nil {
		return nil, err
	}
	return tensor.Shape{x[0], w[1]}, nil
}

func (denseMaskOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	return in[0].(tensor.Shape).Clone(), nil
}

func (op matMulOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	a, b, err := twoShapes(in)
	if err != nil {
		return nil, err
	}
	m, n := a[0], b[1]
	if op.tA {
		m = a[1]
	}
	if op.tB {
		n = b[0]
	}
	return tensor.Shape{m, n}, nil
}

func (colSumOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	s, ok := in[0].(tensor.Shape)
	if !ok || len(s) != 2 {
		return nil, fmt.Errorf("flow: column sum of %v; need a matrix", in[0])
	}
	return tensor.Shape{1, s[1]}, nil
}

// twoShapes returns the first two inputs' shapes, which must be matrices.
func twoShapes(in []G.DimSizer) (tensor.Shape, tensor.Shape, error) {
	a, ok1 := in[0].(tensor.Shape)
	b, ok2 := in[1].(tensor.Shape)
	if !ok1 || !ok2 || len(a) != 2 || len(b) != 2 {
		return nil, nil, fmt.Errorf("flow: dense layer inputs %v and %v; need matrices", in[0], in[1])
	}
	return a, b, nil
}

func (denseOp) ReturnsPtr() bool      { return false }
func (denseMaskOp) ReturnsPtr() bool  { return false }
func (matMulOp) ReturnsPtr() bool     { return false }
func (colSumOp) ReturnsPtr() bool     { return false }
func (denseOp) CallsExtern() bool     { return false }
func (denseMaskOp) CallsExtern() bool { return false }
func (matMulOp) CallsExtern() bool    { return false }
func (colSumOp) CallsExtern() bool    { return false }
func (denseOp) OverwritesInput() int  { return -1 }
func (denseMaskOp) OverwritesInput() int {
	return -1
}
func (matMulOp) OverwritesInput() int { return -1 }
func (colSumOp) OverwritesInput() int { return -1 }

func (op denseOp) String() string {
	return fmt.Sprintf("Dense(relu=%v, dx=%v)", op.relu, op.diffX)
}
func (denseMaskOp) String() string { return "DenseMask" }
func (op matMulOp) String() string { return fmt.Sprintf("MatMul(tA=%v, tB=%v)", op.tA, op.tB) }
func (colSumOp) String() string    { return "ColSum" }

// The hash names the op and its flags: gorgonia merges nodes of equal hash.
func (op denseOp) WriteHash(h hash.Hash)     { fmt.Fprint(h, op.String()) }
func (op denseMaskOp) WriteHash(h hash.Hash) { fmt.Fprint(h, op.String()) }
func (op matMulOp) WriteHash(h hash.Hash)    { fmt.Fprint(h, op.String()) }
func (op colSumOp) WriteHash(h hash.Hash)    { fmt.Fprint(h, op.String()) }
func (op denseOp) Hashcode() uint32          { return models.OpHash(op) }
func (op denseMaskOp) Hashcode() uint32      { return models.OpHash(op) }
func (op matMulOp) Hashcode() uint32         { return models.OpHash(op) }
func (op colSumOp) Hashcode() uint32         { return models.OpHash(op) }

// DiffWRT: a layer is differentiable in W and b, and in x unless x is an
// input of the graph.
func (op denseOp) DiffWRT(int) []bool { return []bool{op.diffX, true, true} }

// The gradient ops are not differentiated again.
func (denseMaskOp) DiffWRT(n int) []bool { return make([]bool, n) }
func (matMulOp) DiffWRT(n int) []bool    { return make([]bool, n) }
func (colSumOp) DiffWRT(n int) []bool    { return make([]bool, n) }

// SymDiff: with g the gradient at the pre-activation (dy masked by the ReLU,
// or dy itself), dx = g W^T, dW = x^T g and db = g's column sum.
func (op denseOp) SymDiff(in G.Nodes, y, dy *G.Node) (G.Nodes, error) {
	g := dy
	var err error
	if op.relu {
		if g, err = G.ApplyOp(denseMaskOp{}, y, dy); err != nil {
			return nil, err
		}
	}
	var dx *G.Node
	if op.diffX {
		if dx, err = G.ApplyOp(matMulOp{tB: true}, g, in[1]); err != nil {
			return nil, err
		}
	}
	dw, err := G.ApplyOp(matMulOp{tA: true}, in[0], g)
	if err != nil {
		return nil, err
	}
	db, err := G.ApplyOp(colSumOp{}, g)
	if err != nil {
		return nil, err
	}
	return G.Nodes{dx, dw, db}, nil
}

func (denseMaskOp) SymDiff(G.Nodes, *G.Node, *G.Node) (G.Nodes, error) {
	return nil, fmt.Errorf("flow: DenseMask has no derivative")
}

func (matMulOp) SymDiff(G.Nodes, *G.Node, *G.Node) (G.Nodes, error) {
	return nil, fmt.Errorf("flow: MatMul gradient op has no derivative")
}

func (colSumOp) SymDiff(G.Nodes, *G.Node, *G.Node) (G.Nodes, error) {
	return nil, fmt.Errorf("flow: ColSum has no derivative")
}

func (op denseOp) Do(in ...G.Value) (G.Value, error)     { return op.UsePreallocDo(nil, in...) }
func (op denseMaskOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }
func (op matMulOp) Do(in ...G.Value) (G.Value, error)    { return op.UsePreallocDo(nil, in...) }
func (op colSumOp) Do(in ...G.Value) (G.Value, error)    { return op.UsePreallocDo(nil, in...) }

// denseArgs returns the inputs as dense tensors of one float dtype.
func denseArgs(name string, n int, in []G.Value) ([]*tensor.Dense, error) {
	if len(in) != n {
		return nil, fmt.Errorf("flow: %s: %d inputs, need %d", name, len(in), n)
	}
	out := make([]*tensor.Dense, n)
	for i, v := range in {
		d, ok := v.(*tensor.Dense)
		if !ok || !d.IsNativelyAccessible() || (d.Dtype() != tensor.Float32 && d.Dtype() != tensor.Float64) || d.Dtype() != in[0].Dtype() {
			return nil, fmt.Errorf("flow: %s: input %d is %T of %v", name, i, v, v.Dtype())
		}
		out[i] = d
	}
	return out, nil
}

// output returns prealloc if it is a dense tensor of the shape and dtype,
// else a new one.
func output(prealloc G.Value, dt tensor.Dtype, shape ...int) *tensor.Dense {
	if p, ok := prealloc.(*tensor.Dense); ok && p.Dtype() == dt && p.Shape().Eq(tensor.Shape(shape)) && p.IsNativelyAccessible() {
		return p
	}
	return tensor.New(tensor.Of(dt), tensor.WithShape(shape...))
}

// gemm is C = op(A) op(B) for row-major A (m,k) or, transposed, (k,m), and
// B (k,n) or (n,k), as gorgonia's Mul calls its BLAS (alpha 1, beta 0, the
// same leading dimensions), so that the products have its bits. A product
// with shared dimension 1 and at least two rows and columns (the first
// layer's forward, the heads' input gradients) is an outer product done row
// by row (outerRow): the BLAS gives each element as +0 plus the rounded
// product (the kernels add their sums into the cleared output; gonum's gemm
// does the same, or leaves the +0 where a factor is 0), and so does
// outerRow. Thinner products go to the BLAS, whose gemv may keep a -0.
func gemm[T float](tA, tB bool, m, n, k int, a, b, c []T) {
	if k == 1 && m > 1 && n > 1 {
		// op(A) is a's m numbers and op(B) b's n, whichever the transposes
		for i, s := range a[:m] {
			outerRow(c[i*n:(i+1)*n], b[:n], s)
		}
		return
	}
	ta, tb, lda, ldb := blas.NoTrans, blas.NoTrans, k, n
	if tA {
		ta, lda = blas.Trans, m
	}
	if tB {
		tb, ldb = blas.Trans, k
	}
	switch a := any(a).(type) {
	case []float32:
		G.WhichBLAS().Sgemm(ta, tb, m, n, k, 1, a, lda, any(b).([]float32), ldb, 0, any(c).([]float32), n)
	case []float64:
		G.WhichBLAS().Dgemm(ta, tb, m, n, k, 1, a, lda, any(b).([]float64), ldb, 0, any(c).([]float64), n)
	}
}

// UsePreallocDo computes act(x W + b) into prealloc when it fits.
func (op denseOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	t, err := denseArgs("Dense", 3, in)
	if err != nil {
		return nil, err
	}
	xs, ws, bs := t[0].Shape(), t[1].Shape(), t[2].Shape()
	if len(xs) != 2 || len(ws) != 2 || xs[1] != ws[0] || bs.TotalSize() != ws[1] {
		return nil, fmt.Errorf("flow: Dense: shapes %v, %v, %v", xs, ws, bs)
	}
	y := output(prealloc, t[0].Dtype(), xs[0], ws[1])
	switch x := t[0].Data().(type) {
	case []float32:
		denseForward(op.relu, xs[0], ws[1], xs[1], x, t[1].Data().([]float32), t[2].Data().([]float32), y.Data().([]float32))
	case []float64:
		denseForward(op.relu, xs[0], ws[1], xs[1], x, t[1].Data().([]float64), t[2].Data().([]float64), y.Data().([]float64))
	}
	return y, nil
}

// denseForward sets y (rows,out) = act(x W + b).
func denseForward[T float](relu bool, rows, out, in int, x, w, b, y []T) {
	if relu && in == 1 && rows > 1 && out > 1 { // gemm's outer product and the bias and ReLU in one pass
		for i, s := range x[:rows] {
			outerBiasReLU(y[i*out:(i+1)*out], w[:out], b[:out], s)
		}
		return
	}
	gemm(false, false, rows, out, in, x, w, y)
	for i := 0; i < rows; i++ {
		row := y[i*out : (i+1)*out]
		if relu {
			biasReLU(row, b)
			continue
		}
		for j, v := range b[:len(row)] {
			row[j] += v
		}
	}
}

// UsePreallocDo computes g = mask * dy into prealloc when it fits.
func (denseMaskOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	t, err := denseArgs("DenseMask", 2, in)
	if err != nil {
		return nil, err
	}
	if !t[0].Shape().Eq(t[1].Shape()) {
		return nil, fmt.Errorf("flow: DenseMask: shapes %v and %v", t[0].Shape(), t[1].Shape())
	}
	g := output(prealloc, t[0].Dtype(), t[0].Shape()...)
	switch y := t[0].Data().(type) {
	case []float32:
		maskGrad(g.Data().([]float32), y, t[1].Data().([]float32))
	case []float64:
		maskGrad(g.Data().([]float64), y, t[1].Data().([]float64))
	}
	return g, nil
}

// UsePreallocDo computes op(A) op(B) into prealloc when it fits.
func (op matMulOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	t, err := denseArgs("MatMul", 2, in)
	if err != nil {
		return nil, err
	}
	as, bs := t[0].Shape(), t[1].Shape()
	m, k, n := as[0], as[1], bs[1]
	if op.tA {
		m, k = k, m
	}
	kb := bs[0]
	if op.tB {
		n, kb = kb, n
	}
	if len(as) != 2 || len(bs) != 2 || k != kb {
		return nil, fmt.Errorf("flow: %v: shapes %v and %v", op, as, bs)
	}
	c := output(prealloc, t[0].Dtype(), m, n)
	switch a := t[0].Data().(type) {
	case []float32:
		gemm(op.tA, op.tB, m, n, k, a, t[1].Data().([]float32), c.Data().([]float32))
	case []float64:
		gemm(op.tA, op.tB, m, n, k, a, t[1].Data().([]float64), c.Data().([]float64))
	}
	return c, nil
}

// UsePreallocDo sums the rows into prealloc when it fits.
func (colSumOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	t, err := denseArgs("ColSum", 1, in)
	if err != nil {
		return nil, err
	}
	s := t[0].Shape()
	if len(s) != 2 || s[0] < 1 {
		return nil, fmt.Errorf("flow: ColSum: shape %v", s)
	}
	c := output(prealloc, t[0].Dtype(), 1, s[1])
	switch g := t[0].Data().(type) {
	case []float32:
		colSum(c.Data().([]float32), g)
	case []float64:
		colSum(c.Data().([]float64), g)
	}
	return c, nil
}

// colSum sets sum to the sum of g's rows (len(sum) columns): row 0, then
// each following row added in turn, as gorgonia's Sum along axis 0.
func colSum[T float](sum, g []T) {
	n := len(sum)
	copy(sum, g[:n])
	for at := n; at+n <= len(g); at += n {
		addRow(sum, g[at:at+n])
	}
}
