package flow

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/selfconsume/selfconsume/models"
)

// Fit trains for the given number of epochs over the points x (pairs). Each
// epoch visits the points in a fresh order drawn from rng, in len(x)/2/Batch
// full minibatches; the remainder is left out of that epoch. It returns the
// mean training NLL (nats per point) over the last epoch's steps (NaN for
// zero epochs). A NaN or
// Inf loss stops training with an error naming the step; the parameters are
// then those before that step.
func (f *Flow) Fit(x []float64, epochs int, rng *rand.Rand) (float64, error) {
	return f.FitContext(context.Background(), x, epochs, rng)
}

// FitContext is Fit that stops with ctx's error (it looks every
// models.CheckEvery steps) when ctx is cancelled; the parameters are those
// of the last step taken.
func (f *Flow) FitContext(ctx context.Context, x []float64, epochs int, rng *rand.Rand) (float64, error) {
	n, err := f.points(x)
	if err != nil {
		return 0, err
	}
	perm := make([]int, n)
	per := n / f.cfg.Batch
	mean := math.NaN()
	for e := 0; e < epochs; e++ {
		shuffle(rng, perm)
		sum := 0.0
		for s := 0; s < per; s++ {
			if s%models.CheckEvery == 0 && ctx.Err() != nil {
				return 0, ctx.Err()
			}
			l, err := f.step(x, perm[s*f.cfg.Batch:(s+1)*f.cfg.Batch])
			if err != nil {
				return 0, err
			}
			sum += l
		}
		mean = sum / float64(per)
	}
	return mean, nil
}

// Steps takes exactly the given number of minibatch steps over the points x
// (pairs), visiting them in epochs of fresh random order drawn from rng (an
// epoch's remainder short of a batch is skipped). It returns the mean training
// NLL over all the steps (NaN for zero steps). Errors are as for Fit.
func (f *Flow) Steps(x []float64, steps int, rng *rand.Rand) (float64, error) {
	return f.StepsContext(context.Background(), x, steps, rng)
}

// StepsContext is Steps that stops with ctx's error when ctx is cancelled,
// as FitContext.
func (f *Flow) StepsContext(ctx context.Context, x []float64, steps int, rng *rand.Rand) (float64, error) {
	n, err := f.points(x)
	if err != nil {
		return 0, err
	}
	if steps <= 0 {
		return math.NaN(), nil
	}
	perm := make([]int, n)
	per := n / f.cfg.Batch
	sum := 0.0
	for s := 0; s < steps; s++ {
		if s%models.CheckEvery == 0 && ctx.Err() != nil {
			return 0, ctx.Err()
		}
		k := s % per
		if k == 0 {
			shuffle(rng, perm)
		}
		l, err := f.step(x, perm[k*f.cfg.Batch:(k+1)*f.cfg.Batch])
		if err != nil {
			return 0, err
		}
		sum += l
	}
	return sum / float64(steps), nil
}

// points checks that x holds pairs and at least one batch and returns the
// number of points.
func (f *Flow) points(x []float64) (int, error) {
	if f.train == nil {
		return 0, fmt.Errorf("flow: used after Close")
	}
	if len(x)%2 != 0 {
		return 0, fmt.Errorf("flow: %d numbers is not a whole number of 2-D points", len(x))
	}
	if n := len(x) / 2; n >= f.cfg.Batch {
		return n, nil
	}
	return 0, fmt.Errorf("flow: %d points is fewer than one batch of %d", len(x)/2, f.cfg.Batch)
}

// shuffle sets perm to a random permutation of 0..len(perm)-1.
func shuffle(rng *rand.Rand, perm []int) {
	for i := range perm {
		perm[i] = i
	}
	rng.Shuffle(len(perm), func(i, j int) { perm[i], perm[j] = perm[j], perm[i] })
}

// step runs one Adam step on the points x[rows] and returns the batch's mean
// NLL before the step.
func (f *Flow) step(x []float64, rows []int) (float64, error) {
	gr := f.train
	gr.fill(x, rows)
	if err := gr.vm.RunAll(); err != nil {
		gr.vm.Reset()
		gr.zeroGrads()
		return 0, fmt.Errorf("flow: step %d: %w", f.steps+1, err)
	}
	loss := scalarValue(gr.loss)
	if math.IsNaN(loss) || math.IsInf(loss, 0) {
		gr.vm.Reset()
		gr.zeroGrads()
		return 0, fmt.Errorf("flow: step %d: loss is %g; parameters kept from before the step", f.steps+1, loss)
	}
	err := f.solver.Step(gr.params)
	gr.rw.Rewind() // mandatory: RunAll without it returns stale results
	f.version++
	if err != nil {
		return 0, fmt.Errorf("flow: step %d: Adam: %w", f.steps+1, err)
	}
	f.steps++
	return loss, nil
}

// ResetOptimizer starts Adam afresh (zero moments, step count zero),
// keeping the parameters and the learning rate.
func (f *Flow) ResetOptimizer() { f.solver = newSolver(f.cfg) }

// SetLR changes Adam's learning rate for the following steps, keeping its
// moment estimates (for learning-rate schedules).
func (f *Flow) SetLR(lr float64) error {
	if !(lr > 0) || math.IsInf(lr, 0) {
		return fmt.Errorf("flow: learning rate %g; need a finite value > 0", lr)
	}
	f.cfg.LR = lr
	f.solver.SetLR(lr)
	return nil
}
