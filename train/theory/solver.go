package theory

import (
	"fmt"
	"math"
)

// Solvers of the linear algebra at a state (spectral radius, Newton steps,
// influence): System.Solver.
const (
	// SolverAuto picks SolverDense while the dense work is small (see
	// DenseLimit) and SolverMatrixFree above.
	SolverAuto = "auto"
	// SolverDense forms every context's tangent block of D Phi, n(V-1)
	// square: eigenvalues by the QR algorithm, O(C (n(V-1))^3) time and
	// O((n(V-1))^2) memory per block; solves by LU.
	SolverDense = "dense"
	// SolverMatrixFree never forms the blocks: products with D Phi from the
	// law's per-row Jacobians, the spectral radius by Krylov-Schur
	// (RadiusTol), solves by GMRES (SolveTol).
	SolverMatrixFree = "matrixfree"
)

// Solvers lists the allowed values of System.Solver ("" means SolverAuto).
var Solvers = []string{SolverAuto, SolverDense, SolverMatrixFree}

// DenseLimit is SolverAuto's switch: dense while the eigen-decompositions'
// work, C (n(V-1))^3 for C contexts, n models and V tokens, is at most
// DenseLimit (about a second of one core), matrix-free above. Every shipped
// config but scale-cat falls below; ring-2d reaches it at resolution 32.
const DenseLimit = 1e9

// DenseWork returns C (n(V-1))^3, the size SolverAuto compares with
// DenseLimit, for n models, C contexts and V tokens.
func DenseWork(n, c, v int) float64 {
	b := float64(n) * float64(v-1)
	return float64(c) * b * b * b
}

// ValidateSolver checks a solver name.
func ValidateSolver(name string) error {
	if name == "" {
		return nil
	}
	for _, s := range Solvers {
		if name == s {
			return nil
		}
	}
	return fmt.Errorf("theory: solver %q; allowed: auto, dense, matrixfree", name)
}

// MatrixFree reports whether the solver used for s is the matrix-free one:
// System.Solver, or by size under SolverAuto (UseMatrixFree).
func (s *System) MatrixFree() bool {
	return UseMatrixFree(s.Solver, len(s.Models), s.Real.C, s.Real.V)
}

// UseMatrixFree reports whether solver (see Solvers) picks the matrix-free
// linear algebra for n models, C contexts and V tokens: SolverAuto does
// when DenseWork exceeds DenseLimit.
func UseMatrixFree(solver string, n, c, v int) bool {
	switch solver {
	case SolverDense:
		return false
	case SolverMatrixFree:
		return true
	}
	return DenseWork(n, c, v) > DenseLimit
}

// spectralRadiusFree is SpectralRadius without the blocks; NaN if a
// context's Krylov iteration did not converge.
func (s *System) spectralRadiusFree(l *linearMap) float64 {
	rho, ok := l.radius()
	if !ok {
		return math.NaN()
	}
	return rho
}
