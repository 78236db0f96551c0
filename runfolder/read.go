package runfolder

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
)

// Record is one data row of a CSV file, with what is needed to name it in an
// error: the file and the line. Columns are found by name.
type Record struct {
	Path string // the file
	Line int    // the row's line in the file (1 is the header)
	cols map[string]int
	rec  []string
}

// Errorf returns an error naming the file and line of the record.
func (r Record) Errorf(format string, a ...any) error {
	return fmt.Errorf("%s:%d: %s", r.Path, r.Line, fmt.Sprintf(format, a...))
}

// Raw returns the text of a column as the file has it ("" when the header
// lacks it).
func (r Record) Raw(col string) string {
	i, ok := r.cols[col]
	if !ok {
		return ""
	}
	return r.rec[i]
}

// Fields returns the texts of the given columns as the file has them.
func (r Record) Fields(cols []string) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = r.Raw(c)
	}
	return out
}

// Str returns the trimmed text of a column ("" when the header lacks it).
func (r Record) Str(col string) string { return strings.TrimSpace(r.Raw(col)) }

// NonEmpty returns the text of a column that must not be empty.
func (r Record) NonEmpty(col string) (string, error) {
	s := r.Str(col)
	if s == "" {
		return "", r.Errorf("column %q is empty", col)
	}
	return s, nil
}

// Float parses a number column. An empty cell is NaN (no value); NaN and
// ±Inf are accepted as strconv writes them.
func (r Record) Float(col string) (float64, error) {
	s := r.Str(col)
	if s == "" {
		return math.NaN(), nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, r.Errorf("column %q: %q is not a number", col, s)
	}
	return v, nil
}

// Floats parses several number columns (Float each).
func (r Record) Floats(cols ...string) ([]float64, error) {
	out := make([]float64, len(cols))
	for i, c := range cols {
		var err error
		if out[i], err = r.Float(c); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Number parses a number column that must not be empty.
func (r Record) Number(col string) (float64, error) {
	if r.Str(col) == "" {
		return 0, r.Errorf("column %q: %q is not a number", col, "")
	}
	return r.Float(col)
}

// Int parses an integer column, which must not be empty.
func (r Record) Int(col string) (int, error) {
	s := r.Str(col)
	v, err := strconv.Atoi(s)
	if err != nil {
		return 0, r.Errorf("column %q: %q is not an integer", col, s)
	}
	return v, nil
}

// Read reads a CSV file with a header row naming at least the required
// columns (in any order, more allowed; a byte-order mark and spaces around
// names are ignored) and calls each for every data row. A missing file is not
// an error: found is false. Every error names the file, and the line where
// there is one.
func Read(path string, required []string, each func(Record) error) (found bool, err error) {
	return read(path, required, false, each)
}

// ReadExact is Read for a file the harness itself wrote and reads back bit
// for bit (the world files): the header must be exactly header and every row
// must have as many fields.
func ReadExact(path string, header []string, each func(Record) error) (found bool, err error) {
	return read(path, header, true, each)
}

func read(path string, want []string, exact bool, each func(Record) error) (found bool, err error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	defer f.Close()

	cr := csv.NewReader(f)
	if exact {
		cr.FieldsPerRecord = len(want)
		cr.ReuseRecord = true
	} else {
		cr.TrimLeadingSpace = true
	}
	header, err := cr.Read()
	if err == io.EOF {
		return true, fmt.Errorf("%s:1: empty file, want the header %s", path, strings.Join(want, ","))
	}
	if exact && err == nil && !slices.Equal(header, want) {
		return true, fmt.Errorf("%s:1: want the header %s", path, strings.Join(want, ","))
	}
	if err != nil {
		return true, csvError(path, err)
	}
	cols := make(map[string]int, len(header))
	for i, h := range header {
		cols[strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))] = i
	}
	for _, c := range want {
		if _, ok := cols[c]; !ok {
			return true, fmt.Errorf("%s:1: the header has no column %q (want %s)", path, c, strings.Join(want, ","))
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
		if err := each(Record{Path: path, Line: line, cols: cols, rec: rec}); err != nil {
			return true, err
		}
	}
}

// Header returns the trimmed header row of a CSV file whose first columns
// vary (summary.csv starts with the swept keys); want describes the header
// in the error for an empty file.
func Header(path, want string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	h, err := csv.NewReader(f).Read()
	if err == io.EOF {
		return nil, fmt.Errorf("%s:1: empty file, want the header %s", path, want)
	}
	if err != nil {
		return nil, csvError(path, err)
	}
	for i := range h {
		h[i] = strings.TrimSpace(strings.TrimPrefix(h[i], "\ufeff"))
	}
	return h, nil
}

// csvError names the file and line of an encoding/csv error.
func csvError(path string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s:%d: %v", path, pe.Line, pe.Err)
	}
	return fmt.Errorf("%s: %v", path, err)
}

// Found turns a reader's found and err into one error for a file that must
// exist: err, or the missing file's error when found is false.
func Found(path string, found bool, err error) error {
	if err == nil && !found {
		_, err = os.Stat(path)
		if err == nil { // created since
			err = fmt.Errorf("%s: %w", path, fs.ErrNotExist)
		}
	}
	return err
}

// GenModel parses the generation and model columns of a tidy row.
func (r Record) GenModel() (gen int, model string, err error) {
	if gen, err = r.Int("generation"); err != nil {
		return 0, "", err
	}
	model, err = r.NonEmpty("model")
	return gen, model, err
}

// GenModelMetric parses the generation, model and metric columns of a tidy
// row.
func (r Record) GenModelMetric() (gen int, model, metric string, err error) {
	if gen, model, err = r.GenModel(); err != nil {
		return 0, "", "", err
	}
	metric, err = r.NonEmpty("metric")
	return gen, model, metric, err
}

// ReadJSON decodes the JSON file at path into v. A missing file is not an
// error: found is false. A syntax or type error names the file and the line.
func ReadJSON(path string, v any) (found bool, err error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if err := json.Unmarshal(b, v); err != nil {
		var off int64 = -1
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			off = se.Offset
		case errors.As(err, &te):
			off = te.Offset
		}
		if off >= 0 {
			off = min(off, int64(len(b)))
			line := 1 + bytes.Count(b[:off], []byte("\n"))
			return true, fmt.Errorf("%s:%d: %v", path, line, err)
		}
		return true, fmt.Errorf("%s: %v", path, err)
	}
	return true, nil
}
