package models

import (
	"context"
	"fmt"
	"math/rand/v2"

	G "gorgonia.org/gorgonia"
)

// trainer runs a network's training step: the loss and its gradients with
// respect to the parameters, computed by a program over the graph (or, in
// tests, by gorgonia's tape machine), then Adam.
type trainer struct {
	g      *G.ExprGraph
	loss   *G.Node
	params G.Nodes
	grads  G.Nodes
	prog   *program
	gv     []G.Value // the gradients' values, refilled each step
	vm     G.VM      // non-nil: run the tape machine instead (useTape)
	rw     Rewinder
}

// compileTraining adds the gradients of loss with respect to params to g
// and orders the ops of a training step: the tail every network's
// constructor shares.
func compileTraining(g *G.ExprGraph, loss *G.Node, params G.Nodes) (*trainer, error) {
	grads, err := G.Grad(loss, params...)
	if err != nil {
		return nil, err
	}
	prog, err := newProgram(g, append(G.Nodes{loss}, grads...)...)
	if err != nil {
		return nil, err
	}
	return &trainer{g: g, loss: loss, params: params, grads: grads, prog: prog, gv: make([]G.Value, len(grads))}, nil
}

// useTape runs the steps on gorgonia's tape machine from now on, rewinding
// it with Reset when resetting (tests hold the three ways to the same bits).
func (t *trainer) useTape(resetting bool) {
	t.vm = G.NewTapeMachine(t.g, G.BindDualValues(t.params...))
	t.rw = NewRewinder(t.vm)
	if resetting {
		t.rw = t.rw.Resetting()
	}
}

// close releases the tape machine, if any.
func (t *trainer) close() {
	if t.vm != nil {
		t.vm.Close()
	}
}

// step runs the graph forward and backward, checks its loss and takes one
// Adam step on the parameters. It returns the loss (a non-finite loss is an
// error, the parameters untouched).
func (t *trainer) step(solver *Adam) (float64, error) {
	if t.vm != nil {
		return adamStep(t.vm, t.rw, t.loss, solver, t.params)
	}
	if err := t.prog.run(); err != nil {
		return 0, err
	}
	lv, err := scalar32(t.prog.value(t.loss))
	if err != nil {
		return 0, err
	}
	l := float64(lv)
	if !finite(l) {
		return l, fmt.Errorf("loss is %g", l)
	}
	for i, n := range t.grads {
		t.gv[i] = t.prog.value(n)
	}
	return l, solver.StepGrads(t.params, t.gv)
}

// adamStep is step on the tape machine vm; the tape is rewound either way.
func adamStep(vm G.VM, rw Rewinder, loss *G.Node, solver *Adam, params G.Nodes) (float64, error) {
	if err := vm.RunAll(); err != nil {
		return 0, err
	}
	l := float64(loss.Value().Data().(float32))
	if !finite(l) {
		rw.Rewind()
		return l, fmt.Errorf("loss is %g", l)
	}
	if err := solver.Step(params); err != nil {
		return l, err
	}
	rw.Rewind()
	return l, nil
}

// fitEpochs runs epochs over n samples in shuffled minibatches of size batch
// (the last partial batch is kept), calling step on each minibatch's sample
// indices; it looks at ctx every CheckEvery steps. Every generator's
// FitContext is this loop around its own step.
func fitEpochs(ctx context.Context, n, epochs, batch int, rng *rand.Rand, step func(idx []int32) (float64, error)) (FitStats, error) {
	if n == 0 || epochs < 1 {
		return FitStats{}, nil
	}
	if batch < 1 {
		return FitStats{}, fmt.Errorf("batch size %d", batch)
	}
	order := make([]int32, n)
	for i := range order {
		order[i] = int32(i)
	}
	var st FitStats
	for e := 0; e < epochs; e++ {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		sum, k := 0.0, 0
		for lo := 0; lo < len(order); lo += batch {
			hi := min(lo+batch, len(order))
			if st.Steps%CheckEvery == 0 && ctx.Err() != nil {
				return st, ctx.Err()
			}
			l, err := step(order[lo:hi])
			st.Steps++
			if err != nil {
				return st, &StepError{Step: st.Steps, Err: err}
			}
			sum += l
			k++
		}
		st.MeanLoss = sum / float64(k)
	}
	return st, nil
}

// fitSteps runs steps minibatch steps, each on batch sample indices drawn
// with replacement from n, as fitEpochs.
func fitSteps(ctx context.Context, n, steps, batch int, rng *rand.Rand, step func(idx []int32) (float64, error)) (FitStats, error) {
	if n == 0 || steps < 1 {
		return FitStats{}, nil
	}
	idx := make([]int32, batch)
	var st FitStats
	sum := 0.0
	for s := 0; s < steps; s++ {
		if s%CheckEvery == 0 && ctx.Err() != nil {
			return st, ctx.Err()
		}
		for i := range idx {
			idx[i] = int32(rng.IntN(n))
		}
		l, err := step(idx)
		st.Steps++
		if err != nil {
			return st, &StepError{Step: st.Steps, Err: err}
		}
		sum += l
	}
	st.MeanLoss = sum / float64(steps)
	return st, nil
}
