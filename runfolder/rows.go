package runfolder

import (
	"bytes"
	"encoding/csv"
	"strconv"
)

// Row is one number of a run: the tidy metrics.csv (and prediction.csv)
// line generation,model,metric,value.
type Row struct {
	Generation int
	Model      string
	Metric     string
	Value      float64
}

// WriteRows writes tidy rows (MetricsColumns) to w, reusing one record; the
// caller writes the header, flushes and checks w.Error.
func WriteRows(w *csv.Writer, rows []Row) {
	rec := make([]string, 4)
	for _, r := range rows {
		rec[0], rec[1], rec[2], rec[3] = strconv.Itoa(r.Generation), r.Model, r.Metric, FormatFloat(r.Value)
		w.Write(rec)
	}
}

// EachRow reads a tidy metrics.csv or prediction.csv and calls each with
// every row, parsed, and its record (for its raw text and for errors). The
// model and metric must not be empty; an empty value is NaN. A missing file
// is not an error: found is false.
func EachRow(path string, each func(Row, Record) error) (found bool, err error) {
	return Read(path, MetricsColumns, func(r Record) error {
		var row Row
		var err error
		if row.Generation, row.Model, row.Metric, err = r.GenModelMetric(); err != nil {
			return err
		}
		if row.Value, err = r.Float("value"); err != nil {
			return err
		}
		return each(row, r)
	})
}

// ReadRows reads a tidy metrics.csv or prediction.csv; a missing file is an
// error.
func ReadRows(path string) ([]Row, error) {
	var rows []Row
	found, err := EachRow(path, func(row Row, _ Record) error {
		rows = append(rows, row)
		return nil
	})
	return rows, Found(path, found, err)
}

// RowsCSV is a whole tidy file (metrics.csv's form): the header and the rows
// (in memory: it cannot fail).
func RowsCSV(rows []Row) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write(MetricsColumns)
	WriteRows(w, rows)
	w.Flush()
	return b.Bytes()
}
