package curate

import (
	"math/rand/v2"

	"github.com/selfconsume/selfconsume/data"
)

// Pair is one labelled comparison of two tokens answering the same context:
// the labeller preferred Winner over Loser.
type Pair struct {
	Context, Winner, Loser int32
}

// Labeller draws Bradley-Terry preference labels from a true reward table:
// token a beats b with probability sigmoid((r(a) - r(b)) / Temperature), and
// the label is then flipped with probability Noise. Temperature 0 labels by
// the larger reward (ties at random).
type Labeller struct {
	Truth       *data.Table
	Temperature float64
	Noise       float64
}

// Label returns the labelled pair for candidates a and b in context c.
func (l Labeller) Label(rng *rand.Rand, c, a, b int) Pair {
	if PreferFirst(rng, l.Truth.At(c, a), l.Truth.At(c, b), l.Temperature, l.Noise) {
		return Pair{int32(c), int32(a), int32(b)}
	}
	return Pair{int32(c), int32(b), int32(a)}
}
