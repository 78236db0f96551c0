package report

import (
	"strings"
	"testing"
)

// A prediction with sd/<metric> rows gets a band of -/+ 2 sd (half 0.06
// for sd 0.03) at the generations that have one, none elsewhere, and the
// reward caption says so; without sd rows there is no band and no note.
func TestPredictedSpreadBand(t *testing.T) {
	r := &run{pred: newMetricTable()}
	for g, v := range []float64{0.1, 0.2, 0.3} {
		r.pred.add(g, "p", "reward/alice", v)
	}
	r.pred.add(1, "p", "sd/reward/alice", 0.03)
	s := r.predicted("p", "reward/alice")
	if s.half[0] != 0 || s.half[1] != 0.06 || s.half[2] != 0 || s.mean[1] != 0.2 {
		t.Errorf("half %v, mean %v; want [0 0.06 0], mean 0.2 at generation 1", s.half, s.mean)
	}
	if !strings.Contains(r.spreadNote("reward/alice"), "2 predicted standard deviations") || r.spreadNote("reward/bob") != "" {
		t.Errorf("notes %q, %q", r.spreadNote("reward/alice"), r.spreadNote("reward/bob"))
	}
}
