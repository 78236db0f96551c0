package curate

import (
	"context"
	"fmt"

	"github.com/selfconsume/selfconsume/models"
)

// FitPairs is the Bradley-Terry fit of a scorer, whatever the family: steps
// Adam steps, each on one batch of labelled pairs. pair writes one pair's
// features into win (the preferred candidate) and lose; it is called once per
// batch row, in order. FitPairs returns the mean loss of the last tenth of the
// steps (0 without steps) and stops with ctx's error (it looks every
// models.CheckEvery steps) when ctx is cancelled; a failed step's error is
// "reward model step <n>: ...".
func FitPairs(ctx context.Context, s *models.Scorer, steps int, pair func(win, lose []float32)) (float64, error) {
	tail, n := 0.0, 0
	for i := 0; i < steps; i++ {
		if i%models.CheckEvery == 0 && ctx.Err() != nil {
			return 0, ctx.Err()
		}
		l, err := s.Step(func(_ int, win, lose []float32) { pair(win, lose) })
		if err != nil {
			return l, fmt.Errorf("reward model step %d: %w", i+1, err)
		}
		if i >= steps-max(1, steps/10) {
			tail += l
			n++
		}
	}
	if n == 0 {
		return 0, nil
	}
	return tail / float64(n), nil
}
