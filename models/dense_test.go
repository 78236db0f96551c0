package models

import (
	"math"
	"math/rand/v2"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/selfconsume/selfconsume/data"
)

// denseGenerator is the textbook form of the generator step: a B x C one-hot
// batch through the MLP and the mean cross-entropy against B x V one-hot
// targets. It exists to check and to measure the count-table form.
type denseGenerator struct {
	net    *mlp
	vm     G.VM
	solver *G.AdamSolver
	loss   *G.Node
	x, y   []float32
	c, v   int
}

func newDenseGenerator(tb testing.TB, cfg GeneratorConfig, batch int, rng *rand.Rand) *denseGenerator {
	buildMu.Lock()
	defer buildMu.Unlock()
	g := G.NewGraph()
	d := &denseGenerator{x: make([]float32, batch*cfg.Contexts), y: make([]float32, batch*cfg.Tokens), c: cfg.Contexts, v: cfg.Tokens}
	x := G.NewMatrix(g, tensor.Float32, G.WithShape(batch, cfg.Contexts), G.WithName("x"),
		G.WithValue(tensor.New(tensor.WithShape(batch, cfg.Contexts), tensor.WithBacking(d.x))))
	y := G.NewMatrix(g, tensor.Float32, G.WithShape(batch, cfg.Tokens), G.WithName("y"),
		G.WithValue(tensor.New(tensor.WithShape(batch, cfg.Tokens), tensor.WithBacking(d.y))))
	d.net = newMLP(g, "dense", append(append([]int{cfg.Contexts}, cfg.Hidden...), cfg.Tokens), ReLU, rng)
	logits := G.Must(d.net.forward(x))
	logp := G.Must(stableLogSoftMax(logits))
	sum := G.Must(G.Sum(G.Must(G.HadamardProd(y, logp))))
	d.loss = G.Must(G.Neg(G.Must(G.Div(sum, G.NewConstant(float32(batch))))))
	if _, err := G.Grad(d.loss, d.net.params...); err != nil {
		tb.Fatal(err)
	}
	d.vm = G.NewTapeMachine(g, G.BindDualValues(d.net.params...))
	d.solver = G.NewAdamSolver(G.WithLearnRate(cfg.LR))
	return d
}

func (d *denseGenerator) step(set data.Set) (float64, error) {
	clear(d.x)
	clear(d.y)
	for b, s := range set {
		d.x[b*d.c+int(s.Context)] = 1
		d.y[b*d.v+int(s.Token)] = 1
	}
	if err := d.vm.RunAll(); err != nil {
		return 0, err
	}
	l := float64(d.loss.Value().Data().(float32))
	err := d.solver.Step(G.NodesToValueGrads(d.net.params))
	d.vm.Reset()
	return l, err
}

// The count-table step is the dense step: same loss and, after 20 Adam
// steps from the same parameters on the same batches, the same parameters to
// float32 rounding (relative 1e-4).
func TestCountTableStepEqualsDenseStep(t *testing.T) {
	t.Parallel()
	cfg := GeneratorConfig{Contexts: 6, Tokens: 10, Hidden: []int{16, 16}, LR: 1e-2}
	const B = 64
	_, set := realSet(t, 5, cfg.Contexts, cfg.Tokens, 20*B)
	g, err := NewGenerator(cfg, data.Stream(5, data.PurposeInit))
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	d := newDenseGenerator(t, cfg, B, data.Stream(6, data.PurposeInit))
	defer d.vm.Close()
	if err := d.net.setFlat(g.net.flat()); err != nil {
		t.Fatal(err)
	}
	idx := make([]int32, B)
	for s := 0; s < 20; s++ {
		batch := set[s*B : (s+1)*B]
		for i := range idx {
			idx[i] = int32(s*B + i)
		}
		g.fillBatch(set, idx)
		lc, err := g.step()
		if err != nil {
			t.Fatal(err)
		}
		ld, err := d.step(batch)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(lc-ld) > 1e-5*math.Abs(ld) {
			t.Fatalf("step %d: count-table loss %.8g, dense loss %.8g", s, lc, ld)
		}
	}
	a, b := g.net.flat(), d.net.flat()
	var diff, norm float64
	for i := range a {
		diff += (float64(a[i]) - float64(b[i])) * (float64(a[i]) - float64(b[i]))
		norm += float64(b[i]) * float64(b[i])
	}
	if rel := math.Sqrt(diff / norm); rel > 1e-4 {
		t.Fatalf("parameters differ by %.2g (relative L2) after 20 steps", rel)
	}
}

// BenchmarkGeneratorStepDense is the textbook B x C step at bench-cat's
// sizes, for comparison with BenchmarkGeneratorStep.
func BenchmarkGeneratorStepDense(b *testing.B) {
	cfg := GeneratorConfig{Contexts: 16, Tokens: 64, Hidden: []int{128, 128}, LR: 1e-3}
	_, set := realSet(b, 1, 16, 64, 256)
	d := newDenseGenerator(b, cfg, 256, data.Stream(1, data.PurposeInit))
	defer d.vm.Close()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := d.step(set); err != nil {
			b.Fatal(err)
		}
	}
}
