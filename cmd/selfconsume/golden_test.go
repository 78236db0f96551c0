package main

import (
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/selfconsume/selfconsume/internal/gemm"
)

// update rewrites the golden files instead of comparing with them:
// go test ./cmd/selfconsume -run Golden -update.
var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// volatile matches the parts of run's output that depend on the clock and
// the folder: the wall time and the run folder's path.
var volatile = regexp.MustCompile(`, [0-9.]+m?s\n|folder: \S+|report: \S+`)

// The quickstart's printed numbers are pinned: a change of the random
// streams, of the training or of the metrics that stays self-consistent
// (every test still passes) still changes these digits, and must be seen
// and the golden file rewritten on purpose. The numbers are exact where the
// multiplies run on the gemm kernels (x86-64 with AVX2 and FMA; TestMain
// installs models.Gemm); elsewhere, or with the noasm tag, gonum's
// multiplies round differently and the test skips.
func TestGoldenQuickstartOutput(t *testing.T) {
	if !gemm.Accelerated() {
		t.Skip("the golden numbers are those of the gemm kernels; this CPU uses gonum's multiplies")
	}
	out, err := execute(t, "run", "../../configs/quickstart.yaml", "--out", filepath.Join(t.TempDir(), "qs"), "--quiet", "--no-report")
	if err != nil {
		t.Fatal(err)
	}
	got := volatile.ReplaceAllString(out, "<volatile>\n")
	golden := filepath.Join("testdata", "quickstart.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (write it with -update)", err)
	}
	if got != string(want) {
		t.Errorf("quickstart's output changed; if on purpose, rerun with -update and update README.md.\ngot:\n%s\nwant:\n%s", got, want)
	}
}
