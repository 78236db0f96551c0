package main

import (
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestFitLineRecoversPowerLaw(t *testing.T) {
	// s = 0.01 x^1.5 exactly: the log-log slope is 1.5 with zero residual.
	var lx, ly []float64
	for _, x := range []float64{1, 2, 4, 8, 16} {
		lx = append(lx, math.Log(x))
		ly = append(ly, math.Log(0.01*math.Pow(x, 1.5)))
	}
	a, b, se := fitLine(lx, ly)
	if math.Abs(b-1.5) > 1e-12 || math.Abs(a-math.Log(0.01)) > 1e-12 || se > 1e-6 {
		t.Fatalf("fit a=%v b=%v se=%v, want a=log(0.01) b=1.5 se=0", a, b, se)
	}
}

func TestFitLineStandardError(t *testing.T) {
	// y = 0, 1, 1, 2 at x = 0..3: slope 0.6, residuals -0.1, 0.3, -0.3, 0.1,
	// s.e. = sqrt(0.2/2/5) = 0.1414.
	_, b, se := fitLine([]float64{0, 1, 2, 3}, []float64{0, 1, 1, 2})
	if math.Abs(b-0.6) > 1e-12 || math.Abs(se-math.Sqrt(0.02)) > 1e-12 {
		t.Fatalf("b=%v se=%v, want 0.6 and %v", b, se, math.Sqrt(0.02))
	}
}

func TestMedian(t *testing.T) {
	if m := median([]float64{3, 1, 2}); m != 2 {
		t.Fatalf("median odd = %v, want 2", m)
	}
	if m := median([]float64{4, 1, 2, 3}); m != 2.5 {
		t.Fatalf("median even = %v, want 2.5", m)
	}
}

func TestRunTablesAndExtrapolation(t *testing.T) {
	// models: s/gen = 0.01 m (exponent 1), RSS = 1e5 + 1e5 m kB, reaching 24 GiB at
	// m = (25165824 - 1e5)/1e5 = 250.66 on the linear fit.
	dir := t.TempDir()
	csv := "axis,value,run,gen_per_s,seconds_per_gen,peak_rss_kb\n"
	for _, m := range []float64{1, 2, 4, 8} {
		for r, jitter := range []float64{0.9, 1, 1.1} { // median picks the middle run
			csv += strings.Join([]string{"models", ftoa(m), ftoa(float64(r + 1)), ftoa(jitter * 100 / m), "0", ftoa(1e5 + 1e5*m)}, ",") + "\n"
		}
	}
	path := filepath.Join(dir, "scale.csv")
	if err := os.WriteFile(path, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	if err := run(path, dir, &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"| number of models | 1–8 | 1.00 ± 0.00 | 1.00 |", "; 251; ", "| models | 8 | 3 | 12.5 | 0.08 |"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if fi, err := os.Stat(filepath.Join(dir, "models.png")); err != nil || fi.Size() == 0 {
		t.Errorf("models.png not written: %v", err)
	}
}

func ftoa(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
