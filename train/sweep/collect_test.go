package sweep

import (
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/selfconsume/selfconsume/runfolder"
)

// fakeCell writes a finished cell whose metrics.csv holds the given rows.
func fakeCell(t *testing.T, dir string, c Cell, rows string) {
	t.Helper()
	cd := CellDir(dir, c)
	if err := os.MkdirAll(cd, 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(cd, runfolder.MetricsFile), []byte("generation,model,metric,value\n"+rows), 0o644)
	os.WriteFile(filepath.Join(cd, runfolder.DoneFile), []byte("done\n"), 0o644)
}

func TestCollectSummaryByHand(t *testing.T) {
	// Three seeds of curation.k=2 give entropy 1, 2 and 4 at generation 3;
	// at generation 0 the third seed's value is NaN and is left out. Of
	// curation.k=4 only the first seed finished.
	dir := prepared(t, tiny(Grid{{Key: "curation.k", Values: []string{"2", "4"}}}, 3))
	cells := cellsOf(t, dir)
	fakeCell(t, dir, cells[0], "0,solo,entropy,3\n3,solo,entropy,1\n")
	fakeCell(t, dir, cells[1], "0,solo,entropy,5\n3,solo,entropy,2\n")
	fakeCell(t, dir, cells[2], "0,solo,entropy,NaN\n3,solo,entropy,4\n")
	fakeCell(t, dir, cells[3], "0,solo,entropy,0.25\n3,solo,entropy,0.5\n")
	if err := Collect(dir); err != nil {
		t.Fatal(err)
	}
	wantSweep := `curation.k,seed,generation,model,metric,value
2,1,0,solo,entropy,3
2,1,3,solo,entropy,1
2,2,0,solo,entropy,5
2,2,3,solo,entropy,2
2,3,0,solo,entropy,NaN
2,3,3,solo,entropy,4
4,1,0,solo,entropy,0.25
4,1,3,solo,entropy,0.5
`
	if got := string(read(t, filepath.Join(dir, runfolder.SweepCSV))); got != wantSweep {
		t.Errorf("sweep.csv\n%s\nwant\n%s", got, wantSweep)
	}
	// Generation 3 of k=2: mean 7/3; sample variance ((4/3)^2 + (1/3)^2 +
	// (5/3)^2)/2 = 7/3; standard error sqrt(7/3/3) = sqrt(7)/3.
	// The intervals are Student-t: t(0.975, 1) = 12.7062047 for 2 seeds,
	// t(0.975, 2) = 4.30265273 for 3.
	se := math.Sqrt(7) / 3
	const t1, t2 = 12.706204736174692, 4.302652729749462
	want := map[string][]float64{
		"2,0,solo,entropy": {2, 4, 1, 4 - t1, 4 + t1}, // 3 and 5: mean 4, se 1
		"2,3,solo,entropy": {3, 7.0 / 3, se, 7.0/3 - t2*se, 7.0/3 + t2*se},
		"4,0,solo,entropy": {1, 0.25, 0, 0.25, 0.25},
		"4,3,solo,entropy": {1, 0.5, 0, 0.5, 0.5},
	}
	lines := strings.Split(strings.TrimSpace(string(read(t, filepath.Join(dir, runfolder.SummaryCSV)))), "\n")
	if lines[0] != "curation.k,generation,model,metric,n,mean,stderr,ci_low,ci_high" {
		t.Errorf("summary.csv header %q", lines[0])
	}
	if len(lines) != 1+len(want) {
		t.Fatalf("summary.csv has %d rows, want %d:\n%s", len(lines)-1, len(want), strings.Join(lines, "\n"))
	}
	for _, line := range lines[1:] {
		f := strings.Split(line, ",")
		key := strings.Join(f[:4], ",")
		w, ok := want[key]
		if !ok {
			t.Errorf("unexpected summary row %q", line)
			continue
		}
		for i, ws := range f[4:] {
			v, _ := strconv.ParseFloat(ws, 64)
			if math.Abs(v-w[i]) > 1e-12 {
				t.Errorf("%s: column %d = %v, want %v", key, 4+i, v, w[i])
			}
		}
	}
}
