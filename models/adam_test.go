package models

import (
	"math"
	"math/rand/v2"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// adamNet is a two-layer regression graph for comparing optimisers.
type adamNet struct {
	vm     G.VM
	params G.Nodes
}

func newAdamNet(t *testing.T, dt tensor.Dtype) adamNet {
	t.Helper()
	g := G.NewGraph()
	rng := rand.New(rand.NewPCG(3, 4))
	fill := func(n int) any {
		if dt == tensor.Float32 {
			s := make([]float32, n)
			for i := range s {
				s[i] = float32(rng.NormFloat64())
			}
			return s
		}
		s := make([]float64, n)
		for i := range s {
			s[i] = rng.NormFloat64()
		}
		return s
	}
	dense := func(r, c int) *tensor.Dense { return tensor.New(tensor.WithShape(r, c), tensor.WithBacking(fill(r*c))) }
	x := G.NewMatrix(g, dt, G.WithShape(16, 5), G.WithValue(dense(16, 5)), G.WithName("x"))
	y := G.NewMatrix(g, dt, G.WithShape(16, 3), G.WithValue(dense(16, 3)), G.WithName("y"))
	w1 := G.NewMatrix(g, dt, G.WithShape(5, 7), G.WithValue(dense(5, 7)), G.WithName("w1"))
	w2 := G.NewMatrix(g, dt, G.WithShape(7, 3), G.WithValue(dense(7, 3)), G.WithName("w2"))
	h := G.Must(G.Tanh(G.Must(G.Mul(x, w1))))
	loss := G.Must(G.Mean(G.Must(G.Square(G.Must(G.Sub(G.Must(G.Mul(h, w2)), y))))))
	params := G.Nodes{w1, w2}
	if _, err := G.Grad(loss, params...); err != nil {
		t.Fatal(err)
	}
	return adamNet{vm: G.NewTapeMachine(g, G.BindDualValues(params...)), params: params}
}

// TestAdamMatchesGorgonia holds the in-place Adam to gorgonia's AdamSolver
// bit for bit over 50 steps with a learning-rate change, in float32 (with
// and without the vector kernel; 35 and 21 parameters, so whole vectors and
// tails) and float64, and checks it zeroes the gradients.
func TestAdamMatchesGorgonia(t *testing.T) {
	t.Parallel()
	for _, run := range []struct {
		dt     tensor.Dtype
		vector bool
	}{{tensor.Float32, true}, {tensor.Float32, false}, {tensor.Float64, false}} {
		dt := run.dt
		ref, got := newAdamNet(t, dt), newAdamNet(t, dt)
		solver, adam := G.NewAdamSolver(G.WithLearnRate(0.01)), NewAdam(0.01)
		adam.plainGo = !run.vector
		for step := 0; step < 50; step++ {
			if step == 30 {
				G.WithLearnRate(0.003)(solver)
				adam.SetLR(0.003)
			}
			for _, n := range []adamNet{ref, got} {
				if err := n.vm.RunAll(); err != nil {
					t.Fatal(err)
				}
				n.vm.Reset()
			}
			if err := solver.Step(G.NodesToValueGrads(ref.params)); err != nil {
				t.Fatal(err)
			}
			if err := adam.Step(got.params); err != nil {
				t.Fatal(err)
			}
		}
		for i := range ref.params {
			want, have := flatFloat64(ref.params[i].Value().Data()), flatFloat64(got.params[i].Value().Data())
			for j := range want {
				if want[j] != have[j] {
					t.Fatalf("%v %s[%d]: gorgonia %v, in place %v", dt, ref.params[i].Name(), j, want[j], have[j])
				}
			}
			gv, _ := got.params[i].Grad()
			for j, g := range flatFloat64(gv.Data()) {
				if g != 0 {
					t.Fatalf("%v gradient %s[%d] = %g after Step, want 0", dt, got.params[i].Name(), j, g)
				}
			}
		}
		if math.IsNaN(flatFloat64(got.params[0].Value().Data())[0]) {
			t.Fatal("NaN")
		}
	}
}

// flatFloat64 widens a float32 or float64 backing slice.
func flatFloat64(d any) []float64 {
	switch s := d.(type) {
	case []float64:
		return s
	case []float32:
		out := make([]float64, len(s))
		for i, v := range s {
			out[i] = float64(v)
		}
		return out
	}
	return nil
}

// The vector Adam (16 wide, then 8 wide, then Go) gives the Go loop's bits
// for every length, whole vectors and tails.
func TestAdamVectorMatchesGo(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(11, 12))
	for n := 0; n <= 50; n++ {
		var w, g, m, v [2][]float32
		for k := range w {
			w[k], g[k], m[k], v[k] = make([]float32, n), make([]float32, n), make([]float32, n), make([]float32, n)
		}
		for i := 0; i < n; i++ {
			a, b, c, d := float32(rng.NormFloat64()), float32(rng.NormFloat64()), float32(rng.NormFloat64()), float32(rng.ExpFloat64())
			for k := range w {
				w[k][i], g[k][i], m[k][i], v[k][i] = a, b, c, d
			}
		}
		adamUpdate(w[0], g[0], m[0], v[0], 1.5, 1.25, -0.01, 1e-8, float32Sqrt)
		adamF32(w[1], g[1], m[1], v[1], 1.5, 1.25, -0.01, 1e-8, true)
		for i := 0; i < n; i++ {
			for _, p := range [][2]float32{{w[0][i], w[1][i]}, {m[0][i], m[1][i]}, {v[0][i], v[1][i]}, {g[0][i], g[1][i]}} {
				if math.Float32bits(p[0]) != math.Float32bits(p[1]) {
					t.Fatalf("n=%d i=%d: Go %v, vector %v", n, i, p[0], p[1])
				}
			}
		}
	}
}
