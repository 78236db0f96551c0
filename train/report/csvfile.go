package report

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"strconv"
	"strings"
)

// csvRecord is one data row of a run-folder CSV, with what is needed to name
// it in an error: the file and the line.
type csvRecord struct {
	path string
	line int
	cols map[string]int
	rec  []string
}

// errorf returns an error naming the file and line of the record.
func (r csvRecord) errorf(format string, a ...any) error {
	return fmt.Errorf("%s:%d: %s", r.path, r.line, fmt.Sprintf(format, a...))
}

// str returns the trimmed text of a column ("" when the header lacks it).
func (r csvRecord) str(col string) string {
	i, ok := r.cols[col]
	if !ok {
		return ""
	}
	return strings.TrimSpace(r.rec[i])
}

// nonEmpty returns the text of a column that must not be empty.
func (r csvRecord) nonEmpty(col string) (string, error) {
	s := r.str(col)
	if s == "" {
		return "", r.errorf("column %q is empty", col)
	}
	return s, nil
}

// float parses a number column. An empty cell is NaN (no value); NaN and
// ±Inf are accepted as strconv writes them.
func (r csvRecord) float(col string) (float64, error) {
	s := r.str(col)
	if s == "" {
		return math.NaN(), nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, r.errorf("column %q: %q is not a number", col, s)
	}
	return v, nil
}

// int parses an integer column, which must not be empty.
func (r csvRecord) int(col string) (int, error) {
	s := r.str(col)
	v, err := strconv.Atoi(s)
	if err != nil {
		return 0, r.errorf("column %q: %q is not an integer", col, s)
	}
	return v, nil
}

// readCSV reads a CSV file with a header row naming at least the required
// columns (in any order) and calls each for every data row. A missing file is
// not an error: found is false. Every error names the file and the line.
func readCSV(path string, required []string, each func(csvRecord) error) (found bool, err error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	defer f.Close()

	cr := csv.NewReader(f)
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if err == io.EOF {
		return true, fmt.Errorf("%s:1: empty file, want the header %s", path, strings.Join(required, ","))
	}
	if err != nil {
		return true, csvError(path, err)
	}
	cols := make(map[string]int, len(header))
	for i, h := range header {
		cols[strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))] = i
	}
	for _, c := range required {
		if _, ok := cols[c]; !ok {
			return true, fmt.Errorf("%s:1: the header has no column %q (want %s)", path, c, strings.Join(required, ","))
		}
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return true, nil
		}
		if err != nil {
			return true, csvError(path, err)
		}
		line, _ := cr.FieldPos(0)
		if err := each(csvRecord{path: path, line: line, cols: cols, rec: rec}); err != nil {
			return true, err
		}
	}
}

// csvError names the file and line of an encoding/csv error.
func csvError(path string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s:%d: %v", path, pe.Line, pe.Err)
	}
	return fmt.Errorf("%s: %v", path, err)
}
