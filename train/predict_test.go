package train

import (
	"context"
	"math"
	"path/filepath"
	"testing"

	"github.com/selfconsume/selfconsume/config"
	"github.com/selfconsume/selfconsume/runfolder"
)

// predict configs/quickstart.yaml --curator true: solo (no real data,
// curated by its own population) collapses onto the best token of every
// context. The fixed point must be that attractor of the map from the run's
// generation 0, not the repelling vertex a clipped Newton step once landed
// on (J* 1.9547, spectral radius 1.0135): J/alice within 2e-3 of 1.95697
// (the value of iterating the map), equal to 3000 generations of the map
// from generation 0 to 1e-6, attracting and on the boundary, with finite
// generations to tolerance along the map and by rho, in theory.json too.
func TestPredictQuickstartSoloAttractor(t *testing.T) {
	cfg, err := config.Load("../configs/quickstart.yaml", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	p, ts, err := PredictExperiment(context.Background(), cfg, dir, config.CuratorTrue)
	if err != nil {
		t.Fatal(err)
	}
	if p.Fixed == nil {
		t.Fatalf("no fixed point: %v", p.FixedErr)
	}
	solo := p.Fixed.J[0][0]
	if math.Abs(solo-1.95697) > 2e-3 {
		t.Errorf("solo J* = %.5f, want 1.95697 within 2e-3", solo)
	}
	sub := p.System.Subsystem([]int{0})
	far := sub.Trajectory(p.Trajectory[0][:1], 3000)[3000]
	if it := sub.Rewards(far)[0][0]; math.Abs(it-solo) > 1e-6 {
		t.Errorf("solo J* = %.9f, 3000 generations of the map give %.9f", solo, it)
	}
	if !(p.Rho() < 1) || !p.Predicted(0) || p.Stability(0) != "attracting, boundary" {
		t.Errorf("spectral radius %.4f, solo %q; want < 1 and attracting, boundary", p.Rho(), p.Stability(0))
	}
	if g := p.GenerationsToTol(); math.IsInf(g, 0) || math.IsNaN(g) {
		t.Errorf("generations to tolerance by rho: %g", g)
	}
	if p.GenerationsMap <= 0 || p.GenerationsMap >= approachCap {
		t.Errorf("generations to tolerance along the map: %d", p.GenerationsMap)
	}
	for _, c := range p.Components {
		if c.GenerationsMap <= 0 || !(c.Rho < 1) {
			t.Errorf("component %v: spectral radius %.4f, %d generations along the map", c.Models, c.Rho, c.GenerationsMap)
		}
	}
	back, err := runfolder.ReadTheory(filepath.Join(dir, runfolder.TheoryFile))
	if err != nil {
		t.Fatal(err)
	}
	if float64(back.GenerationsToTolMap) != float64(p.GenerationsMap) || back.FixedPointStability["solo"] != "attracting, boundary" ||
		math.Abs(float64(back.FixedPoint["solo"]["reward/alice"])-solo) > 1e-12 || float64(ts.GenerationsToTolMap) != float64(p.GenerationsMap) {
		t.Errorf("theory.json: generations_to_tol_map %v, solo %q J %v; want %d, attracting, boundary, %.6f",
			back.GenerationsToTolMap, back.FixedPointStability["solo"], back.FixedPoint["solo"], p.GenerationsMap, solo)
	}
}
