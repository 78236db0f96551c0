package train

import (
	"math"
	"testing"

	"github.com/selfconsume/selfconsume/config"
)

// bob (negate alice) is merged into alice with scale -1; carol, an
// independent random reward, is not merged.
func TestAffineRewardsFindsNegations(t *testing.T) {
	cfg := mustParse(t, twoModels)
	cfg.Populations = append(cfg.Populations, config.PopulationConfig{Name: "carol", Reward: "random", Scale: 2})
	got, err := AffineRewards(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Pop != 1 || got[0].Of != 0 || got[0].Scale != -1 || math.Abs(got[0].Offset) > 1e-15 {
		t.Fatalf("AffineRewards = %+v, want bob = -1 x alice + 0 only", got)
	}
	if d := got[0].Describe(cfg); d != "bob = -1 x alice +0" {
		t.Errorf("Describe = %q", d)
	}
}

func TestAffineFit(t *testing.T) {
	x := []float64{0.3, -1.2, 2.5, 0.7}
	y := make([]float64, len(x))
	for i, v := range x {
		y[i] = 2.5*v - 0.75
	}
	if s, c, ok := affineFit(x, y); !ok || math.Abs(s-2.5) > 1e-12 || math.Abs(c+0.75) > 1e-12 {
		t.Errorf("exact affine image: %g, %g, %v", s, c, ok)
	}
	y[2] += 1e-6
	if _, _, ok := affineFit(x, y); ok {
		t.Error("a residual of 1e-6 accepted as affine")
	}
	if _, _, ok := affineFit([]float64{1, 1, 1}, []float64{1, 2, 3}); ok {
		t.Error("a constant reward fits a varying one")
	}
	if s, _, ok := affineFit([]float64{1, 1, 1}, []float64{4, 4, 4}); !ok || s != 0 {
		t.Error("two constant rewards are affine images of each other")
	}
}
