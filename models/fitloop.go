package models

import (
	"context"
	"fmt"
	"math/rand/v2"

	G "gorgonia.org/gorgonia"
)

// adamStep runs a built graph forward and backward, checks its loss and
// takes one Adam step on params; the tape is rewound either way. It returns
// the loss (a non-finite loss is an error, the parameters untouched).
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
