package data

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
)

// Plane is a real distribution on R^2.
//
// Layout: every batch of points is a flat []float64 of pairs,
// [x0, y0, x1, y1, ...]; point i is (xs[2i], xs[2i+1]) and n points take 2n
// numbers. models/flow uses the same layout.
type Plane interface {
	// Sample draws n points (2n numbers) from rng.
	Sample(rng *rand.Rand, n int) []float64
	// LogDensity returns log p(x) in nats.
	LogDensity(x [2]float64) float64
	// Entropy returns -E[log p(x)] in nats, computed by numerical
	// integration on a grid (see each type for the grid).
	Entropy() float64
	// Modes returns the centres of the distribution's modes.
	Modes() [][2]float64
	// NearestMode returns the index into Modes of the mode x belongs to.
	NearestMode(x [2]float64) int
}

// Both kinds of distribution are Planes.
var (
	_ Plane = (*Mixture)(nil)
	_ Plane = (*Moons)(nil)
)

// Mixture is an equal-weight mixture of isotropic Gaussians with a common
// standard deviation. Build one with Ring or Grid.
type Mixture struct {
	centres [][2]float64
	std     float64
	logNorm float64 // log(1/K) - log(2 pi std^2)
}

// Ring returns count Gaussians with standard deviation std whose centres lie
// evenly on the circle of the given radius around the origin, the first at
// (radius, 0) and the rest counter-clockwise.
func Ring(count int, radius, std float64) (*Mixture, error) {
	if count < 1 {
		return nil, fmt.Errorf("ring count is %d; need >= 1", count)
	}
	if !(radius >= 0) || math.IsInf(radius, 0) {
		return nil, fmt.Errorf("ring radius is %g; need a finite value >= 0", radius)
	}
	c := make([][2]float64, count)
	for k := range c {
		a := 2 * math.Pi * float64(k) / float64(count)
		c[k] = [2]float64{radius * math.Cos(a), radius * math.Sin(a)}
	}
	return NewMixture(c, std)
}

// Grid returns rows x cols Gaussians with standard deviation std on a square
// lattice of the given spacing centred on the origin. Mode r*cols+c sits at
// ((c-(cols-1)/2) spacing, (r-(rows-1)/2) spacing).
func Grid(rows, cols int, spacing, std float64) (*Mixture, error) {
	if rows < 1 || cols < 1 {
		return nil, fmt.Errorf("grid is %d x %d; need at least 1 x 1", rows, cols)
	}
	if !(spacing >= 0) || math.IsInf(spacing, 0) {
		return nil, fmt.Errorf("grid spacing is %g; need a finite value >= 0", spacing)
	}
	c := make([][2]float64, 0, rows*cols)
	for r := 0; r < rows; r++ {
		for k := 0; k < cols; k++ {
			c = append(c, [2]float64{
				(float64(k) - float64(cols-1)/2) * spacing,
				(float64(r) - float64(rows-1)/2) * spacing,
			})
		}
	}
	return NewMixture(c, std)
}

// NewMixture returns the equal-weight mixture of isotropic Gaussians with the
// given centres and standard deviation.
func NewMixture(centres [][2]float64, std float64) (*Mixture, error) {
	if len(centres) == 0 {
		return nil, fmt.Errorf("mixture has no centres")
	}
	if !(std > 0) || math.IsInf(std, 0) {
		return nil, fmt.Errorf("mixture std is %g; need a finite value > 0", std)
	}
	c := append([][2]float64(nil), centres...)
	return &Mixture{
		centres: c,
		std:     std,
		logNorm: -math.Log(float64(len(c))) - math.Log(2*math.Pi*std*std),
	}, nil
}

// Std returns the common standard deviation of the components.
func (m *Mixture) Std() float64 { return m.std }

// Modes returns a copy of the component centres.
func (m *Mixture) Modes() [][2]float64 { return append([][2]float64(nil), m.centres...) }

// Sample draws n points: a uniform component, then its Gaussian.
func (m *Mixture) Sample(rng *rand.Rand, n int) []float64 {
	out := make([]float64, 2*n)
	for i := 0; i < n; i++ {
		c := m.centres[rng.IntN(len(m.centres))]
		out[2*i] = c[0] + m.std*rng.NormFloat64()
		out[2*i+1] = c[1] + m.std*rng.NormFloat64()
	}
	return out
}

// LogDensity returns the exact log density (a log-sum-exp over components).
func (m *Mixture) LogDensity(x [2]float64) float64 {
	inv := -0.5 / (m.std * m.std)
	best := math.Inf(-1)
	for _, c := range m.centres {
		dx, dy := x[0]-c[0], x[1]-c[1]
		best = math.Max(best, inv*(dx*dx+dy*dy))
	}
	s := 0.0
	for _, c := range m.centres {
		dx, dy := x[0]-c[0], x[1]-c[1]
		s += math.Exp(inv*(dx*dx+dy*dy) - best)
	}
	return m.logNorm + best + math.Log(s)
}

