package train

import (
	"bytes"
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// ReadRows never panics; the rows it accepts, written again by the
// metrics.csv writer, read back the same.
func FuzzReadRows(f *testing.F) {
	f.Add([]byte("generation,model,metric,value\n0,solo,kl_real,0.5\n1,solo,reward/alice,-1e-300\n"))
	f.Add([]byte("generation,model,metric,value\n0,\"a,\"\"b\",kl_real,NaN\n2,x,y,+Inf\n"))
	f.Add([]byte("generation,model,metric,value\n0,a,b\n"))
	f.Add([]byte("\"unterminated\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		dir := t.TempDir()
		path := filepath.Join(dir, MetricsFile)
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		rows, err := ReadRows(path)
		if err != nil {
			return
		}
		var out bytes.Buffer
		w := csv.NewWriter(&out)
		w.Write(metricsHeader)
		writeRows(w, rows)
		if w.Flush(); w.Error() != nil {
			t.Fatal(w.Error())
		}
		again := filepath.Join(dir, "again.csv")
		if err := os.WriteFile(again, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		back, err := ReadRows(again)
		if err != nil {
			t.Fatalf("the writer's output does not read: %v\n%q", err, out.Bytes())
		}
		if len(back) != len(rows) {
			t.Fatalf("%d rows read back, %d written", len(back), len(rows))
		}
		for i := range rows {
			a, b := rows[i], back[i]
			same := a.Value == b.Value || (math.IsNaN(a.Value) && math.IsNaN(b.Value))
			if a.Generation != b.Generation || a.Model != b.Model || a.Metric != b.Metric || !same {
				t.Fatalf("row %d: wrote %+v, read %+v", i, a, b)
			}
		}
	})
}
