package runfolder

import (
	"bytes"
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// quoted is a model name encoding/csv must quote: a comma and a quote.
const quoted = `a,"b`

// Rows with a comma and a quote in the model name round-trip through the
// metrics.csv writer and ReadRows.
func TestMetricsCSVRoundTripsQuotedNames(t *testing.T) {
	rows := []Row{{0, quoted, "reward/x,y", 0.25}, {1, quoted, "kl_real", -1e-300}, {2, "plain", `say "hi"`, 3}}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write(MetricsColumns)
	WriteRows(w, rows)
	w.Flush()
	path := filepath.Join(t.TempDir(), MetricsFile)
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := ReadRows(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(rows) {
		t.Fatalf("read %d rows, wrote %d", len(got), len(rows))
	}
	for i := range rows {
		if got[i] != rows[i] {
			t.Errorf("row %d: read %+v, wrote %+v", i, got[i], rows[i])
		}
	}
	// Plain fields are written exactly as the comma-joined line.
	if !strings.HasSuffix(b.String(), "\n2,plain,\"say \"\"hi\"\"\",3\n") || !strings.HasPrefix(b.String(), "generation,model,metric,value\n0,\"a,\"\"b\",") {
		t.Errorf("unexpected encoding:\n%s", b.String())
	}
}

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
		w.Write(MetricsColumns)
		WriteRows(w, rows)
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

// rawRows reads a metrics.csv with EachRow as sweep collect does: each row's
// fields as the file has them.
func rawRows(path string) ([][]string, error) {
	var recs [][]string
	_, err := EachRow(path, func(_ Row, r Record) error {
		recs = append(recs, r.Fields(MetricsColumns))
		return nil
	})
	return recs, err
}

// EachRow, as sweep collect reads metrics.csv, never panics; the fields it
// accepts, written again with encoding/csv, read back the same.
func FuzzEachRow(f *testing.F) {
	f.Add([]byte("generation,model,metric,value\n0,solo,kl_real,0.5\n1,solo,reward/alice,-1e-300\n"))
	f.Add([]byte("generation,model,metric,value\n0,\"a,\"\"b\",kl_real,NaN\n"))
	f.Add([]byte("generation,model,metric\n0,a,b\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		dir := t.TempDir()
		path := filepath.Join(dir, MetricsFile)
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		recs, err := rawRows(path)
		if err != nil {
			return
		}
		var out bytes.Buffer
		w := csv.NewWriter(&out)
		w.Write(MetricsColumns)
		w.WriteAll(recs)
		again := filepath.Join(dir, "again.csv")
		if err := os.WriteFile(again, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		back, err := rawRows(again)
		if err != nil {
			t.Fatalf("the writer's output does not read: %v\n%q", err, out.Bytes())
		}
		if !slices.EqualFunc(recs, back, slices.Equal) {
			t.Fatalf("wrote %q, read %q", recs, back)
		}
	})
}
