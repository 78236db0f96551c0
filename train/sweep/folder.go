package sweep

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"github.com/selfconsume/selfconsume/runfolder"
)

// CellDir is the run folder of a cell.
func CellDir(dir string, c Cell) string { return filepath.Join(dir, runfolder.CellsDir, c.Name) }

// Prepare creates the sweep folder: the resolved spec (sweep.yaml) and the
// table of cells (cells.csv). Preparing a folder that already holds the same
// sweep keeps its cells, so a sweep resumes; a different sweep is an error.
// The Slurm options may differ: the new ones replace the old.
func Prepare(dir string, s Spec) error {
	s, err := s.resolve()
	if err != nil {
		return err
	}
	cells, err := s.Cells()
	if err != nil {
		return err
	}
	specPath := filepath.Join(dir, runfolder.SpecFile)
	if _, err := os.Stat(specPath); err == nil {
		old, err := LoadSpec(specPath)
		if err != nil {
			return err
		}
		if !sameSweep(old, s) {
			return fmt.Errorf("%s already holds a different sweep (see %s); use another --out", dir, specPath)
		}
	}
	if err := os.MkdirAll(filepath.Join(dir, runfolder.CellsDir), 0o755); err != nil {
		return err
	}
	y, err := s.YAML()
	if err != nil {
		return err
	}
	if err := runfolder.WriteFileAtomic(filepath.Join(dir, runfolder.SpecFile), y); err != nil {
		return err
	}
	return runfolder.WriteFileAtomic(filepath.Join(dir, runfolder.CellsFile), cellsTable(s, cells))
}

// sameSweep reports whether two resolved specs give the same cells with the
// same configs (the Slurm options aside).
func sameSweep(a, b Spec) bool {
	a.Slurm, b.Slurm = SlurmOptions{}, SlurmOptions{}
	ay, aerr := a.YAML()
	by, berr := b.YAML()
	return aerr == nil && berr == nil && bytes.Equal(ay, by)
}

// cellsTable is cells.csv: index, name, one column per swept key, seed.
func cellsTable(s Spec, cells []Cell) []byte {
	head := slices.Clone(runfolder.CellsColumns)
	for _, a := range s.Grid {
		head = append(head, a.Key)
	}
	recs := make([][]string, len(cells))
	for i, c := range cells {
		row := []string{strconv.Itoa(c.Index), c.Name}
		for _, kv := range c.Keys {
			row = append(row, runfolder.ColumnText(kv.Value))
		}
		recs[i] = append(row, strconv.FormatUint(c.Seed, 10))
	}
	b, _ := runfolder.CSVBytes(append(head, "seed"), recs) // in memory: no error
	return b
}

// open reads a prepared sweep folder: its spec and cells.
func open(dir string) (Spec, []Cell, error) {
	s, err := LoadSpec(filepath.Join(dir, runfolder.SpecFile))
	if err != nil {
		return Spec{}, nil, fmt.Errorf("%s is not a prepared sweep folder: %w", dir, err)
	}
	cells, err := s.Cells()
	return s, cells, err
}

// cellState is what a cell's markers say.
type cellState int

const (
	statePending cellState = iota
	stateDone
	stateFailed
)

// stateOf reads a cell's markers, and the failure message if it failed.
func stateOf(dir string, c Cell) (cellState, string) {
	cd := CellDir(dir, c)
	if _, err := os.Stat(filepath.Join(cd, runfolder.DoneFile)); err == nil {
		return stateDone, ""
	}
	if msg, err := os.ReadFile(filepath.Join(cd, runfolder.FailedFile)); err == nil {
		return stateFailed, string(bytes.TrimSpace(msg))
	}
	return statePending, ""
}
