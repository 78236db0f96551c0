package regimemap

import (
	"bytes"
	"context"
	"fmt"
	"github.com/selfconsume/selfconsume/config"
	"github.com/selfconsume/selfconsume/models"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/selfconsume/selfconsume/data"
	"github.com/selfconsume/selfconsume/train"
	"github.com/selfconsume/selfconsume/train/theory"
)

// tinyMap computes the tiny test map once (theory only) for the tests that
// read it.
var tinyMap = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "regimemap-test")
	if err != nil {
		return "", err
	}
	spec, err := LoadSpec("testdata/tiny-map.yaml")
	if err != nil {
		return "", err
	}
	_, err = Run(context.Background(), spec, filepath.Join(dir, "map"), Options{NoSpot: true})
	return filepath.Join(dir, "map"), err
})

// TestMain runs the tests on the selfconsume command's multiply (as
// internal/testsetup does) and removes the shared tiny map afterwards.
func TestMain(m *testing.M) {
	if err := models.UseBackend(models.Gemm); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	if dir, err := tinyMap(); err == nil {
		os.RemoveAll(filepath.Dir(dir))
	}
	os.Exit(code)
}

// A cell's numbers are those of a direct prediction on the cell's mixture:
// the cell's own config fitted from scratch (generation 0 does not depend
// on the mixture), then train.PredictContext.
func TestCellMatchesDirectPredict(t *testing.T) {
	dir, err := tinyMap()
	if err != nil {
		t.Fatal(err)
	}
	rows, err := ReadRows(filepath.Join(dir, MapFile))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 5*5*2*2 {
		t.Fatalf("%d rows; want 5 x 5 cells x 2 models x 2 populations = 100", len(rows))
	}
	spec, err := LoadSpec("testdata/tiny-map.yaml")
	if err != nil {
		t.Fatal(err)
	}
	spec, base, err := spec.resolve()
	if err != nil {
		t.Fatal(err)
	}
	c := spec.Cells()[2*5+3] // x 0.5, y 0.7
	cfg, err := CellConfig(base, spec.X, spec.Y, c.X, c.Y)
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	zero := cfg
	zero.Generations = 0
	zero.Theory.Predict = false
	res, err := train.Run(context.Background(), zero, train.Options{})
	if err != nil {
		t.Fatal(err)
	}
	p, err := train.PredictContext(context.Background(), cfg, res.World, res.Tables[0], config.CuratorTrue)
	if err != nil {
		t.Fatal(err)
	}
	if p.Influence == nil {
		t.Fatalf("no influence: %v", p.InfluenceErr)
	}
	// the mixture is the renormalised one: p's curated block 0.5 split evenly, q's 0.5 at 0.7 cross
	if w := res.World.Weights[0]; math.Abs(w[3]-0.25) > 1e-15 || math.Abs(w[4]-0.25) > 1e-15 || w[0] != 0.5 {
		t.Errorf("p's weights %v; want real 0.5, curated p 0.25, q 0.25", w)
	}
	if w := res.World.Weights[1]; math.Abs(w[3]-0.35) > 1e-15 || math.Abs(w[4]-0.15) > 1e-15 || w[0] != 0.4 || w[2] != 0.1 {
		t.Errorf("q's weights %v; want real 0.4, raw q 0.1, curated p 0.35, q 0.15", w)
	}
	seen := 0
	for _, r := range rows {
		if r.IX != c.IX || r.IY != c.IY {
			continue
		}
		seen++
		i := map[string]int{"p": 0, "q": 1}[r.Model]
		a := map[string]int{"alice": 0, "bob": 1}[r.Population]
		for _, v := range []struct {
			name      string
			got, want float64
		}{
			{"J", r.J, p.Fixed.J[i][a]},
			{"rho", r.Rho, p.Rho()},
			{"total", r.Total, p.Influence.Total[i][a]},
			{"isolated", r.Isolated, p.Influence.Isolated[i][a]},
		} {
			if math.Abs(v.got-v.want) > 1e-12 {
				t.Errorf("%s/%s %s: map %.17g, direct %.17g", r.Model, r.Population, v.name, v.got, v.want)
			}
		}
		if r.Aligned && r.Label != p.Influence.Labels[i] {
			t.Errorf("%s label %q, direct %q", r.Model, r.Label, p.Influence.Labels[i])
		}
	}
	if seen != 4 {
		t.Fatalf("cell %s has %d rows; want 4", c.Name(), seen)
	}
}

