package train

import (
	"bytes"
	"encoding/csv"
	"strconv"
)

// Every CSV the harness writes goes through encoding/csv, so that a field
// holding a comma, a quote or a line break (a model or population name) is
// quoted and reads back as written; plain fields come out exactly as a
// comma-joined line would.

// metricsHeader is the header of metrics.csv and prediction.csv.
var metricsHeader = []string{"generation", "model", "metric", "value"}

// csvLine is one CSV record, with its newline.
func csvLine(fields []string) string {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write(fields)
	w.Flush()
	return b.String()
}

// writeRows writes tidy rows (generation,model,metric,value) to w, reusing
// one record; the caller flushes and checks w.Error.
func writeRows(w *csv.Writer, rows []Row) {
	rec := make([]string, 4)
	for _, r := range rows {
		rec[0], rec[1], rec[2], rec[3] = strconv.Itoa(r.Generation), r.Model, r.Metric, fmtFloat(r.Value)
		w.Write(rec)
	}
}

// csvBytes is a whole CSV file: a header and the records.
func csvBytes(header []string, recs [][]string) ([]byte, error) {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write(header)
	w.WriteAll(recs) // flushes
	return b.Bytes(), w.Error()
}
