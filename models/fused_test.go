package models

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// fusedCase is one graph: a two-layer network (ReLU between the layers) on
// x, the count-weighted cross-entropy against w, its gradients with respect
// to x and the four parameters, and the loss and gradients after one run.
func fusedCase(t *testing.T, fused bool, x, w, w1, b1, w2, b2 []float32, n, in, hid, out int) (float32, [][]float32) {
	t.Helper()
	buildMu.Lock()
	g := G.NewGraph()
	mat := func(name string, r, c int, v []float32) *G.Node {
		return G.NewMatrix(g, tensor.Float32, G.WithShape(r, c), G.WithName(name),
			G.WithValue(tensor.New(tensor.WithShape(r, c), tensor.WithBacking(append([]float32(nil), v...)))))
	}
	xn, wn := mat("x", n, in, x), mat("w", n, out, w)
	p := G.Nodes{xn, mat("w1", in, hid, w1), mat("b1", 1, hid, b1), mat("w2", hid, out, w2), mat("b2", 1, out, b2)}
	var loss *G.Node
	if fused {
		h := G.Must(Dense(xn, p[1], p[2], true, true))
		loss = G.Must(CountCE(G.Must(Dense(h, p[3], p[4], false, true)), wn))
	} else {
		m := &mlp{sizes: []int{in, hid, out}, params: p[1:], act: G.Rectify}
		loss = G.Must(m.countLoss(G.Must(m.forward(xn)), wn))
	}
	if _, err := G.Grad(loss, p...); err != nil {
		buildMu.Unlock()
		t.Fatal(err)
	}
	buildMu.Unlock()
	vm := G.NewTapeMachine(g, G.BindDualValues(p...))
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		t.Fatal(err)
	}
	grads := make([][]float32, len(p))
	for i, n := range p {
		gv, err := n.Grad()
		if err != nil {
			t.Fatal(err)
		}
		grads[i] = append([]float32(nil), gv.Data().([]float32)...)
	}
	return loss.Value().Data().(float32), grads
}

// Dense and CountCE give the composed graph's loss and gradients bit for bit
// (tolerance 0: they do the same float32 operations in the same order), on
// inputs with negative and exactly zero pre-activations, zero-weight rows,
// logits far from 0 and ties for a row's maximum.
func TestDenseCountCEMatchComposed(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(3, 4))
	for _, sz := range [][4]int{{16, 16, 32, 64}, {5, 3, 7, 2}, {1, 9, 6, 11}} {
		n, in, hid, out := sz[0], sz[1], sz[2], sz[3]
		t.Run(fmt.Sprint(sz), func(t *testing.T) {
			draw := func(k int, scale float64) []float32 {
				v := make([]float32, k)
				for i := range v {
					v[i] = float32(scale * rng.NormFloat64())
				}
				return v
			}
			x, w1, b1, w2, b2 := draw(n*in, 1), draw(in*hid, 1), draw(hid, 1), draw(hid*out, 3), draw(out, 1)
			b2[0] = 60 // logits far from 0: the maximum must be subtracted
			x[0], w1[0], b1[0] = 0, 0, 0
			w := make([]float32, n*out)
			for i := range w {
				if rng.IntN(3) > 0 {
					w[i] = float32(rng.IntN(5)) / float32(n)
				}
			}
			if n > 1 {
				clear(w[out : 2*out]) // a context absent from the batch
			}
			l1, g1 := fusedCase(t, false, x, w, w1, b1, w2, b2, n, in, hid, out)
			l2, g2 := fusedCase(t, true, x, w, w1, b1, w2, b2, n, in, hid, out)
			if math.Float32bits(l1) != math.Float32bits(l2) {
				t.Fatalf("loss: composed %v, fused %v", l1, l2)
			}
			for i := range g1 {
				for j := range g1[i] {
					if math.Float32bits(g1[i][j]) != math.Float32bits(g2[i][j]) {
						t.Fatalf("gradient %d[%d]: composed %v, fused %v", i, j, g1[i][j], g2[i][j])
					}
				}
			}
		})
	}
	// Ties for the maximum: both tied logits get the maximum's gradient term.
	x := []float32{2, 2, -1, 0.5}
	w := []float32{0.25, 0, 0.5, 0.25}
	eye := []float32{1}
	l1, g1 := fusedCase(t, false, eye, w, eye, []float32{0}, x, make([]float32, 4), 1, 1, 1, 4)
	l2, g2 := fusedCase(t, true, eye, w, eye, []float32{0}, x, make([]float32, 4), 1, 1, 1, 4)
	if math.Float32bits(l1) != math.Float32bits(l2) {
		t.Fatalf("ties: loss composed %v, fused %v", l1, l2)
	}
	for j := range g1[3] {
		if math.Float32bits(g1[3][j]) != math.Float32bits(g2[3][j]) {
			t.Fatalf("ties: dW2[%d] composed %v, fused %v", j, g1[3][j], g2[3][j])
		}
	}
}