// NearestMode returns the index of the closest centre (the component with the
// highest posterior, since all weights and widths are equal).
func (m *Mixture) NearestMode(x [2]float64) int {
	best, bi := math.Inf(1), 0
	for i, c := range m.centres {
		dx, dy := x[0]-c[0], x[1]-c[1]
		if d := dx*dx + dy*dy; d < best {
			best, bi = d, i
		}
	}
	return bi
}

// Entropy integrates -p log p with the midpoint rule on a square grid of step
// std/4 covering every centre +- 9 std. For a density this smooth the rule
// converges faster than any power of the step; the truncation beyond 9 std
// loses under 1e-15 of the mass.
func (m *Mixture) Entropy() float64 {
	lo, hi := bounds(m.centres, 9*m.std)
	return gridEntropy(m.LogDensity, lo, hi, m.std/4)
}

// Moons is the two-moons distribution: with equal probability, a point
// uniform (in angle) on the upper unit half-circle around (0, 0), or on the
// lower unit half-circle around (1, 0.5), plus isotropic Gaussian noise of
// standard deviation Noise. The coordinates are scikit-learn's make_moons.
type Moons struct {
	noise   float64
	nodes   int       // Simpson nodes per arc (odd)
	ax, ay  []float64 // quadrature nodes of both arcs
	w       []float64 // Simpson weights of the nodes
	logNorm float64   // log of (h/3) (1/pi) (1/2) / (2 pi noise^2)

	once    sync.Once
	entropy float64
}

// NewMoons returns the two-moons distribution with the given noise (> 0, so
// that the density exists).
func NewMoons(noise float64) (*Moons, error) {
	if !(noise > 0) || math.IsInf(noise, 0) {
		return nil, fmt.Errorf("moons noise is %g; need a finite value > 0", noise)
	}
	n := int(math.Ceil(math.Pi/(noise/16))) + 1
	if n%2 == 0 {
		n++
	}
	return newMoons(noise, max(n, 65)), nil
}

// newMoons lays out the Simpson nodes (nodes odd) of both arcs.
func newMoons(noise float64, nodes int) *Moons {
	m := &Moons{noise: noise, nodes: nodes}
	h := math.Pi / float64(nodes-1)
	for k := 0; k < 2; k++ {
		for j := 0; j < nodes; j++ {
			w := 2.0
			switch {
			case j == 0 || j == nodes-1:
				w = 1
			case j%2 == 1:
				w = 4
			}
			ax, ay := moonArc(k, float64(j)*h)
			m.ax, m.ay, m.w = append(m.ax, ax), append(m.ay, ay), append(m.w, w)
		}
	}
	m.logNorm = math.Log(h/3) - math.Log(math.Pi) - math.Log(2) - math.Log(2*math.Pi*noise*noise)
	return m
}

// Noise returns the standard deviation of the noise.
func (m *Moons) Noise() float64 { return m.noise }

// moonArc returns the noise-free point of moon k at angle t in [0, pi].
func moonArc(k int, t float64) (float64, float64) {
	if k == 0 {
		return math.Cos(t), math.Sin(t)
	}
	return 1 - math.Cos(t), 0.5 - math.Sin(t)
}

// Sample draws n points.
func (m *Moons) Sample(rng *rand.Rand, n int) []float64 {
	out := make([]float64, 2*n)
	for i := 0; i < n; i++ {
		x, y := moonArc(rng.IntN(2), math.Pi*rng.Float64())
		out[2*i] = x + m.noise*rng.NormFloat64()
		out[2*i+1] = y + m.noise*rng.NormFloat64()
	}
	return out
}

// LogDensity returns log p(x), where p(x) = 1/2 sum over the moons of
// (1/pi) int_0^pi N(x; arc(t), noise^2 I) dt. The integral over the angle has
// no closed form: it is computed by composite Simpson's rule with an angle step
// of at most noise/16 (the arcs have unit speed), which keeps the relative
// error under 1e-6 (TestMoonsQuadratureConverged).
func (m *Moons) LogDensity(x [2]float64) float64 {
	inv := -0.5 / (m.noise * m.noise)
	// Reference exponent: the squared distance to the nearest arc is a lower
	// bound on every node's, so no term exceeds 1 and the nearest is not tiny.
	d := math.Min(arcDist(x[0], x[1], 0, 0, 1), arcDist(x[0], x[1], 1, 0.5, -1))
	ref := inv * d * d
	s := 0.0
	for j, ax := range m.ax {
		dx, dy := x[0]-ax, x[1]-m.ay[j]
		s += m.w[j] * math.Exp(inv*(dx*dx+dy*dy)-ref)
	}
	return m.logNorm + ref + math.Log(s)
}

// Modes returns the midpoints of the two arcs, (0, 1) and (1, -0.5).
func (m *Moons) Modes() [][2]float64 { return [][2]float64{{0, 1}, {1, -0.5}} }

