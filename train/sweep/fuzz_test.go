package sweep

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// eachMetric (sweep collect's metrics.csv reader) never panics; what it
// accepts, written again with encoding/csv, reads back the same.
func FuzzEachMetric(f *testing.F) {
	f.Add([]byte("generation,model,metric,value\n0,solo,kl_real,0.5\n1,solo,reward/alice,-1e-300\n"))
	f.Add([]byte("generation,model,metric,value\n0,\"a,\"\"b\",kl_real,NaN\n"))
	f.Add([]byte("generation,model,metric\n0,a,b\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		dir := t.TempDir()
		path := filepath.Join(dir, "metrics.csv")
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		var recs [][]string
		if err := eachMetric(path, func(rec []string, _ float64) { recs = append(recs, slices.Clone(rec)) }); err != nil {
			return
		}
		var out bytes.Buffer
		w := csv.NewWriter(&out)
		w.Write([]string{"generation", "model", "metric", "value"})
		w.WriteAll(recs)
		again := filepath.Join(dir, "again.csv")
		if err := os.WriteFile(again, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		var back [][]string
		if err := eachMetric(again, func(rec []string, _ float64) { back = append(back, slices.Clone(rec)) }); err != nil {
			t.Fatalf("the writer's output does not read: %v\n%q", err, out.Bytes())
		}
		if !slices.EqualFunc(recs, back, slices.Equal) {
			t.Fatalf("wrote %q, read %q", recs, back)
		}
	})
}
