package models

import (
	"strings"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/blas/gonum"
	G "gorgonia.org/gorgonia"

	"github.com/selfconsume/selfconsume/internal/gemm"
	"github.com/selfconsume/selfconsume/internal/openblas"
)

// UseBackend installs the chosen BLAS for gorgonia, blas32 and blas64 and
// names it; a backend the build lacks is an error that says what is
// allowed and installs nothing. Not parallel: it switches the process's
// BLAS (and puts TestMain's back before the parallel tests run).
func TestUseBackend(t *testing.T) {
	defer func() {
		if err := UseBackend(Gemm); err != nil {
			t.Fatal(err)
		}
	}()
	if err := UseBackend(Gonum); err != nil {
		t.Fatal(err)
	}
	want := gonum.Implementation{}
	if G.WhichBLAS() != G.BLAS(want) || blas32.Implementation() != blas.Float32(want) || blas64.Implementation() != blas.Float64(want) {
		t.Fatal("UseBackend(Gonum) did not install gonum's BLAS everywhere")
	}
	if got := BackendName(); got != "pure Go (gonum)" {
		t.Fatalf("BackendName() = %q after UseBackend(Gonum)", got)
	}
	bad := []Backend{"mkl", "", "GEMM"}
	if !openblas.Built {
		bad = append(bad, OpenBLAS)
	}
	for _, b := range bad {
		err := UseBackend(b)
		if err == nil {
			t.Fatalf("UseBackend(%q) accepted", b)
		}
		says := `"gemm" "gonum"`
		if b == OpenBLAS {
			says = "-tags openblas"
		}
		if !strings.Contains(err.Error(), says) {
			t.Errorf("UseBackend(%q): %v; want it to say %s", b, err, says)
		}
	}
	if G.WhichBLAS() != G.BLAS(want) {
		t.Fatal("a refused backend changed the BLAS")
	}
	if err := UseBackend(Gemm); err != nil {
		t.Fatal(err)
	}
	if G.WhichBLAS() != G.BLAS(gemm.Implementation{}) || BackendName() != gemm.Name() {
		t.Fatalf("UseBackend(Gemm): BLAS %T, name %q", G.WhichBLAS(), BackendName())
	}
}
