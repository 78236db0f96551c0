package train

import (
	"fmt"
	"math"

	"github.com/selfconsume/selfconsume/config"
)

// AffineImage says that population Pop's true reward is an affine image of
// population Of's: r_Pop = Scale r_Of + Offset on every (context, token)
// of the support (categorical data) or every cell of the theory grid
// (planar). Any expected reward, measured or predicted, then obeys
// J_Pop = Scale J_Of + Offset exactly, so a check on Pop repeats the check
// on Of (the paired differences are Scale times each other).
type AffineImage struct {
	Pop, Of       int
	Scale, Offset float64
}

// AffineRewards returns, for every population after the first of its affine
// class, how it relates to the first one (by config order). Populations
// with `reward: negate` are the common case (Scale -1, Offset 0); others are
// found by least squares on the true reward tables and accepted when the
// largest residual is within 1e-9 of the rewards' scale.
func AffineRewards(cfg config.Config) ([]AffineImage, error) {
	k, err := kindOf(cfg)
	if err != nil {
		return nil, err
	}
	truth, err := k.TrueRewards(cfg)
	if err != nil {
		return nil, err
	}
	var out []AffineImage
	first := []int{}
	for a := range truth {
		merged := false
		for _, b := range first {
			if s, c, ok := affineFit(truth[b].P, truth[a].P); ok {
				out = append(out, AffineImage{Pop: a, Of: b, Scale: s, Offset: c})
				merged = true
				break
			}
		}
		if !merged {
			first = append(first, a)
		}
	}
	return out, nil
}

// affineFit fits y = s x + c by least squares and reports whether the fit
// is exact (largest residual <= 1e-9 max(1, max|y|)). A constant x only
// fits a constant y.
func affineFit(x, y []float64) (s, c float64, ok bool) {
	n := float64(len(x))
	if len(x) == 0 || len(x) != len(y) {
		return 0, 0, false
	}
	var mx, my float64
	for i := range x {
		mx += x[i]
		my += y[i]
	}
	mx, my = mx/n, my/n
	var sxx, sxy, top float64
	for i := range x {
		sxx += (x[i] - mx) * (x[i] - mx)
		sxy += (x[i] - mx) * (y[i] - my)
		top = math.Max(top, math.Abs(y[i]))
	}
	if sxx > 0 {
		s = sxy / sxx
	}
	c = my - s*mx
	tol := 1e-9 * math.Max(1, top)
	for i := range x {
		if r := y[i] - (s*x[i] + c); !(math.Abs(r) <= tol) {
			return 0, 0, false
		}
	}
	return s, c, true
}

// Describe describes the relation, e.g. "bob = -1 x alice + 0".
func (a AffineImage) Describe(cfg config.Config) string {
	return fmt.Sprintf("%s = %.4g x %s %+.4g", cfg.Populations[a.Pop].Name, a.Scale, cfg.Populations[a.Of].Name, a.Offset)
}
