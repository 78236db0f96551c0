package data

import (
	"fmt"
	"math/rand/v2"
)

// Seqs is the set of token sequences of length L over a vocabulary of V
// tokens. A sequence is also a token of a categorical table: its index is
// the base-V number of its tokens, position 0 the most significant digit,
// so that the V^L sequences of a prompt are the V^L cells of its row.
type Seqs struct{ V, L int }

// Size is V^L, the number of sequences.
func (s Seqs) Size() int {
	n := 1
	for t := 0; t < s.L; t++ {
		n *= s.V
	}
	return n
}

// Decode writes the tokens of sequence idx into out (length L) and returns it.
func (s Seqs) Decode(idx int, out []int) []int {
	for t := s.L - 1; t >= 0; t-- {
		out[t] = idx % s.V
		idx /= s.V
	}
	return out
}

// Encode is the index of the sequence of tokens x.
func (s Seqs) Encode(x []int) int {
	idx := 0
	for _, y := range x {
		idx = idx*s.V + y
	}
	return idx
}

// PrefixTree is an autoregressive law of sequences per prompt: Cond[c][t]
// holds, for every prefix of length t (V^t of them, indexed as sequences of
// length t), the law of the next token, V numbers per prefix. The law of a
// whole sequence is the product of its conditionals along the tree.
type PrefixTree struct {
	Seqs
	C    int
	Cond [][][]float64 // [prompt][position] -> V^t x V row-major
}

// NewPrefixTree allocates a tree of zeros for c prompts.
func NewPrefixTree(c int, s Seqs) *PrefixTree {
	t := &PrefixTree{Seqs: s, C: c, Cond: make([][][]float64, c)}
	for p := range t.Cond {
		t.Cond[p] = make([][]float64, s.L)
		n := 1
		for k := range t.Cond[p] {
			t.Cond[p][k] = make([]float64, n*s.V)
			n *= s.V
		}
	}
	return t
}

// Table enumerates the tree: the C x V^L table of sequence probabilities,
// level by level (a prefix's probability times its next token's).
func (t *PrefixTree) Table() *Table {
	out := NewTable(t.C, t.Size())
	prev, next := make([]float64, 1, out.V), make([]float64, 0, out.V)
	for c := 0; c < t.C; c++ {
		prev = append(prev[:0], 1)
		for k := 0; k < t.L; k++ {
			cond := t.Cond[c][k]
			next = next[:0]
			for x, px := range prev {
				for _, q := range cond[x*t.V : (x+1)*t.V] {
					next = append(next, px*q)
				}
			}
			prev, next = next, prev
		}
		copy(out.Row(c), prev)
	}
	return out
}

// Draw samples one sequence for prompt c by ancestral sampling: each token
// from its conditional given the prefix drawn so far.
func (t *PrefixTree) Draw(rng *rand.Rand, c int) int {
	x := 0
	for k := 0; k < t.L; k++ {
		row := t.Cond[c][k][x*t.V : (x+1)*t.V]
		u, y := rng.Float64(), 0
		for ; y < t.V-1; y++ {
			if u -= row[y]; u < 0 {
				break
			}
		}
		x = x*t.V + y
	}
	return x
}

// Markov draws a random sparse Markov chain per prompt and returns its law
// as a prefix tree: the first token from a symmetric Dirichlet over the V
// tokens, and every token followed by one of successors tokens (drawn
// without replacement) with Dirichlet weights, all with the given
// concentration. Fewer successors than tokens leave most sequences
// impossible (a sparse law); successors = V gives full support.
func Markov(rng *rand.Rand, c int, s Seqs, successors int, concentration float64) (*PrefixTree, error) {
	if successors < 1 || successors > s.V {
		return nil, fmt.Errorf("successors %d: want 1 to %d", successors, s.V)
	}
	t := NewPrefixTree(c, s)
	for p := 0; p < c; p++ {
		first := Dirichlet(rng, 1, s.V, concentration).P
		trans := NewTable(s.V, s.V)
		for y := 0; y < s.V; y++ {
			w := Dirichlet(rng, 1, successors, concentration).P
			for k, z := range rng.Perm(s.V)[:successors] {
				trans.P[y*s.V+z] = w[k]
			}
		}
		copy(t.Cond[p][0], first)
		for k := 1; k < s.L; k++ {
			cond := t.Cond[p][k]
			for x := 0; x < len(cond)/s.V; x++ {
				copy(cond[x*s.V:(x+1)*s.V], trans.Row(x%s.V)) // the prefix's last token
			}
		}
	}
	return t, nil
}
