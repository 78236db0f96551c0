package curate

import (
	"math"
	"math/rand/v2"

	"github.com/selfconsume/selfconsume/data"
)

// ChoiceStats summarises a batch of K-choice curations.
type ChoiceStats struct {
	Groups  int
	Entropy float64 // mean entropy (nats) of the Luce choice distribution over a group's K candidates
	Gap     float64 // mean curator score of the kept candidate minus the mean of the rejected ones
}

// Chooser is K-choice Luce (Bradley-Terry) curation of sampled candidates,
// the same for every family: shown K candidates, it keeps candidate k with
// probability softmax(score/Tau)_k; Tau == 0 keeps the best, ties split
// uniformly. The family supplies the candidates' scores (tokens scored by
// a reward table, points by a reward on the plane or a learned scorer).
type Chooser struct {
	K   int
	Tau float64
}

// Choose runs n groups of K candidates. For group g in order, scores(g, s)
// writes the curator's scores of the group's K candidates into s (it may draw
// the candidates from rng first); then the kept candidate is drawn from rng
// by the Luce law and reported as keep(g, k), k in [0, K). It returns the
// statistics of the n choices.
func (ch Chooser) Choose(rng *rand.Rand, n int, scores func(g int, s []float64), keep func(g, k int)) ChoiceStats {
	s := make([]float64, ch.K)
	w := make([]float64, ch.K)
	st := ChoiceStats{Groups: n}
	for g := 0; g < n; g++ {
		scores(g, s)
		copy(w, s)
		k, ent := Luce(rng, w, ch.Tau)
		keep(g, k)
		st.Entropy += ent
		if ch.K > 1 {
			rej := 0.0
			for q, v := range s {
				if q != k {
					rej += v
				}
			}
			st.Gap += s[k] - rej/float64(ch.K-1)
		}
	}
	if n > 0 {
		st.Entropy /= float64(n)
		st.Gap /= float64(n)
	}
	return st
}

// Tokens draws n curated samples of a categorical family: for each, a
// context from ctx, K candidate tokens from gen, and one kept by Choose with
// the curator's reward table as the score.
func (ch Chooser) Tokens(rng *rand.Rand, n int, reward *data.Table, ctx *data.Sampler, gen *data.TableSampler) (data.Set, ChoiceStats) {
	out := make(data.Set, n)
	cand := make([]int, ch.K)
	c := 0
	st := ch.Choose(rng, n, func(_ int, s []float64) {
		c = ctx.Draw(rng)
		for k := range cand {
			cand[k] = gen.Draw(rng, c)
			s[k] = reward.At(c, cand[k])
		}
	}, func(g, k int) {
		out[g] = data.Sample{Context: int32(c), Token: int32(cand[k])}
	})
	return out, st
}

// Points curates n groups of K candidate points of a planar family:
// cand holds the n*K candidates (x, y pairs, group by group) and scores
// their curator scores. It returns the kept points (x, y pairs).
func (ch Chooser) Points(rng *rand.Rand, cand, scores []float64) ([]float64, ChoiceStats) {
	K := ch.K
	n := len(scores) / K
	kept := make([]float64, 0, 2*n)
	st := ch.Choose(rng, n, func(g int, s []float64) {
		copy(s, scores[g*K:(g+1)*K])
	}, func(g, k int) {
		kept = append(kept, cand[2*(g*K+k)], cand[2*(g*K+k)+1])
	})
	return kept, st
}

// Luce draws one index with probability softmax(score/tau) (tau == 0: the
// best, ties split uniformly) and returns it with the entropy of that choice
// distribution. It overwrites scores with the unnormalised weights.
func Luce(rng *rand.Rand, scores []float64, tau float64) (int, float64) {
	if len(scores) == 1 {
		return 0, 0
	}
	mx := math.Inf(-1)
	for _, r := range scores {
		mx = math.Max(mx, r)
	}
	total := 0.0
	for k, r := range scores {
		switch {
		case tau > 0:
			scores[k] = math.Exp((r - mx) / tau)
		case r == mx:
			scores[k] = 1
		default:
			scores[k] = 0
		}
		total += scores[k]
	}
	ent := 0.0
	for _, v := range scores {
		if v > 0 {
			p := v / total
			ent -= p * math.Log(p)
		}
	}
	u := rng.Float64() * total
	for k, v := range scores {
		u -= v
		if u < 0 {
			return k, ent
		}
	}
	for k := len(scores) - 1; k >= 0; k-- { // rounding: the last candidate with weight
		if scores[k] > 0 {
			return k, ent
		}
	}
	return 0, ent
}
