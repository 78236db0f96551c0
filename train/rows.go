package train

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strconv"
)

// ReadRows reads a tidy generation,model,metric,value CSV (metrics.csv,
// prediction.csv).
func ReadRows(path string) ([]Row, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = 4
	if _, err := r.Read(); err != nil {
		return nil, fmt.Errorf("%s: header: %w", path, err)
	}
	var rows []Row
	for line := 2; ; line++ {
		rec, err := r.Read()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		g, err1 := strconv.Atoi(rec[0])
		v, err2 := strconv.ParseFloat(rec[3], 64)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("%s:%d: bad generation or value", path, line)
		}
		rows = append(rows, Row{Generation: g, Model: rec[1], Metric: rec[2], Value: v})
	}
}
