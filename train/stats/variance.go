package stats

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Variance checks. With n independent normal values of variance sigma^2,
// (n-1) s^2 / sigma^2 follows a chi-square law with n-1 degrees of freedom
// (s the sample standard deviation), which gives a test of H0: sigma^2 =
// v0 and an interval for the ratio sigma^2 / v0.

// VarianceP is the two-sided p-value of the chi-square test of H0: the
// values' variance is v0 (twice the smaller tail of (n-1) s^2 / v0). NaN
// with fewer than two values or v0 not positive and finite.
func (s Summary) VarianceP(v0 float64) float64 {
	if s.N < 2 || !(v0 > 0) || math.IsInf(v0, 0) {
		return math.NaN()
	}
	x := float64(s.N-1) * s.SD * s.SD / v0
	c := distuv.ChiSquared{K: float64(s.N - 1)}
	return math.Min(1, 2*math.Min(c.CDF(x), c.Survival(x)))
}

// VarianceRatioCI returns the ratio s^2 / v0 and the bounds of its
// two-sided 1-alpha chi-square interval for sigma^2 / v0: (n-1) ratio
// divided by the chi-square quantiles 1-alpha/2 and alpha/2. NaNs as
// VarianceP.
func (s Summary) VarianceRatioCI(v0, alpha float64) (ratio, lo, hi float64) {
	if s.N < 2 || !(v0 > 0) || math.IsInf(v0, 0) {
		return math.NaN(), math.NaN(), math.NaN()
	}
	ratio = s.SD * s.SD / v0
	k := float64(s.N - 1)
	c := distuv.ChiSquared{K: k}
	return ratio, k * ratio / c.Quantile(1-alpha/2), k * ratio / c.Quantile(alpha/2)
}
