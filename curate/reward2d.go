package curate

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// PlaneReward is a "human" reward on R^2.
type PlaneReward interface {
	At(x [2]float64) float64
}

// Linear is r(x) = W . x.
type Linear struct{ W [2]float64 }

// At evaluates the reward.
func (r Linear) At(x [2]float64) float64 { return r.W[0]*x[0] + r.W[1]*x[1] }

// Quadratic is r(x) = -Gamma |x - Point|^2: a preferred point.
type Quadratic struct {
	Point [2]float64
	Gamma float64
}

// At evaluates the reward.
func (r Quadratic) At(x [2]float64) float64 {
	dx, dy := x[0]-r.Point[0], x[1]-r.Point[1]
	return -r.Gamma * (dx*dx + dy*dy)
}

// Distance is r(x) = -Gamma max(0, |x - Point| - RMin): the distance to a
// preferred point with a dead zone of radius RMin, the shape used in the
// curation literature.
type Distance struct {
	Point       [2]float64
	Gamma, RMin float64
}

// At evaluates the reward.
func (r Distance) At(x [2]float64) float64 {
	d := math.Hypot(x[0]-r.Point[0], x[1]-r.Point[1])
	return -r.Gamma * math.Max(0, d-r.RMin)
}

// Negated is -R: a population whose preferences conflict with R's.
type Negated struct{ R PlaneReward }

// At evaluates the reward.
func (r Negated) At(x [2]float64) float64 { return -r.R.At(x) }

// PlaneRewardOf builds a reward by kind: linear (weights), quadratic and
// distance (point, gamma, r_min).
func PlaneRewardOf(kind string, weights, point []float64, gamma, rmin float64) (PlaneReward, error) {
	two := func(name string, v []float64) ([2]float64, error) {
		if len(v) != 2 {
			return [2]float64{}, fmt.Errorf("%s needs 2 numbers, got %d", name, len(v))
		}
		return [2]float64{v[0], v[1]}, nil
	}
	switch kind {
	case "linear":
		w, err := two("weights", weights)
		return Linear{W: w}, err
	case "quadratic":
		p, err := two("point", point)
		return Quadratic{Point: p, Gamma: gamma}, err
	case "distance":
		p, err := two("point", point)
		return Distance{Point: p, Gamma: gamma, RMin: rmin}, err
	}
	return nil, fmt.Errorf("unknown reward %q", kind)
}

// PreferFirst draws a Bradley-Terry preference between rewards ra and rb:
// the first wins with probability sigmoid((ra - rb)/temperature)
// (temperature 0: the larger wins, ties at random), then the label flips with
// probability noise.
func PreferFirst(rng *rand.Rand, ra, rb, temperature, noise float64) bool {
	var first bool
	switch {
	case temperature > 0:
		first = rng.Float64() < 1/(1+math.Exp(-(ra-rb)/temperature))
	case ra != rb:
		first = ra > rb
	default:
		first = rng.IntN(2) == 0
	}
	if noise > 0 && rng.Float64() < noise {
		first = !first
	}
	return first
}
