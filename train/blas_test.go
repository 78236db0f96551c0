package train

import (
	"fmt"
	"math"
	"testing"

	"github.com/selfconsume/selfconsume/internal/gemm"
	"github.com/selfconsume/selfconsume/models"
)

// The packed multiply of package gemm sums in another order than gonum's
// (and with fused multiply-adds), so the same seed gives other numbers; the
// loop's outcome must be the same in distribution. Over S seeds, the paired
// difference d = reward(gemm) - reward(gonum) after the last generation of
// the curated small config must have |mean d| < 3 sd(d) / sqrt(S), and the
// two must actually differ (else the test says nothing).
func TestGemmKeepsTheLoopInDistribution(t *testing.T) {
	if !gemm.Accelerated() {
		t.Skip("no assembly kernels on this CPU: the multiply is gonum's either way")
	}
	use := func(b models.Backend) {
		if err := models.UseBackend(b); err != nil {
			t.Fatal(err)
		}
	}
	defer use(models.Gemm) // TestMain's choice
	const S = 12
	var d []float64
	for s := 0; s < S; s++ {
		cfg := mustParse(t, small, fmt.Sprintf("seed=%d", 200+s), "models.m.hidden=[64, 64]")
		final := func() float64 {
			r := series(run(t, cfg, Options{}).Rows, "m", "reward/alice")
			return r[len(r)-1]
		}
		use(models.Gonum)
		before := final()
		use(models.Gemm)
		d = append(d, final()-before)
	}
	mean, sd, differ := 0.0, 0.0, 0
	for _, v := range d {
		mean += v / S
		if v != 0 {
			differ++
		}
	}
	for _, v := range d {
		sd += (v - mean) * (v - mean) / (S - 1)
	}
	sd = math.Sqrt(sd)
	t.Logf("reward(gemm) - reward(gonum) over %d seeds: mean %.3g, sd %.3g, %d differ", S, mean, sd, differ)
	if differ == 0 {
		t.Fatal("gemm and gonum gave the same numbers on every seed: the test compares nothing")
	}
	if math.Abs(mean) >= 3*sd/math.Sqrt(S) {
		t.Fatalf("mean paired difference %.3g outside 0 +- %.3g (3 standard errors): %v", mean, 3*sd/math.Sqrt(S), d)
	}
}
