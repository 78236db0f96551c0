package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/selfconsume/selfconsume/train/regimemap"
)

// map on the tiny test map writes map.csv with every cell (5 x 5, two
// models, two populations), the three figures and report.md, and prints
// the regions; a bad axis is refused naming the key.
func TestMapWritesCSVAndFigures(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "m")
	out, err := execute(t, "map", "../../train/regimemap/testdata/tiny-map.yaml", "--out", dir, "--no-spot", "-q")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	rows, err := regimemap.ReadRows(filepath.Join(dir, regimemap.MapFile))
	if err != nil {
		t.Fatal(err)
	}
	cells := map[int]bool{}
	for _, r := range rows {
		cells[r.Index] = true
	}
	if len(cells) != 25 || len(rows) != 100 {
		t.Errorf("%d cells, %d rows; want 25 and 100", len(cells), len(rows))
	}
	for _, f := range []string{"plots/map-labels.png", "plots/map-influence.png", "plots/map-inversion.png", "report.md"} {
		if fi, err := os.Stat(filepath.Join(dir, f)); err != nil || fi.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
	if !strings.Contains(out, "5 x 5 cells (25 computed now)") || !strings.Contains(out, "p (self-influence on alice)") {
		t.Errorf("output lacks the cell count or p's regions:\n%s", out)
	}
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	abs, _ := filepath.Abs("../../train/regimemap/testdata/tiny.yaml")
	if err := os.WriteFile(bad, []byte("base: "+abs+"\nx: {param: cross, model: p, values: [0, 1]}\ny: {param: k, values: [2, 2.5]}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := execute(t, "map", bad, "--out", filepath.Join(t.TempDir(), "b"), "-q"); err == nil || !strings.Contains(err.Error(), "map: y: value 1 (2.5)") {
		t.Errorf("a non-integer K: %v; want an error naming y's value", err)
	}
}
