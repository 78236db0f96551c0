// Package stats holds the summary statistics every comparison over seeds
// uses: the mean with its 95% interval, so that reports, sweeps and the
// theory check agree on one definition.
package stats

import "math"

// Z95 is the two-sided 95% normal quantile used for every interval.
const Z95 = 1.96

// MeanCI returns the mean of the finite values, the half-width of their 95%
// interval (Z95 standard errors of the mean; 0 for fewer than two values) and
// how many values were finite.
func MeanCI(vs []float64) (mean, half float64, n int) {
	var sum float64
	for _, v := range vs {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			sum += v
			n++
		}
	}
	if n == 0 {
		return math.NaN(), 0, 0
	}
	mean = sum / float64(n)
	if n < 2 {
		return mean, 0, n
	}
	var ss float64
	for _, v := range vs {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			ss += (v - mean) * (v - mean)
		}
	}
	return mean, Z95 * math.Sqrt(ss/float64(n-1)/float64(n)), n
}
