package runfolder

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strconv"
)

// FormatFloat formats a number the way every CSV of a run folder does: the
// shortest text that parses back to the same float64.
func FormatFloat(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// Line is one CSV record, with its newline.
func Line(fields []string) string {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write(fields)
	w.Flush()
	return b.String()
}

// CSVBytes is a whole CSV file: a header and the records.
func CSVBytes(header []string, recs [][]string) ([]byte, error) {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write(header)
	w.WriteAll(recs) // flushes
	return b.Bytes(), w.Error()
}

// Fill is CSVBytes with the records emitted by fill (in memory: it cannot
// fail).
func Fill(header []string, fill func(row func(...string))) []byte {
	var recs [][]string
	fill(func(rec ...string) { recs = append(recs, rec) })
	b, _ := CSVBytes(header, recs)
	return b
}

// WriteCSV writes a whole CSV file atomically: a header and the records.
func WriteCSV(path string, header []string, recs [][]string) error {
	b, err := CSVBytes(header, recs)
	if err != nil {
		return err
	}
	return WriteFileAtomic(path, b)
}

// WriteJSON writes v atomically as indented JSON with a final newline (the
// form of theory.json).
func WriteJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return WriteFileAtomic(path, append(b, '\n'))
}
