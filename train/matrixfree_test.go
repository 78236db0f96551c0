package train

import (
	"math"
	"path/filepath"
	"testing"
	"time"

	"github.com/selfconsume/selfconsume/config"

	"github.com/selfconsume/selfconsume/data"
	"github.com/selfconsume/selfconsume/train/categorical"
	"github.com/selfconsume/selfconsume/train/family"
	"github.com/selfconsume/selfconsume/train/planar"
	"github.com/selfconsume/selfconsume/train/sequence"
	"github.com/selfconsume/selfconsume/train/theory"
)

// shippedWorld builds a shipped config's world without training: the real
// table, the true rewards and the mixtures (the prediction then starts from
// the real table with the true curators).
func shippedWorld(t *testing.T, cfg config.Config) *World {
	t.Helper()
	if cfg.Data.Kind == "planar" {
		p, err := planar.Kind.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		p.Close()
		return p.(family.Predictable).World()
	}
	build := categorical.NewWorld
	if cfg.Data.Kind == "sequence" {
		build = sequence.NewWorld
	}
	w, err := build(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// On every shipped config the matrix-free theory agrees with the dense one
// to 1e-8: the fixed point's J, the spectral radii, and the influences with
// their finite-difference check. The planar configs run at resolution 8,
// scale-cat (whose dense blocks are out of reach) at 8 contexts and 16
// tokens, bench-cat at 4 contexts: the dense oracle stays fast.
func TestShippedConfigsMatrixFreeMatchDense(t *testing.T) {
	paths, _ := filepath.Glob("../configs/*.yaml")
	classics, _ := filepath.Glob("../configs/classics/*.yaml")
	for _, path := range append(paths, classics...) {
		// smaller grids and tables keep the dense oracle fast; the
		// comparison at full size is in the package doc's measurements
		var sets []string
		if base, err := config.Load(path, nil, nil); err == nil && base.Data.Kind == "planar" {
			sets = append(sets, "data.plane.resolution=8")
		}
		switch filepath.Base(path) {
		case "scale-cat.yaml":
			sets = append(sets, "data.tokens=16", "data.contexts=8")
		case "bench-cat.yaml":
			sets = append(sets, "data.contexts=4")
		case "bench-seq.yaml": // 8^4 sequences per prompt: dense blocks of 12285
			sets = append(sets, "data.tokens=4", "data.contexts=2")
		}
		cfg, err := config.Load(path, sets, nil)
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		w := shippedWorld(t, cfg)
		var fps [2]theory.FixedPoint
		var ins [2]*theory.Influence
		var fds [2][][]float64
		for k, solver := range []string{theory.SolverDense, theory.SolverMatrixFree} {
			c := cfg
			c.Theory.Solver = solver
			sys := w.System(c, config.CuratorTrue)
			if fps[k], err = sys.FixedPoint(nil, 1e-12); err != nil {
				t.Fatalf("%s %s: %v", path, solver, err)
			}
			i := modelIndex(cfg, cfg.Theory.Knob.Model)
			if i < 0 || !fps[k].Attracting() {
				continue
			}
			kn, err := theory.CuratedShare(sys, i)
			if err != nil {
				t.Fatal(err)
			}
			in, err := sys.Influence(kn, fps[k])
			if err != nil {
				t.Fatalf("%s %s: %v", path, solver, err)
			}
			ins[k] = &in
			if fds[k], err = sys.InfluenceFD(kn, fps[k].P, 1e-4, 1e-13); err != nil {
				t.Fatalf("%s %s: %v", path, solver, err)
			}
		}
		d, m := fps[0], fps[1]
		worst := map[string]float64{
			"J":   maxDiff(d.J, m.J),
			"rho": maxDiff([][]float64{d.ComponentRho}, [][]float64{m.ComponentRho}),
		}
		// A repelling solution is no prediction: after its restarts the two
		// solvers may stop at different repelling points (sequence-quickstart
		// from the real table, rho 1.9: 2.7e-4 apart); both must say so.
		if d.Attracting() || m.Attracting() || d.Rho <= 1 {
			worst["p*"] = stateDiff(d.P, m.P)
		}
		if d.Attracting() != m.Attracting() {
			t.Errorf("%s: attracting %v (dense) vs %v (matrix-free)", path, d.Attracting(), m.Attracting())
		}
		if (ins[0] == nil) != (ins[1] == nil) {
			t.Fatalf("%s: influence computed by one solver only", path)
		}
		if ins[0] != nil {
			worst["total"] = maxDiff(ins[0].Total, ins[1].Total)
			worst["isolated"] = maxDiff(ins[0].Isolated, ins[1].Isolated)
			worst["finite difference"] = maxDiff(fds[0], fds[1])
		}
		for what, x := range worst {
			if !(x <= 1e-8) {
				t.Errorf("%s: %s differs by %.3g between dense and matrix-free", path, what, x)
			}
		}
		t.Logf("%s: rho %.6f, largest differences %v (%v)", filepath.Base(path), d.Rho, worst, time.Since(start))
	}
}

// maxDiff is the largest |a - b| over two equally shaped matrices (NaN in
// one but not the other counts as +Inf).
func maxDiff(a, b [][]float64) float64 {
	worst := 0.0
	for i := range a {
		for j := range a[i] {
			x, y := a[i][j], b[i][j]
			switch {
			case math.IsNaN(x) && math.IsNaN(y):
			case math.IsNaN(x) || math.IsNaN(y):
				return math.Inf(1)
			default:
				worst = math.Max(worst, math.Abs(x-y))
			}
		}
	}
	return worst
}

// stateDiff is the largest |entry| difference between two states.
func stateDiff(a, b []*data.Table) float64 {
	worst := 0.0
	for i := range a {
		for k := range a[i].P {
			worst = math.Max(worst, math.Abs(a[i].P[k]-b[i].P[k]))
		}
	}
	return worst
}