// An interrupted map resumes to the same map.csv, byte for byte.
func TestResumeGivesSameMap(t *testing.T) {
	full, err := tinyMap()
	if err != nil {
		t.Fatal(err)
	}
	spec, err := LoadSpec("testdata/tiny-map.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "map")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stopAt := 0 // the last count of finished cells reported
	_, err = Run(ctx, spec, dir, Options{NoSpot: true, Workers: 2, Observe: func(done, total int) {
		stopAt = done
		if done >= 7 {
			cancel()
		}
	}})
	if err == nil {
		t.Fatal("the cancelled map returned no error")
	}
	cells, _ := os.ReadDir(filepath.Join(dir, CellsDir))
	if len(cells) != stopAt || stopAt >= 25 {
		t.Fatalf("%d cell files after stopping at %d; want as many, fewer than 25", len(cells), stopAt)
	}
	m, err := Run(context.Background(), spec, dir, Options{NoSpot: true})
	if err != nil {
		t.Fatal(err)
	}
	if m.Cells != 25-stopAt {
		t.Errorf("resume computed %d cells; want %d", m.Cells, 25-stopAt)
	}
	a, _ := os.ReadFile(filepath.Join(full, MapFile))
	b, _ := os.ReadFile(filepath.Join(dir, MapFile))
	if len(a) == 0 || !bytes.Equal(a, b) {
		t.Errorf("resumed map.csv differs from the uninterrupted one (%d and %d bytes)", len(a), len(b))
	}
	// a different map in the same folder is refused
	spec.X.To = ptr(0.9)
	if _, err := Run(context.Background(), spec, dir, Options{NoSpot: true}); err == nil || !strings.Contains(err.Error(), "different map") {
		t.Errorf("a different map in the folder: %v; want refused", err)
	}
}

func ptr(v float64) *float64 { return &v }

func TestRenormalisation(t *testing.T) {
	base := func() config.MixConfig {
		return config.MixConfig{Real: 0.4, Raw: map[string]float64{"q": 0.1}, Curated: map[string]float64{"p": 0.2, "q": 0.2, "r": 0.1}}
	}
	near := func(what string, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > 1e-15 {
			t.Errorf("%s: %.17g; want %g", what, got, want)
		}
	}
	m := base()
	if err := setShare(&m, ParamCurated, "p", 0.75); err != nil {
		t.Fatal(err)
	}
	// curated block 0.5 -> 0.75 keeps its split 2:2:1; real and raw 0.5 -> 0.25 keep 4:1
	near("curated p", m.Curated["p"], 0.3)
	near("curated q", m.Curated["q"], 0.3)
	near("curated r", m.Curated["r"], 0.15)
	near("real", m.Real, 0.2)
	near("raw q", m.Raw["q"], 0.05)

	m = base()
	if err := setShare(&m, ParamCross, "p", 0.8); err != nil {
		t.Fatal(err)
	}
	// block total 0.5 kept: self 0.1, others 0.4 split 2:1 as before
	near("self", m.Curated["p"], 0.1)
	near("cross q", m.Curated["q"], 0.4*2/3)
	near("cross r", m.Curated["r"], 0.4/3)
	near("real", m.Real, 0.4)

	m = base()
	m.Curated = map[string]float64{"p": 0.5, "q": 0, "r": 0}
	if err := setShare(&m, ParamCross, "p", 0.5); err != nil {
		t.Fatal(err)
	}
	near("even split q", m.Curated["q"], 0.125)
	near("even split r", m.Curated["r"], 0.125)

	m = base()
	if err := setShare(&m, ParamReal, "p", 0.7); err != nil {
		t.Fatal(err)
	}
	// raw and curated 0.6 -> 0.3 keep 1:2:2:1
	near("real", m.Real, 0.7)
	near("raw q", m.Raw["q"], 0.05)
	near("curated p", m.Curated["p"], 0.1)
	near("curated r", m.Curated["r"], 0.05)

	m = config.MixConfig{Real: 1}
	if err := setShare(&m, ParamCurated, "p", 0.5); err == nil {
		t.Error("curated share of a model without curated data: no error")
	}
	m = config.MixConfig{Real: 0.5, Curated: map[string]float64{"p": 0.5}}
	if err := setShare(&m, ParamCross, "p", 0.5); err == nil {
		t.Error("cross share of a model curating no other model: no error")
	}
}

func TestSpecErrors(t *testing.T) {
	for _, tc := range []struct {
		edit func(s *Spec)
		want string
	}{
		{func(s *Spec) {
			s.Curator = "learned"
			s.X = Axis{Param: ParamScale, Population: "alice", Values: []float64{0.5, 1}}
		}, "curator: true"},
		{func(s *Spec) { s.X = Axis{Param: "mass", Values: []float64{0, 1}} }, "allowed: curated, cross"},
		{func(s *Spec) { s.X = Axis{Param: ParamK, Values: []float64{2, 3.5}} }, "whole number"},
		{func(s *Spec) { s.X = Axis{Param: ParamCross, Model: "z", Values: []float64{0, 1}} }, `"z" is not a model`},
		{func(s *Spec) { s.X = Axis{Param: ParamCross, Model: "p", Values: []float64{0.5, 0.2}} }, "must increase"},
		{func(s *Spec) { s.Y = s.X }, "both sweep"},
		{func(s *Spec) { s.Spots.Cells = [][2]int{{5, 0}} }, "outside the 5 x 5 grid"},
	} {
		s, err := LoadSpec("testdata/tiny-map.yaml")
		if err != nil {
			t.Fatal(err)
		}
		tc.edit(&s)
		if _, _, err := s.resolve(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("error %v; want one containing %q", err, tc.want)
		}
	}
}

// A cell whose mixture the config check refuses stops the map before any
// work, naming the cell.
func TestBadCellRefusedFirst(t *testing.T) {
	s, err := LoadSpec("testdata/tiny-map.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s.X = Axis{Param: ParamCurated, Model: "p", Values: []float64{0, 0.5}}
	dir := filepath.Join(t.TempDir(), "m")
	_, err = Run(context.Background(), s, dir, Options{NoSpot: true})
	if err == nil || !strings.Contains(err.Error(), "cell x00-y00") {
		t.Fatalf("error %v; want one naming cell x00-y00", err)
	}
	if _, err := os.Stat(dir); err == nil {
		t.Error("the refused map created its folder")
	}
}

func TestAlignedReward(t *testing.T) {
	of := &data.Table{C: 2, V: 3, P: []float64{1, 2, 3, 0, -1, 4}}
	own := &data.Table{C: 2, V: 3, P: []float64{2, -1, 0, 1, 1, -3}}
	ctx := []float64{0.3, 0.7}
	u := centred(of)
	corr := func(a, b *data.Table) float64 {
		var ab, aa, bb float64
		for c := 0; c < 2; c++ {
			for t := 0; t < 3; t++ {
				x, y := a.P[c*3+t], b.P[c*3+t]
				ab += ctx[c] * x * y
				aa += ctx[c] * x * x
				bb += ctx[c] * y * y
			}
		}
		return ab / math.Sqrt(aa*bb)
	}
	for _, a := range []float64{-1, -0.5, 0, 0.3, 1} {
		r, err := aligned(of, own, ctx, a)
		if err != nil {
			t.Fatal(err)
		}
		if got := corr(r, u); math.Abs(got-a) > 1e-12 {
			t.Errorf("alignment %g: correlation with the centred reward %.15g", a, got)
		}
		if math.Abs(corr(r, r)-1) > 1e-12 || math.Abs(dotw(r, r, ctx)-dotw(u, u, ctx)) > 1e-12 {
			t.Errorf("alignment %g: norm %g; want u's %g", a, dotw(r, r, ctx), dotw(u, u, ctx))
		}
	}
	if _, err := aligned(of, &data.Table{C: 2, V: 3, P: []float64{-2, -4, -6, 0, 2, -8}}, ctx, 0.5); err == nil {
		t.Error("an own reward that is a multiple of the other's: no error")
	}
}

func dotw(a, b *data.Table, ctx []float64) float64 {
	s := 0.0
	for c := 0; c < a.C; c++ {
		for t := 0; t < a.V; t++ {
			s += ctx[c] * a.P[c*a.V+t] * b.P[c*b.V+t]
		}
	}
	return s
}

func TestRegionsAndInversion(t *testing.T) {
	cell := func(ix, iy int) Cell { return Cell{IX: ix, IY: iy, X: float64(ix) / 2, Y: float64(iy)} }
	row := func(c Cell, model string, total, iso float64, self bool) Row {
		l := theory.Label(total, iso, self, 1e-12, 0.01)
		role := RoleCross
		if self {
			role = RoleSelf
		}
		return Row{Cell: c, Model: model, Population: "a", Aligned: true, Role: role, Total: total, Isolated: iso, Label: l, Inversion: inversion(l, total, iso)}
	}
	rows := []Row{
		row(cell(0, 0), "p", 0.5, 0.3, true),                                    // helps
		row(cell(1, 0), "p", -0.2, 0.3, true),                                   // backfire, inverted to harm
		row(cell(2, 0), "p", -0.2, -0.3, true),                                  // backfire, not inverted
		row(cell(2, 1), "p", 0.3, -0.1, true),                                   // helps, inverted to a gain
		row(cell(0, 1), "p", 0.005, -0.3, true),                                 // negligible: no inversion
		row(cell(0, 0), "q", -0.1, 0.2, false),                                  // cross backfire: inverted to harm
		row(cell(1, 0), "q", -0.1, -0.2, false),                                 // hurts
		{Cell: cell(1, 0), Model: "q", Population: "b", Total: 5, Isolated: -5}, // not aligned: ignored
	}
	g := Regions(rows)
	if len(g) != 2 || g[0].Model != "p" || g[1].Model != "q" {
		t.Fatalf("regions %+v; want p then q", g)
	}
	p, q := g[0], g[1]
	if n := len(p.Labels[theory.LabelBackfire]); n != 2 {
		t.Errorf("p backfire in %d cells; want 2", n)
	}
	if n := len(p.Labels[theory.LabelHelps]); n != 2 {
		t.Errorf("p helps in %d cells; want 2", n)
	}
	if len(p.Inversion) != 2 || len(p.ToHarm) != 1 || p.ToHarm[0].IX != 1 {
		t.Errorf("p inversion %v, to harm %v; want 2 cells, 1 to harm at x index 1", p.Inversion, p.ToHarm)
	}
	if len(q.Inversion) != 1 || len(q.ToHarm) != 1 || len(q.Labels[theory.LabelHurts]) != 1 {
		t.Errorf("q inversion %v, to harm %v, hurts %v", q.Inversion, q.ToHarm, q.Labels[theory.LabelHurts])
	}
	if got := Span(p.Inversion); got != "x 0.5 to 1, y 0 to 1" {
		t.Errorf("span %q", got)
	}
	if got := p.LabelNames(); strings.Join(got, ",") != "backfire,helps,negligible" {
		t.Errorf("label order %v", got)
	}
}

// spotMap copies the finished tiny map into a folder of t named name and
// returns it with the tiny map's spec asking for one spot check (cell x02-y03,
// 2 seeds, 4 generations).
func spotMap(t *testing.T, name string) (string, Spec) {
	t.Helper()
	full, err := tinyMap()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), name)
	if err := os.CopyFS(dir, os.DirFS(full)); err != nil {
		t.Fatal(err)
	}
	spec, err := LoadSpec("testdata/tiny-map.yaml")
	if err != nil {
		t.Fatal(err)
	}
	spec.Spots = Spots{Cells: [][2]int{{2, 3}}, Seeds: 2, Generations: 4}
	return dir, spec
}

