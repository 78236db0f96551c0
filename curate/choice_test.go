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

// Chooser.Tokens consumes the stream as the categorical curator always has
// (a context, its K candidates, then the Luce draw, group after group): a
// replay of those draws gives the same samples and, to the last bit, the
// same statistics.
func TestTokensReplay(t *testing.T) {
	const C, V, K, n = 3, 7, 4, 3000
	r := RandomReward(data.Stream(8, data.PurposeReward), C, V, 1)
	p := data.Dirichlet(data.Stream(8, data.PurposeRealData), C, V, 1)
	ctx, gen := data.NewSampler(data.UniformContext(C)), data.NewTableSampler(p)
	for _, tau := range []float64{0.5, 0} {
		set, st := Chooser{K: K, Tau: tau}.Tokens(data.Stream(8, data.PurposeCurate), n, r, ctx, gen)
		rng := data.Stream(8, data.PurposeCurate)
		var ent, gap float64
		w := make([]float64, K)
		for g := 0; g < n; g++ {
			c := ctx.Draw(rng)
			cand := make([]int, K)
			for k := range cand {
				cand[k] = gen.Draw(rng, c)
				w[k] = r.At(c, cand[k])
			}
			k, h := Luce(rng, w, tau)
			if set[g] != (data.Sample{Context: int32(c), Token: int32(cand[k])}) {
				t.Fatalf("tau %g group %d: kept %+v, replay keeps (%d, %d)", tau, g, set[g], c, cand[k])
			}
			rej := 0.0
			for q, y := range cand {
				if q != k {
					rej += r.At(c, y)
				}
			}
			ent += h
			gap += r.At(c, cand[k]) - rej/(K-1)
		}
		if st.Groups != n || st.Entropy != ent/n || st.Gap != gap/n {
			t.Fatalf("tau %g: stats %+v, replay {%d %g %g}", tau, st, n, ent/n, gap/n)
		}
	}
}

// Chooser.Points on fixed candidate scores: every kept point is the
// candidate of its group that a replay of the Luce draws keeps, the entropy is the exact mean Luce entropy (1e-12),
// and the gap's mean lies within 5 standard errors of its expectation
// sum_k P(k) (s_k - mean of the others), per group under the Luce law.
func TestPointsStats(t *testing.T) {
	const K, n = 4, 20000
	rng := data.Stream(9, data.PurposeReward)
	scores := make([]float64, K*n)
	cand := make([]float64, 2*K*n)
	for i := range scores {
		scores[i] = rng.NormFloat64()
		cand[2*i], cand[2*i+1] = float64(i/K), float64(i%K) // (group, index)
	}
	for _, tau := range []float64{0.7, 0} {
		kept, st := Chooser{K: K, Tau: tau}.Points(data.Stream(9, data.PurposeCurate), cand, scores)
		if len(kept) != 2*n || st.Groups != n {
			t.Fatalf("tau %g: %d coordinates kept, %d groups", tau, len(kept), st.Groups)
		}
		var ent, wantGap, varGap, gotGap float64
		replay := data.Stream(9, data.PurposeCurate) // the planar curator's order: one Luce draw per group
		buf := make([]float64, K)
		for g := 0; g < n; g++ {
			s := scores[g*K : (g+1)*K]
			copy(buf, s)
			if k, _ := Luce(replay, buf, tau); int(kept[2*g]) != g || int(kept[2*g+1]) != k {
				t.Fatalf("tau %g: group %d kept candidate (%g, %g), replay keeps (%d, %d)", tau, g, kept[2*g], kept[2*g+1], g, k)
			}
			sum := 0.0
			for _, v := range s {
				sum += v
			}
			gapOf := func(k int) float64 { return s[k] - (sum-s[k])/(K-1) }
			gotGap += gapOf(int(kept[2*g+1]))
			w := make([]float64, K)
			copy(w, s)
			_, h := Luce(data.Stream(0, 0), w, tau) // w: the unnormalised Luce weights
			ent += h
			z := 0.0
			for _, v := range w {
				z += v
			}
			m, m2 := 0.0, 0.0
			for k, v := range w {
				m += v / z * gapOf(k)
				m2 += v / z * gapOf(k) * gapOf(k)
			}
			wantGap += m
			varGap += m2 - m*m
		}
		if math.Abs(st.Entropy-ent/n) > 1e-12 || math.Abs(st.Gap-gotGap/n) > 1e-12 {
			t.Fatalf("tau %g: stats %+v, recomputed entropy %g gap %g", tau, st, ent/n, gotGap/n)
		}
		if se := math.Sqrt(varGap) / n; math.Abs(st.Gap-wantGap/n) > 5*se+1e-12 {
			t.Errorf("tau %g: gap %.4f, expected %.4f +- %.4f", tau, st.Gap, wantGap/n, se)
		}
	}
}
