package theory

import (
	"math"
	"math/cmplx"

	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/lapack"
	lapackgo "gonum.org/v1/gonum/lapack/gonum"
)

// Krylov methods of the matrix-free solver. They see a linear operator only
// through its products with vectors: op(x, y) sets y = A x. The vectors live
// in a subspace of dimension dim of R^n that A maps into itself (the tangent
// space: sum-zero per model); the start vectors given are in it.

// Krylov limits and tolerances.
const (
	// krylovBasis is the largest Krylov basis of the spectral radius
	// (Krylov-Schur), krylovKeep the Schur vectors kept at a restart.
	krylovBasis = 60
	krylovKeep  = 30
	// krylovRestarts caps the Krylov-Schur restarts.
	krylovRestarts = 2000
	// RadiusTol is the stated tolerance of the matrix-free spectral radius:
	// the dominant Ritz pair (theta, x) is accepted when
	// |A x - theta x| <= RadiusTol |H|_F |x|, H the projected matrix (whose
	// Frobenius norm is at most A's). theta is then an exact eigenvalue of a
	// matrix within RadiusTol |A|_F of A, so a simple eigenvalue of
	// condition number kappa is off by at most about kappa RadiusTol |A|_F.
	RadiusTol = 1e-12
	// breakdownTol: an Arnoldi vector whose norm after orthogonalisation is
	// below breakdownTol times the scale ends the Krylov space (it is
	// invariant, and holds every eigenvalue of A the start vector touches).
	breakdownTol = 1e-13
	// gmresBasis is the restart length of GMRES, gmresRestarts its cap.
	gmresBasis    = 120
	gmresRestarts = 50
	// SolveTol is the stated tolerance of the matrix-free linear solves
	// (I - D Phi) x = b: GMRES stops at |b - (I - D Phi) x| <= SolveTol |b|.
	SolveTol = 1e-13
)

// orthogonalize makes w orthogonal to the orthonormal basis vectors vs
// (classical Gram-Schmidt, applied twice: the second pass restores the
// orthogonality the first loses to cancellation, which the Krylov-Schur
// residual test at 1e-12 needs) and adds the coefficients to h[0:len(vs)].
func orthogonalize(vs [][]float64, w, h []float64) {
	wv := blas64.Vector{N: len(w), Inc: 1, Data: w}
	for pass := 0; pass < 2; pass++ {
		for i, v := range vs {
			vv := blas64.Vector{N: len(v), Inc: 1, Data: v}
			c := blas64.Dot(vv, wv)
			h[i] += c
			blas64.Axpy(-c, vv, wv)
		}
	}
}

func norm2(x []float64) float64 {
	return blas64.Nrm2(blas64.Vector{N: len(x), Inc: 1, Data: x})
}

