package regimemap

import (
	"encoding/csv"
	"fmt"
	"github.com/selfconsume/selfconsume/runfolder"
	"math"
	"os"
	"path/filepath"
	"strconv"

	"github.com/selfconsume/selfconsume/train/theory"
)

// Roles of a row's model with respect to the knob.
const (
	RoleSelf  = "self"  // the knob's own model: its alignment row is the self-influence
	RoleCross = "cross" // another model: its alignment row is a cross-influence
)

// Row is one line of map.csv: one cell, model and population.
type Row struct {
	Cell
	Model, Population string
	// Aligned: the population is the one that curates the model's outputs,
	// so Total is the model's self-influence (Role self) or its
	// cross-influence (Role cross); only aligned rows carry a Label.
	Aligned bool
	Role    string
	// J is the model's expected true reward under the population at the
	// fixed point (NaN when the fixed point is not a prediction).
	J         float64
	Stability string  // of the model's part of the fixed point
	Rho       float64 // spectral radius of the map's Jacobian at the fixed point
	// Total and Isolated are dJ/dlambda with and without feedback
	// (theory.Influence); NaN without an influence.
	Total, Isolated float64
	Label           string // theory.Label of an aligned row ("" otherwise)
	// Inversion: feedback flips the sign of the isolated effect (both
	// non-zero, the label neither none nor negligible).
	Inversion bool
	Note      string // why numbers are missing
}

// inversion says whether feedback flips the isolated effect's sign.
func inversion(label string, total, iso float64) bool {
	if label == "" || label == theory.LabelNone || label == theory.LabelNegligible {
		return false
	}
	tol := 1e-9 * math.Max(math.Abs(total), math.Abs(iso))
	return (total > tol && iso < -tol) || (total < -tol && iso > tol)
}

// header is map.csv's first line.
var header = []string{"cell", "x_index", "y_index", "x", "y", "model", "population", "aligned", "role",
	"fixed_point_j", "stability", "rho", "total", "isolated", "label", "inversion", "note"}

// rowsCSV writes rows with the header, every number in its shortest exact
// form.
func rowsCSV(rows []Row) []byte {
	return runfolder.Fill(header, func(row func(...string)) {
		for _, r := range rows {
			row(strconv.Itoa(r.Index), strconv.Itoa(r.IX), strconv.Itoa(r.IY), format(r.X), format(r.Y),
				r.Model, r.Population, strconv.FormatBool(r.Aligned), r.Role, format(r.J), r.Stability, format(r.Rho),
				format(r.Total), format(r.Isolated), r.Label, strconv.FormatBool(r.Inversion), r.Note)
		}
	})
}

// ReadRows reads a map.csv (or one cell's file).
func ReadRows(path string) ([]Row, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(recs) == 0 || len(recs[0]) != len(header) {
		return nil, fmt.Errorf("%s: not a map file (want the header %v)", path, header)
	}
	var out []Row
	for n, rec := range recs[1:] {
		var r Row
		var errs []error
		num := func(s string) float64 {
			v, err := strconv.ParseFloat(s, 64)
			errs = append(errs, err)
			return v
		}
		whole := func(s string) int {
			v, err := strconv.Atoi(s)
			errs = append(errs, err)
			return v
		}
		r.Index, r.IX, r.IY, r.X, r.Y = whole(rec[0]), whole(rec[1]), whole(rec[2]), num(rec[3]), num(rec[4])
		r.Model, r.Population, r.Aligned, r.Role = rec[5], rec[6], rec[7] == "true", rec[8]
		r.J, r.Stability, r.Rho, r.Total, r.Isolated = num(rec[9]), rec[10], num(rec[11]), num(rec[12]), num(rec[13])
		r.Label, r.Inversion, r.Note = rec[14], rec[15] == "true", rec[16]
		for _, err := range errs {
			if err != nil {
				return nil, fmt.Errorf("%s line %d: %w", path, n+2, err)
			}
		}
		out = append(out, r)
	}
	return out, nil
}

// collect reads every cell's file, in cell order, and writes map.csv.
func collect(dir string, cells []Cell) ([]Row, error) {
	var rows []Row
	for _, c := range cells {
		rs, err := ReadRows(cellFile(dir, c))
		if err != nil {
			return nil, err
		}
		rows = append(rows, rs...)
	}
	return rows, runfolder.WriteFileAtomic(filepath.Join(dir, MapFile), rowsCSV(rows))
}
