package gemm

// packA copies rows i0..i0+mb and columns p0..p0+kb of op(A) into dst as
// mr-row panels, each stored column after column (kb x mr), the last panel
// padded with zeros. op(A)(i, p) is a[i*lda+p], or a[p*lda+i] when
// transposed. With partialOnly, only a last panel short of mr rows is
// packed (the kernels read the full ones in place).
func packA[T scalar](dst []T, trans bool, a []T, lda, i0, mb, p0, kb int, partialOnly bool) {
	for ir := 0; ir < mb; ir += mr {
		panel := dst[ir*kb : (ir+mr)*kb]
		rows := min(mr, mb-ir)
		if partialOnly && rows == mr {
			continue
		}
		if rows < mr {
			clear(panel)
		}
		if trans && rows == mr {
			for p := 0; p < kb; p++ {
				at := (p0+p)*lda + i0 + ir
				src := a[at : at+mr : at+mr]
				d := panel[p*mr : p*mr+mr : p*mr+mr]
				d[0], d[1], d[2], d[3], d[4], d[5] = src[0], src[1], src[2], src[3], src[4], src[5]
			}
			continue
		}
		if trans {
			for p := 0; p < kb; p++ {
				src := a[(p0+p)*lda+i0+ir:]
				copy(panel[p*mr:p*mr+rows], src[:rows])
			}
			continue
		}
		if rows == mr {
			packSix(panel, a, (i0+ir)*lda+p0, lda, kb)
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

// packSix interleaves six rows of kb elements (the first at a[at], stride
// lda) into panel, column after column: the whole-panel case of packA,
// written so that each step fills one contiguous group of six.
func packSix[T scalar](panel, a []T, at, lda, kb int) {
	r0 := a[at : at+kb]
	r1 := a[at+lda : at+lda+kb]
	r2 := a[at+2*lda : at+2*lda+kb]
	r3 := a[at+3*lda : at+3*lda+kb]
	r4 := a[at+4*lda : at+4*lda+kb]
	r5 := a[at+5*lda : at+5*lda+kb]
	panel = panel[:kb*mr]
	for p := range r0 {
		d := panel[p*mr : p*mr+mr : p*mr+mr]
		d[0], d[1], d[2], d[3], d[4], d[5] = r0[p], r1[p], r2[p], r3[p], r4[p], r5[p]
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
		q := 0
		for ; q+8 <= cols; q += 8 {
			packEight(panel[q:], b, (j0+jr+q)*ldb+p0, ldb, kb, nr)
		}
		for ; q < cols; q++ {
			src := b[(j0+jr+q)*ldb+p0 : (j0+jr+q)*ldb+p0+kb]
			for p, v := range src {
				panel[p*nr+q] = v
			}
		}
	}
}

// packEight writes eight rows of kb elements (the first at b[at], stride
// ldb) as eight adjacent columns of panel (row stride nr): the transposed
// case of packB, eight columns per step.
func packEight[T scalar](panel, b []T, at, ldb, kb, nr int) {
	r0 := b[at : at+kb]
	r1 := b[at+ldb : at+ldb+kb]
	r2 := b[at+2*ldb : at+2*ldb+kb]
	r3 := b[at+3*ldb : at+3*ldb+kb]
	r4 := b[at+4*ldb : at+4*ldb+kb]
	r5 := b[at+5*ldb : at+5*ldb+kb]
	r6 := b[at+6*ldb : at+6*ldb+kb]
	r7 := b[at+7*ldb : at+7*ldb+kb]
	for p := range r0 {
		d := panel[p*nr : p*nr+8 : p*nr+8]
		d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7] = r0[p], r1[p], r2[p], r3[p], r4[p], r5[p], r6[p], r7[p]
	}
}