// krylovRadius returns the largest |lambda| over the eigenvalues of A on its
// invariant subspace of dimension dim that start spans under A (for a
// random start, every distinct eigenvalue), by the Krylov-Schur method
// (Stewart 2001) in real arithmetic: an Arnoldi factorisation
// A V_m = V_m S + v_{m+1} b^T of at most krylovBasis vectors, the real Schur
// form of S sorted by decreasing modulus, truncation to the leading
// krylovKeep Schur vectors (a 2 x 2 block is not split) and expansion
// again, until the dominant Ritz pair meets RadiusTol. Memory is
// krylovBasis+1 vectors of length n; each step costs one product with A and
// O(n krylovBasis) for the orthogonalisation. ok is false if the restarts
// ran out (the value is then the last estimate).
func krylovRadius(n, dim int, op func(x, y []float64), start []float64) (rho float64, ok bool) {
	m := min(krylovBasis, dim)
	if m == 0 {
		return 0, true
	}
	keep := min(krylovKeep, m-1)
	vs := make([][]float64, m+1)
	for i := range vs {
		vs[i] = make([]float64, n)
	}
	copy(vs[0], start)
	nv := norm2(vs[0])
	if nv == 0 {
		return 0, true
	}
	scal(vs[0], 1/nv)
	ld := m
	s := make([]float64, (m+1)*ld) // (m+1) x m, row-major
	h := make([]float64, m+1)
	k := 0 // the factorisation holds vectors 0..k and columns 0..k-1
	scale := 0.0
	for restart := 0; ; restart++ {
		// Expand to m columns, or to an invariant subspace.
		end := m
		for j := k; j < m; j++ {
			w := vs[j+1]
			op(vs[j], w)
			for i := range h {
				h[i] = 0
			}
			orthogonalize(vs[:j+1], w, h)
			beta := norm2(w)
			for i := 0; i <= j; i++ {
				s[i*ld+j] += h[i]
				scale = math.Max(scale, math.Abs(s[i*ld+j]))
			}
			scale = math.Max(scale, beta)
			if beta <= breakdownTol*scale || j+1 == dim {
				// invariant: the eigenvalues of S[0:j+1] are exact
				for i := 0; i <= j; i++ {
					s[(j+1)*ld+i] = 0
				}
				end = j + 1
				break
			}
			scal(w, 1/beta)
			s[(j+1)*ld+j] = beta
		}
		t, z, lam := sortedSchur(s, ld, end)
		if end < m || end == dim {
			return cmplx.Abs(lam[0]), true
		}
		// residual row b = S[m, 0:m] Z
		b := make([]float64, m)
		for c := 0; c < m; c++ {
			for i := 0; i < m; i++ {
				b[c] += s[m*ld+i] * z[i*m+c]
			}
		}
		lead := 1
		if m > 1 && t[1*m+0] != 0 {
			lead = 2
		}
		res := 0.0
		for i := 0; i < lead; i++ {
			res += b[i] * b[i]
		}
		tf := 0.0
		for _, x := range t {
			tf += x * x
		}
		if math.Sqrt(res) <= RadiusTol*math.Sqrt(tf) {
			return cmplx.Abs(lam[0]), true
		}
		if restart == krylovRestarts {
			return cmplx.Abs(lam[0]), false
		}
		// Truncate to the leading p Schur vectors.
		p := keep
		if t[p*m+p-1] != 0 {
			p++ // do not split a 2 x 2 block
		}
		nvs := make([][]float64, p)
		for c := 0; c < p; c++ {
			nvs[c] = make([]float64, n)
			for i := 0; i < m; i++ {
				if zc := z[i*m+c]; zc != 0 {
					axpy(nvs[c], zc, vs[i])
				}
			}
		}
		last := vs[m]
		for c := 0; c < p; c++ {
			copy(vs[c], nvs[c])
		}
		copy(vs[p], last)
		for i := range s {
			s[i] = 0
		}
		for i := 0; i < p; i++ {
			for c := 0; c < p; c++ {
				s[i*ld+c] = t[i*m+c]
			}
		}
		for c := 0; c < p; c++ {
			s[p*ld+c] = b[c]
		}
		k = p
	}
}

// sortedSchur returns the real Schur form T = Z^T S[0:m,0:m] Z of the
// leading m x m part of s (row stride ld), its diagonal blocks sorted by
// decreasing eigenvalue modulus, with Z and the sorted eigenvalues (one per
// block row, a complex pair twice). T and Z are m x m, row-major.
func sortedSchur(s []float64, ld, m int) (t, z []float64, lam []complex128) {
	var impl lapackgo.Implementation
	t = make([]float64, m*m)
	for i := 0; i < m; i++ {
		copy(t[i*m:(i+1)*m], s[i*ld:i*ld+m])
	}
	z = make([]float64, m*m)
	if m == 1 {
		z[0] = 1
		return t, z, []complex128{complex(t[0], 0)}
	}
	tau := make([]float64, m-1)
	work := make([]float64, max(1, 64*m))
	impl.Dgehrd(m, 0, m-1, t, m, tau, work, len(work))
	copy(z, t)
	impl.Dorghr(m, 0, m-1, z, m, tau, work, len(work))
	for i := 0; i < m; i++ {
		for j := 0; j < i-1; j++ {
			t[i*m+j] = 0
		}
	}
	wr, wi := make([]float64, m), make([]float64, m)
	impl.Dhseqr(lapack.EigenvaluesAndSchur, lapack.SchurOrig, m, 0, m-1, t, m, wr, wi, z, m, work, len(work))
	// selection sort of the blocks by modulus
	for pos := 0; pos < m; {
		best, bestMod := pos, -1.0
		for i := pos; i < m; {
			md := blockModulus(t, m, i)
			if md > bestMod {
				best, bestMod = i, md
			}
			i += blockSize(t, m, i)
		}
		if best != pos {
			impl.Dtrexc(lapack.UpdateSchur, m, t, m, z, m, best, pos, work)
		}
		pos += blockSize(t, m, pos)
	}
	lam = make([]complex128, 0, m)
	for i := 0; i < m; {
		lam = append(lam, blockEigen(t, m, i)...)
		i += blockSize(t, m, i)
	}
	return t, z, lam
}

