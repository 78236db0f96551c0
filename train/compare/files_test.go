package compare

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"testing"
)

// influence.csv must stay valid CSV whatever the verdict says: the
// "sign agrees, outside interval" verdict holds a comma.
func TestInfluenceCSVQuotesVerdicts(t *testing.T) {
	dir := t.TempDir()
	rows := []Influence{
		{Model: "p", Population: "a", Predicted: -0.8, Measured: -0.7, Half: 0.05, SignAgrees: true, Inside: false},
		{Model: "q", Population: "b", Predicted: 0.2, Measured: -0.1, Half: 0.05},
		{Model: "q", Population: "a", Predicted: 0.2, Measured: 0.21, Half: 0.05, SignAgrees: true, Inside: true},
	}
	if err := writeInfluence(dir, "p", rows); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(dir, InfluenceFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("influence.csv is not valid CSV: %v", err)
	}
	want := []string{"sign agrees, outside interval", "sign differs", "agrees"}
	if len(recs) != 1+len(want) {
		t.Fatalf("%d records, want %d", len(recs), 1+len(want))
	}
	for i, v := range want {
		if got := recs[i+1][8]; got != v {
			t.Errorf("row %d verdict %q, want %q", i+1, got, v)
		}
		if recs[i+1][6] != ff(rows[i].Measured-rows[i].Half) {
			t.Errorf("row %d ci_low %s", i+1, recs[i+1][6])
		}
	}
}
