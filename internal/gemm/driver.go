package gemm

import "sync"

// scalar is the element type of a multiply.
type scalar interface{ float32 | float64 }

// Block sizes. A kernel computes an mr x nr tile of A*B from a packed
// mr-row panel of A and a packed nr-column panel of B over kc steps; a
// kc x nc block of B is packed once and reused by every mc-row block of A
// (kc*nr of B stays in L1, mc*kc of A in L2).
const (
	mr = 6
	kc = 256
	mc = 96
	nc = 1024
)

// kernelFunc overwrites tile (row-major mr x nr) with the product of the
// packed panels a (k x mr) and b (k x nr).
type kernelFunc[T scalar] func(k int, a, b, tile *T)

// addKernelFunc adds the product of the packed panels a (k x mr) and b
// (k x nr) to the mr x nr block of C at c (row stride ldc): the kernel and
// addTile in one, for whole tiles with alpha 1.
type addKernelFunc[T scalar] func(k int, a, b, c *T, ldc int)

// workspace holds the packed blocks and the tile of one multiply.
type workspace[T scalar] struct {
	a, b, tile []T
}

// multiply computes C = alpha*op(A)*op(B) + beta*C for row-major matrices,
// op(A) m x k and op(B) k x n, with a kernel of width nr. Arguments are
// already checked. A product with fewer than nr/2 columns but more rows is
// computed as its transpose, C^T = op(B)^T op(A)^T, so that its long side
// fills the kernel's width. With dir (not nil), full six-row panels of A
// are read in place instead of packed. With setKernel (not nil) and beta 0,
// alpha 1, whole tiles of the first k block are set into C instead of
// added to a cleared C (the same bits); only the partial tiles' blocks are
// cleared.
func multiply[T scalar](kernel kernelFunc[T], addKernel, setKernel addKernelFunc[T], dir *direct[T], nr int, pool *sync.Pool, tA, tB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	transposed := n < nr/2 && m > n
	if alpha != 1 || addKernel == nil || beta != 0 || k == 0 || transposed {
		setKernel = nil
	}
	if setKernel == nil {
		scale(m, n, beta, c, ldc)
	}
	if alpha == 0 || k == 0 {
		return
	}
	if transposed {
		// op(B)^T is B read with the opposite transpose flag, likewise A.
		product(kernel, nil, nil, dir, nr, pool, !tB, !tA, n, m, k, alpha, b, ldb, a, lda, c, ldc, true)
		return
	}
	if alpha != 1 {
		addKernel = nil
	}
	product(kernel, addKernel, setKernel, dir, nr, pool, tA, tB, m, n, k, alpha, a, lda, b, ldb, c, ldc, false)
}

// product adds alpha*op(A)*op(B) to C, or to C^T (element (i, j) at
// c[j*ldc+i]) when transC. Whole tiles go through addKernel when it is not
// nil (the caller passes it only for alpha 1 and C not transposed). With
// dir, the full six-row panels of A are not packed: dir's kernels read them
// in place (the same products in the same order, so the same bits). With
// setKernel, C has not been cleared: the first k block sets whole tiles
// (setKernel, or dir's set kernels) and clears a partial tile's block
// before adding it.
func product[T scalar](kernel kernelFunc[T], addKernel, setKernel addKernelFunc[T], dir *direct[T], nr int, pool *sync.Pool, tA, tB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, c []T, ldc int, transC bool) {
	ws := pool.Get().(*workspace[T])
	defer pool.Put(ws)
	for j0 := 0; j0 < n; j0 += nc {
		nb := min(nc, n-j0)
		for p0 := 0; p0 < k; p0 += kc {
			kb := min(kc, k-p0)
			first := setKernel != nil && p0 == 0
			packB(ws.b, tB, b, ldb, p0, kb, j0, nb, nr)
			for i0 := 0; i0 < m; i0 += mc {
				mb := min(mc, m-i0)
				packA(ws.a, tA, a, lda, i0, mb, p0, kb, dir != nil)
				for jr := 0; jr < nb; jr += nr {
					bp := &ws.b[jr*kb]
					cols := min(nr, nb-jr)
					for ir := 0; ir < mb; ir += mr {
						rows := min(mr, mb-ir)
						whole := addKernel != nil && rows == mr && cols == nr
						ct := (i0+ir)*ldc + j0 + jr
						if whole {
							_ = c[ct+(mr-1)*ldc+nr-1] // the whole block is inside C
						}
						if dir != nil && rows == mr {
							// A's panel in place: rows i0+ir.. from column p0
							at, last := (i0+ir)*lda+p0, (i0+ir+mr-1)*lda+p0+kb-1
							tile, add, set := dir.n, dir.nAdd, dir.nSet
							if tA {
								at, last, tile, add, set = p0*lda+i0+ir, (p0+kb-1)*lda+i0+ir+mr-1, dir.t, dir.tAdd, dir.tSet
							}
							_ = a[last] // the kernel reads inside A
							ap := &a[at]
							if whole {
								if first {
									set(kb, ap, bp, &c[ct], ldc, lda)
								} else {
									add(kb, ap, bp, &c[ct], ldc, lda)
								}
								continue
							}
							tile(kb, ap, bp, &ws.tile[0], lda)
						} else if whole {
							if first {
								setKernel(kb, &ws.a[ir*kb], bp, &c[ct], ldc)
							} else {
								addKernel(kb, &ws.a[ir*kb], bp, &c[ct], ldc)
							}
							continue
						} else {
							kernel(kb, &ws.a[ir*kb], bp, &ws.tile[0])
						}
						if first {
							for r := 0; r < rows; r++ {
								clear(c[ct+r*ldc : ct+r*ldc+cols])
							}
						}
						if transC {
							addTileTrans(c, ldc, i0+ir, j0+jr, rows, cols, alpha, ws.tile, nr)
						} else {
							addTile(c, ldc, i0+ir, j0+jr, rows, cols, alpha, ws.tile, nr)
						}
					}
				}
			}
		}
	}
}

// scale multiplies C (m x n) by beta; beta 0 clears it, so NaNs in C do not
// survive (BLAS semantics).
func scale[T scalar](m, n int, beta T, c []T, ldc int) {
	if beta == 1 {
		return
	}
	for i := 0; i < m; i++ {
		row := c[i*ldc : i*ldc+n]
		if beta == 0 {
			clear(row)
			continue
		}
		for j := range row {
			row[j] *= beta
		}
	}
}

// addTile adds alpha times the rows x cols corner of tile (row stride nr) to
// C at (i, j).
func addTile[T scalar](c []T, ldc, i, j, rows, cols int, alpha T, tile []T, nr int) {
	for r := 0; r < rows; r++ {
		dst := c[(i+r)*ldc+j : (i+r)*ldc+j+cols]
		src := tile[r*nr : r*nr+cols]
		if alpha == 1 {
			for q, v := range src {
				dst[q] += v
			}
			continue
		}
		for q, v := range src {
			dst[q] += alpha * v
		}
	}
}

// addTileTrans adds alpha times the rows x cols corner of tile (row stride
// nr) to C^T at (i, j): tile element (r, q) goes to c[(j+q)*ldc+i+r].
func addTileTrans[T scalar](c []T, ldc, i, j, rows, cols int, alpha T, tile []T, nr int) {
	for r := 0; r < rows; r++ {
		for q, v := range tile[r*nr : r*nr+cols] {
			c[(j+q)*ldc+i+r] += alpha * v
		}
	}
}
