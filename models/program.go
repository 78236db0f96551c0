package models

import (
	"fmt"

	G "gorgonia.org/gorgonia"
)

// program runs the ops of a gorgonia graph that the loss and its gradients
// need, in gorgonia's topological order, each op into the buffer it wrote
// the step before (UsePreallocDo) where it can. It stands in for the tape
// machine in a training step: the tape machine's RunAll locks its OS thread
// and runs the tape on a new goroutine, so every step hands the processor
// from thread to thread twice (two futex wake-ups, and under load two waits
// for the OS to run the woken thread), which for a step of a quarter of a
// millisecond is a large share of the time. The graph, its ops and its
// gradients (gorgonia's Grad) are the same; the ops compute the same
// numbers (TestProgramMatchesTape). A gradient is read from its node's
// value instead of being added into a zeroed buffer, which only turns a -0
// gradient into +0 there, and Adam's update does not see the sign of a zero
// gradient.
type program struct {
	steps  []progStep
	vals   []G.Value // by node
	inputs []int     // nodes without an op, whose values are read at each run
	nodes  []*G.Node
	index  map[*G.Node]int
}

// progStep is one op: its node's index, its inputs' indices, and whether it
// may write into its previous output.
type progStep struct {
	node     *G.Node
	op       G.Op
	out      int
	in       []int
	args     []G.Value
	prealloc bool
}

// newProgram orders the ops that outputs depend on.
func newProgram(g *G.ExprGraph, outputs ...*G.Node) (*program, error) {
	sorted, err := G.Sort(g)
	if err != nil {
		return nil, err
	}
	need := make(map[*G.Node]bool)
	var mark func(n *G.Node)
	mark = func(n *G.Node) {
		if need[n] {
			return
		}
		need[n] = true
		for _, c := range children(g, n) {
			mark(c)
		}
	}
	for _, n := range outputs {
		if n == nil {
			return nil, fmt.Errorf("program: nil output")
		}
		mark(n)
	}
	p := &program{index: make(map[*G.Node]int)}
	for i := len(sorted) - 1; i >= 0; i-- { // Sort puts the root first
		n := sorted[i]
		if !need[n] {
			continue
		}
		p.index[n] = len(p.vals)
		p.vals = append(p.vals, nil)
		p.nodes = append(p.nodes, n)
		ch := children(g, n)
		if n.Op() == nil { // an input, read at each run
			p.inputs = append(p.inputs, p.index[n])
			continue
		}
		if len(ch) == 0 { // a constant
			p.vals[p.index[n]] = n.Value()
			continue
		}
		st := progStep{node: n, op: n.Op(), out: p.index[n], args: make([]G.Value, len(ch))}
		for _, c := range ch {
			k, ok := p.index[c]
			if !ok {
				return nil, fmt.Errorf("program: %v runs before its input %v", n, c)
			}
			st.in = append(st.in, k)
		}
		_, can := st.op.(G.UsePreallocDoer)
		st.prealloc = can && !st.op.ReturnsPtr() && st.op.OverwritesInput() < 0
		p.steps = append(p.steps, st)
	}
	return p, nil
}

// children returns n's inputs in order.
func children(g *G.ExprGraph, n *G.Node) []*G.Node {
	it := g.From(n.ID())
	if it == nil {
		return nil
	}
	var out []*G.Node
	for it.Next() {
		out = append(out, it.Node().(*G.Node))
	}
	return out
}

// run executes the ops once.
func (p *program) run() error {
	for _, i := range p.inputs {
		v := p.nodes[i].Value()
		if v == nil {
			return fmt.Errorf("program: input %v has no value", p.nodes[i])
		}
		p.vals[i] = v
	}
	for k := range p.steps {
		st := &p.steps[k]
		for j, i := range st.in {
			st.args[j] = p.vals[i]
		}
		var v G.Value
		var err error
		if prev := p.vals[st.out]; st.prealloc && prev != nil {
			v, err = st.op.(G.UsePreallocDoer).UsePreallocDo(prev, st.args...)
		} else {
			v, err = st.op.Do(st.args...)
		}
		if err != nil {
			return fmt.Errorf("%v: %w", st.op, err)
		}
		p.vals[st.out] = v
	}
	return nil
}

// value returns n's value after the last run (nil for a node the program
// does not compute).
func (p *program) value(n *G.Node) G.Value {
	i, ok := p.index[n]
	if !ok {
		return nil
	}
	return p.vals[i]
}
