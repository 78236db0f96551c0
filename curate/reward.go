package curate

import (
	"math/rand/v2"

	"github.com/selfconsume/selfconsume/data"
)

// RandomReward draws a C x V reward table with independent N(0, scale^2)
// entries. The table is a plain matrix, not a distribution.
func RandomReward(rng *rand.Rand, c, v int, scale float64) *data.Table {
	t := data.NewTable(c, v)
	for i := range t.P {
		t.P[i] = scale * rng.NormFloat64()
	}
	return t
}

// Negate returns -r: the reward of a population whose preferences conflict
// with r's.
func Negate(r *data.Table) *data.Table {
	t := r.Clone()
	for i := range t.P {
		t.P[i] = -t.P[i]
	}
	return t
}