// Spot checks on a finished map: its cells are kept (a map folder accepts
// new spots), the spot's comparison runs, and the figures mark it.
func TestSpotCheckAndFigures(t *testing.T) {
	dir, spec := spotMap(t, "map")
	m, err := Run(context.Background(), spec, dir, Options{Workers: 2, SpotWorkers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if m.Cells != 0 {
		t.Errorf("%d cells computed again; want 0 (all kept)", m.Cells)
	}
	if len(m.Spots) != 1 {
		t.Fatalf("%d spots; want 1", len(m.Spots))
	}
	s := m.Spots[0]
	if s.Verdict != "agree" && s.Verdict != "disagree" && s.Verdict != "unresolved" {
		t.Fatalf("spot verdict %q (%s)", s.Verdict, s.Note)
	}
	if s.Agree+s.Unresolved+s.Disagree == 0 || math.IsNaN(s.Predicted) || math.IsNaN(s.Measured) {
		t.Errorf("spot %+v: no map checks or no influence", s)
	}
	// the spot's predicted self-influence is the mean over its seeds' own
	// generation-0 fits; the map's is from the base seed: same sign here
	var mapTotal float64
	for _, r := range m.Rows {
		if r.IX == 2 && r.IY == 3 && r.Model == "p" && r.Aligned {
			mapTotal = r.Total
		}
	}
	if s.Predicted*mapTotal <= 0 {
		t.Errorf("spot predicted %g, map %g: opposite signs", s.Predicted, mapTotal)
	}
	again, err := readSpots(dir)
	if err != nil || len(again) != 1 || again[0].Verdict != s.Verdict || again[0].Agree != s.Agree || again[0].Other != s.Other {
		t.Errorf("spots.csv read back %+v, %v; want %+v", again, err, s)
	}
	_, figs, err := m.WriteReport()
	if err != nil {
		t.Fatal(err)
	}
	if len(figs) != 3 {
		t.Errorf("%d figures; want 3", len(figs))
	}
	md, _ := os.ReadFile(filepath.Join(dir, "report.md"))
	if !strings.Contains(string(md), "spot x02-y03") || !strings.Contains(string(md), "plots/map-labels.png") {
		t.Errorf("report.md lacks the spot or the figures:\n%s", md)
	}
}
