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
	Gap     float64 // mean learned reward of the kept candidate minus the mean of the rejected ones
}

// Chooser keeps one of K candidates with probability softmax(r/Tau) (Luce,
// Bradley-Terry); Tau == 0 keeps the best, ties split uniformly.
type Chooser struct {
	K      int
	Tau    float64
	Reward *data.Table // the curator's reward on every (context, token)
}

// Curate draws n curated samples: for each, a context from ctx, K candidate
// tokens from gen, and one kept by the Luce choice.
func (ch Chooser) Curate(rng *rand.Rand, n int, ctx *data.Sampler, gen *data.TableSampler) (data.Set, ChoiceStats) {
	out := make(data.Set, n)
	cand := make([]int, ch.K)
	w := make([]float64, ch.K)
	var st ChoiceStats
	for i := range out {
		c := ctx.Draw(rng)
		for k := range cand {
			cand[k] = gen.Draw(rng, c)
		}
		kept, ent := ch.choose(rng, c, cand, w)
		out[i] = data.Sample{Context: int32(c), Token: int32(cand[kept])}
		st.Entropy += ent
		if ch.K > 1 {
			rej := 0.0
			for k, y := range cand {
				if k != kept {
					rej += ch.Reward.At(c, y)
				}
			}
			st.Gap += ch.Reward.At(c, cand[kept]) - rej/float64(ch.K-1)
		}
	}
	st.Groups = n
	if n > 0 {
		st.Entropy /= float64(n)
		st.Gap /= float64(n)
	}
	return out, st
}

// choose returns the index kept among the candidates of context c and the
// entropy of the choice distribution; w is scratch of length K.
func (ch Chooser) choose(rng *rand.Rand, c int, cand []int, w []float64) (int, float64) {
	for k, y := range cand {
		w[k] = ch.Reward.At(c, y)
	}
	return Luce(rng, w, ch.Tau)
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
