package models

import (
	"fmt"
	"sync"

	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/blas/gonum"
	G "gorgonia.org/gorgonia"

	"github.com/selfconsume/selfconsume/internal/gemm"
	"github.com/selfconsume/selfconsume/internal/openblas"
)

// Backend names the BLAS that every network's matrix multiplies go through.
type Backend string

// The backends. Gemm and Gonum are in every build; OpenBLAS only in a build
// with the openblas tag.
const (
	// Gemm is gonum's BLAS with the packed AVX2/FMA or AVX-512 multiply
	// (gonum's multiply on CPUs without AVX2 and FMA, or with the noasm
	// build tag).
	Gemm Backend = "gemm"
	// Gonum is gonum's pure-Go BLAS, gorgonia's default.
	Gonum Backend = "gonum"
	// OpenBLAS is OpenBLAS through cgo, one thread per call.
	OpenBLAS Backend = "openblas"
)

// DefaultBackend is the selfconsume command's choice: OpenBLAS in a build
// with the openblas tag, Gemm otherwise.
func DefaultBackend() Backend {
	if openblas.Built {
		return OpenBLAS
	}
	return Gemm
}

// Backends lists the backends this build offers.
func Backends() []Backend {
	if openblas.Built {
		return []Backend{Gemm, Gonum, OpenBLAS}
	}
	return []Backend{Gemm, Gonum}
}

// backendMu guards installed.
var (
	backendMu sync.Mutex
	installed string // description of the backend installed; "" before UseBackend
)

// UseBackend installs b for the whole process: for gorgonia's graphs
// (gorgonia.Use) and for gonum's blas32 and blas64, which the plain-Go
// forward passes call. Call it once at start-up, before any network is
// built; it is not safe while networks train. It fails, installing nothing,
// for a backend this build lacks.
func UseBackend(b Backend) error {
	var impl G.BLAS
	var name string
	switch b {
	case Gemm:
		impl, name = gemm.Implementation{}, gemm.Name()
	case Gonum:
		impl, name = gonum.Implementation{}, "pure Go (gonum)"
	case OpenBLAS:
		if !openblas.Built {
			return fmt.Errorf("BLAS backend %q: this binary was built without the openblas tag (go build -tags openblas)", b)
		}
		impl, name = openblas.Implementation(), openblas.Name
	default:
		return fmt.Errorf("BLAS backend %q: want one of %q", b, Backends())
	}
	backendMu.Lock()
	defer backendMu.Unlock()
	G.Use(impl)
	blas32.Use(impl)
	blas64.Use(impl)
	installed = name
	return nil
}

// BackendName describes the BLAS in use, e.g. "pure Go (gonum, AVX-512
// gemm kernels)".
func BackendName() string {
	backendMu.Lock()
	defer backendMu.Unlock()
	if installed == "" {
		return "pure Go (gonum, gorgonia's default: no backend chosen)"
	}
	return installed
}
