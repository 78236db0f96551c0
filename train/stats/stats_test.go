package stats

import (
	"math"
	"testing"
)

func TestMeanCI(t *testing.T) {
	// Values 1..5: mean 3, sample sd sqrt(2.5), half-width 1.96 sqrt(2.5/5).
	m, h, n := MeanCI([]float64{1, 2, 3, math.NaN(), 4, 5, math.Inf(1)})
	if m != 3 || n != 5 || math.Abs(h-1.96*math.Sqrt(0.5)) > 1e-15 {
		t.Fatalf("MeanCI = %g +- %g over %d", m, h, n)
	}
	if m, h, n := MeanCI([]float64{7}); m != 7 || h != 0 || n != 1 {
		t.Fatalf("one value: %g +- %g over %d", m, h, n)
	}
	if m, _, n := MeanCI(nil); !math.IsNaN(m) || n != 0 {
		t.Fatalf("no values: %g over %d", m, n)
	}
}
