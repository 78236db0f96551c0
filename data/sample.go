package data

import (
	"fmt"
	"math/rand/v2"
)

// Source says by which route a training sample reached a model.
type Source uint8

// The routes a sample can take into a training set.
const (
	Real Source = iota
	SelfRaw
	CrossRaw
	SelfCurated
	CrossCurated
	numSources
)

var sourceNames = [...]string{"real", "self-raw", "cross-raw", "self-curated", "cross-curated"}

// String returns the source's stable name.
func (s Source) String() string {
	if s < numSources {
		return sourceNames[s]
	}
	return fmt.Sprintf("source(%d)", uint8(s))
}

// Sources lists every source in order.
func Sources() []Source { return []Source{Real, SelfRaw, CrossRaw, SelfCurated, CrossCurated} }

// Sample is one training example with its route and producing model (From
// is -1 for real data): a (context, token) pair for categorical models, a
// point Pos of the plane for 2-D models.
type Sample struct {
	Context int32
	Token   int32
	Source  Source
	From    int16
	Pos     [2]float32
}

// Points returns the positions of the samples as a flat [x0, y0, x1, y1,
// ...] slice, the layout of Plane and the flows.
func (s Set) Points() []float64 {
	out := make([]float64, 2*len(s))
	for i, x := range s {
		out[2*i], out[2*i+1] = float64(x.Pos[0]), float64(x.Pos[1])
	}
	return out
}

// FromPoints makes untagged samples from a flat [x0, y0, x1, y1, ...] slice.
func FromPoints(xs []float64) Set {
	out := make(Set, len(xs)/2)
	for i := range out {
		out[i] = Sample{Pos: [2]float32{float32(xs[2*i]), float32(xs[2*i+1])}, From: -1}
	}
	return out
}

// Set is a training set.
type Set []Sample

// CountBySource returns how many samples came by each route.
func (s Set) CountBySource() map[Source]int {
	var n [256]int // counted in an array: a map increment per sample is slow
	for _, x := range s {
		n[x.Source]++
	}
	m := make(map[Source]int)
	for src, k := range n {
		if k > 0 {
			m[Source(src)] = k
		}
	}
	return m
}

// Tag sets the route and producer of every sample in s.
func (s Set) Tag(src Source, from int) {
	for i := range s {
		s[i].Source = src
		s[i].From = int16(from)
	}
}

// Shuffle permutes the set in place.
func (s Set) Shuffle(rng *rand.Rand) {
	rng.Shuffle(len(s), func(i, j int) { s[i], s[j] = s[j], s[i] })
}

// Subsample returns n samples of s drawn without replacement (all of s,
// shuffled, when n >= len(s)). The result does not alias s.
func (s Set) Subsample(rng *rand.Rand, n int) Set {
	out := append(Set(nil), s...)
	if n >= len(out) {
		out.Shuffle(rng)
		return out
	}
	for i := 0; i < n; i++ { // partial Fisher-Yates
		j := i + rng.IntN(len(out)-i)
		out[i], out[j] = out[j], out[i]
	}
	return out[:n]
}

// Sampler draws from a categorical distribution in O(1) per draw (Walker's
// alias method).
type Sampler struct {
	prob  []float64
	alias []int32
}

// NewSampler builds an alias table for the weights p (>= 0, positive sum).
func NewSampler(p []float64) *Sampler {
	n := len(p)
	s := &Sampler{prob: make([]float64, n), alias: make([]int32, n)}
	total := 0.0
	for _, v := range p {
		total += v
	}
	scaled := make([]float64, n)
	small, large := make([]int32, 0, n), make([]int32, 0, n)
	for i, v := range p {
		scaled[i] = v * float64(n) / total
		if scaled[i] < 1 {
			small = append(small, int32(i))
		} else {
			large = append(large, int32(i))
		}
	}
	for len(small) > 0 && len(large) > 0 {
		l, g := small[len(small)-1], large[len(large)-1]
		small = small[:len(small)-1]
		s.prob[l], s.alias[l] = scaled[l], g
		scaled[g] -= 1 - scaled[l]
		if scaled[g] < 1 {
			large = large[:len(large)-1]
			small = append(small, g)
		}
	}
	for _, i := range large {
		s.prob[i], s.alias[i] = 1, i
	}
	for _, i := range small { // rounding leftovers
		s.prob[i], s.alias[i] = 1, i
	}
	return s
}

// Draw returns one index.
func (s *Sampler) Draw(rng *rand.Rand) int {
	i := rng.IntN(len(s.prob))
	if rng.Float64() < s.prob[i] {
		return i
	}
	return int(s.alias[i])
}

// TableSampler draws tokens from each row of a table.
type TableSampler struct {
	rows []*Sampler
}

// NewTableSampler builds one alias sampler per row.
func NewTableSampler(t *Table) *TableSampler {
	ts := &TableSampler{rows: make([]*Sampler, t.C)}
	for c := range ts.rows {
		ts.rows[c] = NewSampler(t.Row(c))
	}
	return ts
}

// Draw returns a token for context c.
func (ts *TableSampler) Draw(rng *rand.Rand, c int) int { return ts.rows[c].Draw(rng) }

// SampleJoint draws n (context, token) pairs: contexts from ctx, tokens from
// the table's rows.
func SampleJoint(rng *rand.Rand, n int, ctx *Sampler, t *TableSampler) Set {
	out := make(Set, n)
	for i := range out {
		c := ctx.Draw(rng)
		out[i] = Sample{Context: int32(c), Token: int32(t.Draw(rng, c)), From: -1}
	}
	return out
}