// blockSize is 2 if row i of the quasi-triangular t starts a 2 x 2 block.
func blockSize(t []float64, m, i int) int {
	if i+1 < m && t[(i+1)*m+i] != 0 {
		return 2
	}
	return 1
}

// blockEigen returns the eigenvalues of the diagonal block at row i.
func blockEigen(t []float64, m, i int) []complex128 {
	if blockSize(t, m, i) == 1 {
		return []complex128{complex(t[i*m+i], 0)}
	}
	a, b, c, d := t[i*m+i], t[i*m+i+1], t[(i+1)*m+i], t[(i+1)*m+i+1]
	tr, det := (a+d)/2, a*d-b*c
	disc := cmplx.Sqrt(complex(tr*tr-det, 0))
	return []complex128{complex(tr, 0) + disc, complex(tr, 0) - disc}
}

// blockModulus is the largest |lambda| of the diagonal block at row i.
func blockModulus(t []float64, m, i int) float64 {
	md := 0.0
	for _, l := range blockEigen(t, m, i) {
		md = math.Max(md, cmplx.Abs(l))
	}
	return md
}

func scal(x []float64, a float64) {
	for k := range x {
		x[k] *= a
	}
}

// gmres solves (I - A) x = b by restarted GMRES from x = 0 (Saad and
// Schultz 1986, Givens rotations), stopping at |b - (I - A) x| <=
// SolveTol |b|. Memory is gmresBasis+1 vectors of length n, each step one
// product with A. ok is false if the restarts ran out or the residual
// stopped falling (I - A singular or nearly so).
func gmres(n int, op func(x, y []float64), b []float64) (x []float64, ok bool) {
	x = make([]float64, n)
	bn := norm2(b)
	if bn == 0 {
		return x, true
	}
	m := gmresBasis
	vs := make([][]float64, m+1)
	for i := range vs {
		vs[i] = make([]float64, n)
	}
	hs := make([][]float64, m) // column j: h[0..j+1]
	for j := range hs {
		hs[j] = make([]float64, m+1)
	}
	cs, sn, g := make([]float64, m), make([]float64, m), make([]float64, m+1)
	r := make([]float64, n)
	ax := make([]float64, n)
	prev := math.Inf(1)
	for restart := 0; restart < gmresRestarts; restart++ {
		// r = b - (I - A) x
		op(x, ax)
		for k := range r {
			r[k] = b[k] - x[k] + ax[k]
		}
		beta := norm2(r)
		if beta <= SolveTol*bn {
			return x, true
		}
		if beta >= prev*(1-1e-3) {
			return x, false // stagnation
		}
		prev = beta
		copy(vs[0], r)
		scal(vs[0], 1/beta)
		for i := range g {
			g[i] = 0
		}
		g[0] = beta
		j := 0
		for ; j < m; j++ {
			w := vs[j+1]
			op(vs[j], w)
			for k := range w {
				w[k] = vs[j][k] - w[k] // (I - A) v_j
			}
			hcol := hs[j]
			for i := range hcol {
				hcol[i] = 0
			}
			orthogonalize(vs[:j+1], w, hcol)
			hn := norm2(w)
			hcol[j+1] = hn
			if hn > 0 {
				scal(w, 1/hn)
			}
			for i := 0; i < j; i++ {
				a, c := hcol[i], hcol[i+1]
				hcol[i], hcol[i+1] = cs[i]*a+sn[i]*c, -sn[i]*a+cs[i]*c
			}
			d := math.Hypot(hcol[j], hcol[j+1])
			if d == 0 {
				return x, false
			}
			cs[j], sn[j] = hcol[j]/d, hcol[j+1]/d
			hcol[j], hcol[j+1] = d, 0
			g[j+1] = -sn[j] * g[j]
			g[j] *= cs[j]
			if math.Abs(g[j+1]) <= 0.1*SolveTol*bn || hn == 0 {
				j++
				break
			}
		}
		// y from the triangular system, x += V y
		y := make([]float64, j)
		for i := j - 1; i >= 0; i-- {
			sum := g[i]
			for c := i + 1; c < j; c++ {
				sum -= hs[c][i] * y[c]
			}
			y[i] = sum / hs[i][i]
		}
		for i := 0; i < j; i++ {
			axpy(x, y[i], vs[i])
		}
	}
	op(x, ax)
	for k := range r {
		r[k] = b[k] - x[k] + ax[k]
	}
	return x, norm2(r) <= SolveTol*bn
}
