package models

import (
	"math"
	"slices"
	"testing"

	"github.com/selfconsume/selfconsume/data"
)

func realSet(t testing.TB, seed uint64, c, v, n int) (*data.Table, data.Set) {
	t.Helper()
	q := data.Dirichlet(data.Stream(seed, data.PurposeRealData), c, v, 1)
	set := data.SampleJoint(data.Stream(seed, data.PurposeRealSample), n,
		data.NewSampler(data.UniformContext(c)), data.NewTableSampler(q))
	return q, set
}

// The count-table loss must equal the minibatch mean NLL computed from the
// float64 table, to float32 precision.
func TestGeneratorLossIsMinibatchNLL(t *testing.T) {
	t.Parallel()
	_, set := realSet(t, 1, 5, 7, 64)
	g, err := NewGenerator(GeneratorConfig{Contexts: 5, Tokens: 7, Hidden: []int{16, 16}, LR: 1e-3}, data.Stream(1, data.PurposeInit))
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	tab := g.Table()
	want := 0.0
	idx := make([]int32, len(set))
	for i, s := range set {
		idx[i] = int32(i)
		want -= math.Log(tab.At(int(s.Context), int(s.Token)))
	}
	want /= float64(len(set))
	g.fillBatch(set, idx)
	got, err := g.step()
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(got-want) > 1e-5*math.Abs(want) {
		t.Fatalf("graph loss %.8g, float64 NLL %.8g", got, want)
	}
}

// Maximum likelihood on many samples must recover the real table: KL(q||p)
// near the sampling floor (about (V-1)/(2 n/C) nats per context = 0.005).
func TestGeneratorFitsRealTable(t *testing.T) {
	t.Parallel()
	const C, V, n = 4, 8, 20000
	q, set := realSet(t, 2, C, V, n)
	g, err := NewGenerator(GeneratorConfig{Contexts: C, Tokens: V, Hidden: []int{32}, LR: 1e-2}, data.Stream(2, data.PurposeInit))
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	if _, err := g.Fit(set, 20, 256, data.Stream(2, data.PurposeTrain)); err != nil {
		t.Fatal(err)
	}
	p := g.Table()
	if err := p.Validate(1e-9); err != nil {
		t.Fatal(err)
	}
	kl := 0.0
	for c := 0; c < C; c++ {
		for y := 0; y < V; y++ {
			if qv := q.At(c, y); qv > 0 {
				kl += qv * math.Log(qv/p.At(c, y)) / C
			}
		}
	}
	if kl > 0.02 {
		t.Fatalf("KL(q||p) = %.4f after fitting, want < 0.02", kl)
	}
}

// The same seed and data give the same parameters; SetParams restores them.
func TestGeneratorDeterministicAndRestorable(t *testing.T) {
	t.Parallel()
	_, set := realSet(t, 3, 3, 5, 500)
	run := func() []float64 {
		g, err := NewGenerator(GeneratorConfig{Contexts: 3, Tokens: 5, Hidden: []int{8}, LR: 1e-2}, data.Stream(3, data.PurposeInit))
		if err != nil {
			t.Fatal(err)
		}
		defer g.Close()
		if _, err := g.Fit(set, 2, 64, data.Stream(3, data.PurposeTrain)); err != nil {
			t.Fatal(err)
		}
		return g.Params()
	}
	a, b := run(), run()
	if !slices.Equal(a, b) {
		t.Fatal("same seed gave different parameters")
	}
	g, _ := NewGenerator(GeneratorConfig{Contexts: 3, Tokens: 5, Hidden: []int{8}, LR: 1e-2}, data.Stream(9, data.PurposeInit))
	defer g.Close()
	if err := g.SetParams(a); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(g.Params(), a) {
		t.Fatal("SetParams did not restore the parameters")
	}
	if err := g.SetParams(a[:3]); err == nil {
		t.Fatal("SetParams accepted a short vector")
	}
}
