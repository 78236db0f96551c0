package curate

import (
	"math"
	"testing"

	"github.com/selfconsume/selfconsume/data"
)

// Luce keeps candidate k with probability softmax(score/tau)_k: a chi-square
// test over 100000 draws (3 degrees of freedom; 16.3 is the p = 0.001 point).
func TestLuceFrequencies(t *testing.T) {
	scores := []float64{0.5, -1, 2, 0.5}
	for _, tau := range []float64{0.5, 1, 3} {
		want := make([]float64, len(scores))
		z := 0.0
		for k, s := range scores {
			want[k] = math.Exp(s / tau)
			z += want[k]
		}
		rng := data.Stream(1, data.PurposeCurate)
		const n = 100000
		counts := make([]float64, len(scores))
		buf := make([]float64, len(scores))
		entropy := 0.0
		for i := 0; i < n; i++ {
			copy(buf, scores)
			k, h := Luce(rng, buf, tau)
			counts[k]++
			entropy = h
		}
		chi, wantH := 0.0, 0.0
		for k := range want {
			p := want[k] / z
			chi += (counts[k] - n*p) * (counts[k] - n*p) / (n * p)
			wantH -= p * math.Log(p)
		}
		if chi > 16.3 {
			t.Errorf("tau %g: chi-square %.1f (counts %v)", tau, chi, counts)
		}
		if math.Abs(entropy-wantH) > 1e-12 {
			t.Errorf("tau %g: entropy %g, want %g", tau, entropy, wantH)
		}
	}
}

// With tau = 0 the best candidate is kept; tied best candidates split evenly.
func TestLuceBestOfK(t *testing.T) {
	rng := data.Stream(2, data.PurposeCurate)
	counts := [4]int{}
	for i := 0; i < 20000; i++ {
		k, _ := Luce(rng, []float64{1, 3, 0, 3}, 0)
		counts[k]++
	}
	// Each tied candidate: 10000 expected, sd 71; 5 sd is 355.
	if counts[0] != 0 || counts[2] != 0 || math.Abs(float64(counts[1]-10000)) > 355 {
		t.Fatalf("best-of-K counts %v", counts)
	}
}

// Curating raises the curator's expected reward, and the reported gap and
// entropy are those of the choices made.
func TestCuratorRaisesReward(t *testing.T) {
	rng := data.Stream(3, data.PurposeReward)
	r := RandomReward(rng, 3, 6, 1)
	p := data.UniformTable(3, 6)
	ch := Chooser{K: 4, Tau: 0.5}
	set, st := ch.Tokens(data.Stream(3, data.PurposeCurate), 20000, r, data.NewSampler(data.UniformContext(3)), data.NewTableSampler(p))
	mean := 0.0
	for _, s := range set {
		mean += r.At(int(s.Context), int(s.Token)) / float64(len(set))
	}
	base := p.Expect(data.UniformContext(3), r)
	if mean < base+0.3 || st.Gap <= 0 || st.Entropy <= 0 || st.Entropy >= math.Log(4) {
		t.Fatalf("curated mean reward %.3f vs %.3f before; gap %.3f, entropy %.3f", mean, base, st.Gap, st.Entropy)
	}
}

// The run's curator (Chooser.Tokens) draws kept samples with the exact
// K-choice law (Law): per-cell z-scores with the binomial variance
// stay within 4.5 (about a 1e-5 two-sided tail per cell, 60 cells), for
// K = 2, 4 and best-of-3.
func TestChooserMatchesExactLaw(t *testing.T) {
	const C, V, n = 3, 20, 200000
	r := RandomReward(data.Stream(6, data.PurposeReward), C, V, 1)
	p := data.Dirichlet(data.Stream(6, data.PurposeRealData), C, V, 1)
	ctx := data.UniformContext(C)
	for _, law := range []Law{{K: 2, Tau: 1}, {K: 4, Tau: 0.5}, {K: 3, Tau: 0}} {
		exact := law.ApplyTable(p, r)
		ch := Chooser{K: law.K, Tau: law.Tau}
		set, _ := ch.Tokens(data.Stream(6, data.PurposeCurate, law.K), n, r, data.NewSampler(ctx), data.NewTableSampler(p))
		counts := make([]float64, C*V)
		for _, s := range set {
			counts[int(s.Context)*V+int(s.Token)]++
		}
		for c := 0; c < C; c++ {
			for y := 0; y < V; y++ {
				pc := ctx[c] * exact.At(c, y)
				sd := math.Sqrt(n * pc * (1 - pc))
				got := counts[c*V+y]
				if pc == 0 && got != 0 || pc > 0 && math.Abs(got-n*pc) > 4.5*sd {
					t.Fatalf("law %+v cell (%d,%d): %v kept, exact law expects %.1f +- %.1f", law, c, y, got, n*pc, sd)
				}
			}
		}
	}
}
