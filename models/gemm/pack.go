package gemm

// packA copies rows i0..i0+mb and columns p0..p0+kb of op(A) into dst as
// mr-row panels, each stored column after column (kb x mr), the last panel
// padded with zeros. op(A)(i, p) is a[i*lda+p], or a[p*lda+i] when
// transposed.
func packA[T scalar](dst []T, trans bool, a []T, lda, i0, mb, p0, kb int) {
	for ir := 0; ir < mb; ir += mr {
		panel := dst[ir*kb : (ir+mr)*kb]
		rows := min(mr, mb-ir)
		if rows < mr {
			clear(panel)
		}
		if trans {
			for p := 0; p < kb; p++ {
				src := a[(p0+p)*lda+i0+ir:]
				copy(panel[p*mr:p*mr+rows], src[:rows])
			}
			continue
		}
		for r := 0; r < rows; r++ {
			src := a[(i0+ir+r)*lda+p0 : (i0+ir+r)*lda+p0+kb]
			for p, v := range src {
				panel[p*mr+r] = v
			}
		}
	}
}

// packB copies rows p0..p0+kb and columns j0..j0+nb of op(B) into dst as
// nr-column panels, each stored row after row (kb x nr), the last panel
// padded with zeros. op(B)(p, j) is b[p*ldb+j], or b[j*ldb+p] when
// transposed.
func packB[T scalar](dst []T, trans bool, b []T, ldb, p0, kb, j0, nb, nr int) {
	for jr := 0; jr < nb; jr += nr {
		panel := dst[jr*kb : (jr+nr)*kb]
		cols := min(nr, nb-jr)
		if cols < nr {
			clear(panel)
		}
		if !trans {
			for p := 0; p < kb; p++ {
				src := b[(p0+p)*ldb+j0+jr:]
				copy(panel[p*nr:p*nr+cols], src[:cols])
			}
			continue
		}
		for q := 0; q < cols; q++ {
			src := b[(j0+jr+q)*ldb+p0 : (j0+jr+q)*ldb+p0+kb]
			for p, v := range src {
				panel[p*nr+q] = v
			}
		}
	}
}