// reluMaskOut reads ReLU's mask off its output: 1 for positive and +0
// outputs, 0 for -0 (a negative input) and NaN.
func TestReluMaskOut(t *testing.T) {
	t.Parallel()
	negZero := float32(math.Copysign(0, -1))
	for _, c := range []struct{ x, want float32 }{
		{2, 1}, {0, 1}, {negZero, 0}, {float32(math.NaN()), 0}, {float32(math.Inf(1)), 1},
	} {
		if got := reluMaskOut(c.x); got != c.want {
			t.Errorf("reluMaskOut(%v) = %v, want %v", c.x, got, c.want)
		}
	}
	// The forward pass maps every input to an output whose mask is
	// reluMask's: negative -> -0, +0 -> +0, NaN -> NaN.
	for _, x := range []float32{-3, 0, 1.5, float32(math.NaN()), float32(math.Inf(-1))} {
		y := []float32{0}
		reluForward(y, []float32{x})
		if reluMaskOut(y[0]) != reluMask(x) {
			t.Errorf("x = %v: y = %v, mask of y %v, mask of x %v", x, y[0], reluMaskOut(y[0]), reluMask(x))
		}
	}
}

// CountCE's gradient op uses the forward pass's exponentials only for the
// same logits: with a cache filled from other logits, or none, it computes
// the same bits from its own inputs.
func TestCountCEGradCache(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(5, 6))
	const rows, cols = 3, 7
	x, other, w := make([]float32, rows*cols), make([]float32, rows*cols), make([]float32, rows*cols)
	for i := range x {
		x[i], other[i], w[i] = float32(rng.NormFloat64()), float32(rng.NormFloat64()), float32(rng.IntN(3))/rows
	}
	dense := func(v []float32) *tensor.Dense {
		return tensor.New(tensor.WithShape(rows, cols), tensor.WithBacking(append([]float32(nil), v...)))
	}
	grad := func(c *ceCache) []float32 {
		v, err := countCEGradOp{c: c}.Do(dense(x), dense(w), G.NewF32(1))
		if err != nil {
			t.Fatal(err)
		}
		return v.(*tensor.Dense).Float32s()
	}
	want := grad(new(ceCache).fill(x, rows, cols))
	for name, c := range map[string]*ceCache{"stale": new(ceCache).fill(other, rows, cols), "empty": new(ceCache), "nil": nil} {
		got := grad(c)
		for i := range want {
			if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
				t.Fatalf("%s cache: dx[%d] = %v, want %v", name, i, got[i], want[i])
			}
		}
	}
}

// mulInto's identity shortcut gives the multiply's bits, -0 and +0 entries
// of b included, with a transposed identity too.
func TestMulIntoIdentity(t *testing.T) {
	t.Parallel()
	const k, n = 5, 7
	eye := make([]float32, k*k)
	for i := 0; i < k; i++ {
		eye[i*k+i] = 1
	}
	b := make([]float32, k*n)
	for i := range b {
		b[i] = float32(i%4) - 1.5
	}
	b[0], b[3], b[10] = float32(math.Copysign(0, -1)), 0, float32(math.Copysign(0, -1))
	for _, transA := range []bool{false, true} {
		got, want := make([]float32, k*n), make([]float32, k*n)
		mulInto(transA, k, n, k, eye, b, got)
		gemm32(transA, false, k, n, k, eye, k, b, n, want)
		for i := range want {
			if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
				t.Fatalf("transA %t: c[%d] = %v, the multiply gives %v", transA, i, got[i], want[i])
			}
		}
	}
	if isIdentity([]float32{1, 0, 0.5, 1}, 2) || !isIdentity([]float32{1, 0, 0, 1}, 2) {
		t.Fatal("isIdentity is wrong")
	}
}
