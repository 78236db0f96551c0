// Package stats holds the statistics every comparison over seeds uses, so
// that sweeps, reports and the theory check agree on one definition.
//
// Seeds are few (3 to 10), so every interval over seeds is a Student-t
// interval: mean -/+ t(0.975, n-1) standard errors, with the standard error
// sd/sqrt(n) from the sample standard deviation. The normal quantile 1.96
// would be too narrow (t(0.975, 5) = 2.571 for 6 seeds, 4.303 for 3). The
// same t distribution gives the p-values of the one-sample (and paired)
// t-tests that compare's verdicts rest on, and Holm adjusts those for the
// number of checks.
package stats

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Alpha is the error rate an interval (or a family of checks under Holm)
// allows.
const Alpha = 0.05

// Level is 1 - Alpha: the two-sided confidence level of every interval.
const Level = 1 - Alpha

// Summary is the mean of a set of per-seed values and its spread.
type Summary struct {
	N    int     // finite values
	Mean float64 // NaN without values
	SD   float64 // sample standard deviation (n-1); NaN with fewer than two values
	SE   float64 // SD/sqrt(N): the standard error of the mean
}

// Summarize leaves out NaN and infinite values and summarises the rest.
func Summarize(vs []float64) Summary {
	s := Summary{Mean: math.NaN(), SD: math.NaN(), SE: math.NaN()}
	var sum float64
	for _, v := range vs {
		if finite(v) {
			sum += v
			s.N++
		}
	}
	if s.N == 0 {
		return s
	}
	s.Mean = sum / float64(s.N)
	if s.N < 2 {
		return s
	}
	var ss float64
	for _, v := range vs {
		if finite(v) {
			ss += (v - s.Mean) * (v - s.Mean)
		}
	}
	s.SD = math.Sqrt(ss / float64(s.N-1))
	s.SE = s.SD / math.Sqrt(float64(s.N))
	return s
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// TQuantile is the p-quantile of Student's t distribution with nu degrees of
// freedom (NaN for nu < 1).
func TQuantile(p, nu float64) float64 {
	if !(nu >= 1) {
		return math.NaN()
	}
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: nu}.Quantile(p)
}

// TMultiplier is the number of standard errors in the two-sided interval of
// level 1-alpha over n values: t(1-alpha/2, n-1). NaN for n < 2.
func TMultiplier(alpha float64, n int) float64 {
	return TQuantile(1-alpha/2, float64(n-1))
}

// T95 is TMultiplier at the 95% level: 12.71 for 2 values, 4.303 for 3,
// 2.571 for 6, 2.262 for 10, towards 1.96 for many.
func T95(n int) float64 { return TMultiplier(Alpha, n) }

// Half is the half-width of the 95% t interval of the mean; 0 (no interval)
// with fewer than two values.
func (s Summary) Half() float64 {
	if s.N < 2 {
		return 0
	}
	return T95(s.N) * s.SE
}

// HalfAt is the half-width of the two-sided interval of level 1-alpha; NaN
// with fewer than two values.
func (s Summary) HalfAt(alpha float64) float64 {
	if s.N < 2 {
		return math.NaN()
	}
	return TMultiplier(alpha, s.N) * s.SE
}

// P is the two-sided p-value of the one-sample t-test of H0: mean = mu0
// (for paired values, the difference a-b per seed against 0). NaN with
// fewer than two values; with no spread at all, 1 when the mean is mu0 and
// 0 otherwise.
func (s Summary) P(mu0 float64) float64 {
	if s.N < 2 {
		return math.NaN()
	}
	d := math.Abs(s.Mean - mu0)
	if s.SE == 0 {
		if d == 0 {
			return 1
		}
		return 0
	}
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(s.N - 1)}
	return 2 * t.Survival(d/s.SE)
}

// MeanCI returns the mean of the finite values, the half-width of their 95%
// t interval (T95 standard errors; 0 for fewer than two values) and how many
// values were finite.
func MeanCI(vs []float64) (mean, half float64, n int) {
	s := Summarize(vs)
	return s.Mean, s.Half(), s.N
}

// Holm returns Holm's step-down adjusted p-values: with the m p-values
// sorted, p_(i) becomes max_{j<=i} min(1, (m-j+1) p_(j)). Rejecting every
// hypothesis whose adjusted p-value is <= alpha keeps the probability of any
// false rejection (the family-wise error) <= alpha, whatever the dependence
// between the tests. NaN p-values (a test that could not be run) take no
// part and stay NaN.
func Holm(p []float64) []float64 {
	idx := make([]int, 0, len(p))
	for i, v := range p {
		if !math.IsNaN(v) {
			idx = append(idx, i)
		}
	}
	// insertion sort by p-value, ties kept in input order
	for i := 1; i < len(idx); i++ {
		for j := i; j > 0 && p[idx[j]] < p[idx[j-1]]; j-- {
			idx[j], idx[j-1] = idx[j-1], idx[j]
		}
	}
	out := make([]float64, len(p))
	for i := range out {
		out[i] = math.NaN()
	}
	m, run := len(idx), 0.0
	for r, i := range idx {
		run = math.Max(run, math.Min(1, float64(m-r)*p[i]))
		out[i] = run
	}
	return out
}

// SeedsToResolve is the smallest n (2 <= n <= limit) at which a mean of
// the observed size and standard deviation would have its two-sided 1-alpha
// t interval exclude 0: t(1-alpha/2, n-1) sd/sqrt(n) < |mean|. It returns 0
// when even limit seeds would not do (or mean is 0 or not finite).
func SeedsToResolve(mean, sd, alpha float64, limit int) int {
	if !finite(mean) || mean == 0 || !finite(sd) {
		return 0
	}
	for n := 2; n <= limit; n++ {
		if TMultiplier(alpha, n)*sd/math.Sqrt(float64(n)) < math.Abs(mean) {
			return n
		}
	}
	return 0
}
