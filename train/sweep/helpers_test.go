package sweep

import (
	"os"
	"path/filepath"
	"testing"
)

// tiny is a sweep of the tiny test config over the given grid and seeds.
func tiny(grid Grid, seeds int) Spec {
	return Spec{Base: "testdata/tiny.yaml", Grid: grid, Seeds: seeds}
}

// twoByTwo is the sweep the tests run: curation.k in {2, 4}, two seeds.
func twoByTwo() Spec {
	return tiny(Grid{{Key: "curation.k", Values: []string{"2", "4"}}}, 2)
}

// prepared prepares spec in a fresh folder and returns the folder.
func prepared(t *testing.T, spec Spec) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "sweep")
	if err := Prepare(dir, spec); err != nil {
		t.Fatal(err)
	}
	return dir
}

// read returns a file's contents or fails the test.
func read(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// cellsOf returns the cells of a prepared sweep folder.
func cellsOf(t *testing.T, dir string) []Cell {
	t.Helper()
	_, cells, err := open(dir)
	if err != nil {
		t.Fatal(err)
	}
	return cells
}
