package sweep

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/selfconsume/selfconsume/runfolder"
)

func TestCellsExpand(t *testing.T) {
	k := Axis{Key: "curation.k", Values: []string{"2", "4"}}
	tau := Axis{Key: "curation.tau", Values: []string{"0", "0.5"}}
	for _, tc := range []struct {
		name  string
		spec  Spec
		names []string
		seeds []uint64
		point []int
	}{
		{"product", Spec{Grid: Grid{k, tau}, Seeds: 2},
			[]string{
				"0000-curation.k=2-curation.tau=0-seed=1", "0001-curation.k=2-curation.tau=0-seed=2",
				"0002-curation.k=2-curation.tau=0.5-seed=1", "0003-curation.k=2-curation.tau=0.5-seed=2",
				"0004-curation.k=4-curation.tau=0-seed=1", "0005-curation.k=4-curation.tau=0-seed=2",
				"0006-curation.k=4-curation.tau=0.5-seed=1", "0007-curation.k=4-curation.tau=0.5-seed=2",
			},
			[]uint64{1, 2, 1, 2, 1, 2, 1, 2}, []int{0, 0, 1, 1, 2, 2, 3, 3}},
		{"product, axes in the order written", Spec{Grid: Grid{tau, k}},
			[]string{
				"0000-curation.tau=0-curation.k=2-seed=1", "0001-curation.tau=0-curation.k=4-seed=1",
				"0002-curation.tau=0.5-curation.k=2-seed=1", "0003-curation.tau=0.5-curation.k=4-seed=1",
			},
			[]uint64{1, 1, 1, 1}, []int{0, 1, 2, 3}},
		{"zip", Spec{Grid: Grid{k, tau}, Mode: ModeZip, Seeds: 3},
			[]string{
				"0000-curation.k=2-curation.tau=0-seed=1", "0001-curation.k=2-curation.tau=0-seed=2", "0002-curation.k=2-curation.tau=0-seed=3",
				"0003-curation.k=4-curation.tau=0.5-seed=1", "0004-curation.k=4-curation.tau=0.5-seed=2", "0005-curation.k=4-curation.tau=0.5-seed=3",
			},
			[]uint64{1, 2, 3, 1, 2, 3}, []int{0, 0, 0, 1, 1, 1}},
		{"seeds only, base seed moved by sets", Spec{Sets: []string{"seed=10"}, Seeds: 3},
			[]string{"0000-seed=10", "0001-seed=11", "0002-seed=12"},
			[]uint64{10, 11, 12}, []int{0, 0, 0}},
		{"a mapping value", Spec{Grid: Grid{{Key: "models.solo.mix", Values: []string{"{real: 0.5, curated: {solo: 0.5}}"}}}},
			[]string{"0000-models.solo.mix=real_0.5_curated_solo_0.5-seed=1"},
			[]uint64{1}, []int{0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.spec.Base = "testdata/tiny.yaml"
			cells, err := tc.spec.Cells()
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			var seeds []uint64
			var points []int
			for i, c := range cells {
				if c.Index != i {
					t.Errorf("cell %d has index %d", i, c.Index)
				}
				names, seeds, points = append(names, c.Name), append(seeds, c.Seed), append(points, c.Point)
			}
			if !slices.Equal(names, tc.names) {
				t.Errorf("names\n got %q\nwant %q", names, tc.names)
			}
			if !slices.Equal(seeds, tc.seeds) || !slices.Equal(points, tc.point) {
				t.Errorf("seeds %v points %v, want %v %v", seeds, points, tc.seeds, tc.point)
			}
			again, _ := tc.spec.Cells()
			for i := range again {
				if again[i].Name != cells[i].Name || !slices.Equal(again[i].Sets, cells[i].Sets) {
					t.Fatalf("a second expansion differs at cell %d", i)
				}
			}
		})
	}
}

func TestCellSets(t *testing.T) {
	s := Spec{Base: "testdata/tiny.yaml", Sets: []string{"generations=2"},
		Grid: Grid{{Key: "curation.k", Values: []string{"2", "4"}}}, Seeds: 2}
	cells, err := s.Cells()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"generations=2", "curation.k=4", "seed=2"}
	if got := cells[3].Sets; !slices.Equal(got, want) {
		t.Errorf("cell 3 sets %q, want %q", got, want)
	}
	if v, ok := cells[3].Value("curation.k"); !ok || v != "4" {
		t.Errorf("cell 3 curation.k = %q, %v", v, ok)
	}
}

func TestCellsErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		spec Spec
		want []string
	}{
		{"zip of unequal axes", Spec{Mode: ModeZip, Grid: Grid{
			{Key: "curation.k", Values: []string{"2", "4"}}, {Key: "curation.tau", Values: []string{"0", "0.5", "1"}}}},
			[]string{"curation.k has 2 values", "curation.tau has 3"}},
		{"unknown mode", Spec{Mode: "cross"}, []string{"mode = cross", "product, zip"}},
		{"seed swept", Spec{Grid: Grid{{Key: "seed", Values: []string{"1"}}}}, []string{"grid.seed", "seeds: N"}},
		{"key twice", Spec{Grid: Grid{{Key: "curation.k", Values: []string{"2"}}, {Key: "curation.k", Values: []string{"4"}}}}, []string{"grid.curation.k", "twice"}},
		{"no values", Spec{Grid: Grid{{Key: "curation.k"}}}, []string{"grid.curation.k", "no values"}},
		{"negative seeds", Spec{Seeds: -1}, []string{"seeds = -1"}},
		{"missing base", Spec{Base: "testdata/none.yaml"}, []string{"none.yaml"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.spec.Base == "" {
				tc.spec.Base = "testdata/tiny.yaml"
			}
			_, err := tc.spec.Cells()
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

func TestLoadSpecGridForms(t *testing.T) {
	dir := t.TempDir()
	base, _ := filepath.Abs("testdata/tiny.yaml")
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	mapping := write("mapping.yaml", "base: "+base+`
grid:
  curation.tau: [1, 0.5]
  models.solo.mix: [{real: 0.5, curated: {solo: 0.5}}]
  name: ["quoted"]
seeds: 2
`)
	list := write("list.yaml", "base: "+base+`
grid:
  - {key: curation.tau, values: [1, 0.5]}
  - {key: models.solo.mix, values: [{real: 0.5, curated: {solo: 0.5}}]}
  - {key: name, values: ["quoted"]}
seeds: 2
`)
	var names [][]string
	for _, p := range []string{mapping, list} {
		s, err := LoadSpec(p)
		if err != nil {
			t.Fatal(err)
		}
		cells, err := s.Cells()
		if err != nil {
			t.Fatal(err)
		}
		var n []string
		for _, c := range cells {
			n = append(n, c.Name+" "+strings.Join(c.Sets, " "))
		}
		names = append(names, n)
	}
	if !slices.Equal(names[0], names[1]) {
		t.Fatalf("the two grid forms differ:\n%q\n%q", names[0], names[1])
	}
	want := `0000-curation.tau=1-models.solo.mix=real_0.5_curated_solo_0.5-name=quoted-seed=1 curation.tau=1 models.solo.mix={real: 0.5, curated: {solo: 0.5}} name="quoted" seed=1`
	if names[0][0] != want {
		t.Errorf("cell 0\n got %s\nwant %s", names[0][0], want)
	}

	// The resolved spec written by Prepare reads back to the same cells.
	s, _ := LoadSpec(mapping)
	out := filepath.Join(dir, "sweep")
	if err := Prepare(out, s); err != nil {
		t.Fatal(err)
	}
	back, err := LoadSpec(filepath.Join(out, runfolder.SpecFile))
	if err != nil {
		t.Fatal(err)
	}
	cells, err := back.Cells()
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range cells {
		if got := c.Name + " " + strings.Join(c.Sets, " "); got != names[0][i] {
			t.Errorf("resolved spec, cell %d: %s, want %s", i, got, names[0][i])
		}
	}
	// Preparing again is fine; preparing a different sweep there is not.
	if err := Prepare(out, s); err != nil {
		t.Errorf("preparing the same sweep again: %v", err)
	}
	s.Seeds = 3
	if err := Prepare(out, s); err == nil || !strings.Contains(err.Error(), "different sweep") {
		t.Errorf("preparing a different sweep in the folder: %v", err)
	}
}

func TestLoadSpecErrors(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct{ body, want string }{
		{"grid: {curation.k: [2]}\n", "base"},
		{"base: x.yaml\ngrids: {}\n", "grids"},
		{"base: x.yaml\ngrid: {curation.k: 2}\n", "grid.curation.k: want a list"},
	} {
		p := filepath.Join(dir, "s.yaml")
		os.WriteFile(p, []byte(tc.body), 0o644)
		if _, err := LoadSpec(p); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want it to name %q", tc.body, err, tc.want)
		}
	}
}