// NearestMode returns the moon whose arc is closer to x (0: upper, 1: lower).
// It measures the distance to the whole arc, not to the midpoint Modes returns.
func (m *Moons) NearestMode(x [2]float64) int {
	if arcDist(x[0], x[1], 0, 0, 1) <= arcDist(x[0], x[1], 1, 0.5, -1) {
		return 0
	}
	return 1
}

// arcDist is the distance from (x, y) to the unit half-circle around (cx, cy)
// on the side where sign*(y-cy) >= 0.
func arcDist(x, y, cx, cy, sign float64) float64 {
	dx, dy := x-cx, y-cy
	if sign*dy >= 0 {
		return math.Abs(math.Hypot(dx, dy) - 1)
	}
	return math.Min(math.Hypot(dx-1, dy), math.Hypot(dx+1, dy))
}

// Entropy integrates -p log p with the midpoint rule on a grid of step
// noise/4 covering both arcs +- 9 noise; it is computed once and cached. Its
// cost grows as 1/noise^3.
func (m *Moons) Entropy() float64 {
	m.once.Do(func() {
		pts := [][2]float64{{-1, 0}, {1, 1}, {2, 0.5}, {0, -0.5}}
		lo, hi := bounds(pts, 9*m.noise)
		m.entropy = gridEntropy(m.LogDensity, lo, hi, m.noise/4)
	})
	return m.entropy
}

// bounds returns the bounding box of pts widened by pad on every side.
func bounds(pts [][2]float64, pad float64) (lo, hi [2]float64) {
	lo = [2]float64{math.Inf(1), math.Inf(1)}
	hi = [2]float64{math.Inf(-1), math.Inf(-1)}
	for _, p := range pts {
		for d := 0; d < 2; d++ {
			lo[d] = math.Min(lo[d], p[d]-pad)
			hi[d] = math.Max(hi[d], p[d]+pad)
		}
	}
	return lo, hi
}

// gridEntropy returns the midpoint-rule integral of -p log p over the box.
func gridEntropy(logp func([2]float64) float64, lo, hi [2]float64, step float64) float64 {
	nx := int(math.Ceil((hi[0] - lo[0]) / step))
	ny := int(math.Ceil((hi[1] - lo[1]) / step))
	s := 0.0
	for i := 0; i < nx; i++ {
		x := lo[0] + (float64(i)+0.5)*step
		for j := 0; j < ny; j++ {
			l := logp([2]float64{x, lo[1] + (float64(j)+0.5)*step})
			if !math.IsInf(l, -1) {
				s -= math.Exp(l) * l
			}
		}
	}
	return s * step * step
}

// MeanLogDensity returns the mean of d.LogDensity over the points of xs
// (pairs); minus it is the negative log-likelihood in nats.
func MeanLogDensity(d Plane, xs []float64) float64 {
	n := len(xs) / 2
	s := 0.0
	for i := 0; i < n; i++ {
		s += d.LogDensity([2]float64{xs[2*i], xs[2*i+1]})
	}
	return s / float64(n)
}

// EntropyMC estimates the entropy by Monte Carlo from n samples drawn from
// rng, and returns the estimate and its standard error.
func EntropyMC(d Plane, rng *rand.Rand, n int) (h, stderr float64) {
	xs := d.Sample(rng, n)
	var s, s2 float64
	for i := 0; i < n; i++ {
		l := -d.LogDensity([2]float64{xs[2*i], xs[2*i+1]})
		s += l
		s2 += l * l
	}
	mean := s / float64(n)
	v := (s2/float64(n) - mean*mean) * float64(n) / float64(n-1)
	return mean, math.Sqrt(v / float64(n))
}

// ModeCounts returns how many points of xs (pairs) belong to each of d's
// modes, by NearestMode.
func ModeCounts(d Plane, xs []float64) []int {
	counts := make([]int, len(d.Modes()))
	for i := 0; i+1 < len(xs); i += 2 {
		counts[d.NearestMode([2]float64{xs[i], xs[i+1]})]++
	}
	return counts
}

// planeStreamTag keeps the plane streams apart from any other user of the
// same purposes.
const planeStreamTag = 0x504c414e // "PLAN"

// TrainHeldOut draws nTrain training points and nHeld held-out points of d.
// The two sets come from separate streams, Stream(seed, PurposeRealData,
// tag, 0) and Stream(seed, PurposeEval, tag, 1), so the held-out set does not
// change when nTrain does, and neither shares numbers with the other.
func TrainHeldOut(d Plane, seed uint64, nTrain, nHeld int) (train, held []float64) {
	train = d.Sample(Stream(seed, PurposeRealData, planeStreamTag, 0), nTrain)
	held = d.Sample(Stream(seed, PurposeEval, planeStreamTag, 1), nHeld)
	return train, held
}
