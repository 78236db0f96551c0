package flow

import "math"

// The conditioners' elementwise loops over a chunk of points. Each has a
// plain-Go form and, for float32 on amd64 with AVX2, an assembly form that
// does the same IEEE operations in the same order, eight points at a time
// (TestRowKernelsMatchGo).

// affineReLU sets dst[i] = max(x[i]*w + b, 0).
func affineReLU[T float](dst, x []T, w, b T) {
	n := 0
	if d, ok := any(dst).([]float32); ok && haveAVX2 {
		n = len(dst) &^ 7
		if n > 0 {
			xs := any(x).([]float32)[:n]
			affineReLUAVX2(&d[0], &xs[0], n, float32(w), float32(b))
		}
	}
	affineReLUGo(dst[n:], x[n:len(dst)], w, b)
}

// affineReLUGo is affineReLU in plain Go.
func affineReLUGo[T float](dst, x []T, w, b T) {
	x = x[:len(dst)]
	for i := range dst {
		dst[i] = max(x[i]*w+b, 0)
	}
}

// reluMulAdd2 adds max(x[i], 0)*wm to am[i] and max(x[i], 0)*ws to as[i].
func reluMulAdd2[T float](am, as, x []T, wm, ws T) {
	n := 0
	if m, ok := any(am).([]float32); ok && haveAVX2 {
		n = len(am) &^ 7
		if n > 0 {
			s := any(as).([]float32)[:n]
			xs := any(x).([]float32)[:n]
			reluMulAdd2AVX2(&m[0], &s[0], &xs[0], n, float32(wm), float32(ws))
		}
	}
	reluMulAdd2Go(am[n:], as[n:len(am)], x[n:len(am)], wm, ws)
}

// reluMulAdd2Go is reluMulAdd2 in plain Go.
func reluMulAdd2Go[T float](am, as, x []T, wm, ws T) {
	as, x = as[:len(am)], x[:len(am)]
	for i := range am {
		v := max(x[i], 0)
		am[i] += v * wm
		as[i] += v * ws
	}
}

// biasReLU adds b to row and applies the ReLU (biasReLUGo).
func biasReLU[T float](row, b []T) {
	n := 0
	if r, ok := any(row).([]float32); ok && haveAVX2 {
		n = len(row) &^ 7
		if n > 0 {
			bs := any(b).([]float32)[:n]
			biasReLUAVX2(&r[0], &bs[0], n)
		}
	}
	biasReLUGo(row[n:], b[n:len(row)])
}

// biasReLUGo sets row[j] = p * mask(p) with p = row[j] + b[j], mask 1 where
// p >= 0 (gorgonia's Rectify and package models' ReLU: negatives and NaN
// give p * 0).
func biasReLUGo[T float](row, b []T) {
	b = b[:len(row)]
	for j, v := range row {
		p := v + b[j]
		m := T(0)
		if p >= 0 {
			m = 1
		}
		row[j] = p * m
	}
}

// maskGrad is the ReLU's gradient read from its output (maskGradGo).
func maskGrad[T float](g, y, dy []T) {
	n := 0
	if gs, ok := any(g).([]float32); ok && haveAVX2 {
		n = len(g) &^ 7
		if n > 0 {
			ys, ds := any(y).([]float32)[:n], any(dy).([]float32)[:n]
			maskGradAVX2(&gs[0], &ys[0], &ds[0], n)
		}
	}
	maskGradGo(g[n:], y[n:len(g)], dy[n:len(g)])
}

// maskGradGo sets g[i] = mask * dy[i], the ReLU's gradient, with the mask
// read from the output y = p * mask(p): 1 where y > 0 or y is +0 (p >= 0),
// 0 where y is -0 (p < 0) or NaN. A pre-activation of -0 would read as
// negative; it needs the product and the bias both -0, and the product is
// never -0 (the multiply adds its sums to a cleared +0 output).
func maskGradGo[T float](g, y, dy []T) {
	y, dy = y[:len(g)], dy[:len(g)]
	for i, v := range y {
		m := T(0)
		if v > 0 || (v == 0 && !math.Signbit(float64(v))) {
			m = 1
		}
		g[i] = m * dy[i]
	}
}

// addRow adds row to sum elementwise.
func addRow[T float](sum, row []T) {
	n := 0
	if s, ok := any(sum).([]float32); ok && haveAVX2 {
		n = len(sum) &^ 7
		if n > 0 {
			rs := any(row).([]float32)[:n]
			addRowAVX2(&s[0], &rs[0], n)
		}
	}
	addRowGo(sum[n:], row[n:len(sum)])
}

// addRowGo is addRow in plain Go.
func addRowGo[T float](sum, row []T) {
	row = row[:len(sum)]
	for j, v := range row {
		sum[j] += v
	}
}

// outerRow sets dst[j] = s*w[j] + 0: a row of a product whose shared
// dimension is 1, with the bits of the multiply (whose output starts at +0,
// so a -0 product becomes +0).
func outerRow[T float](dst, w []T, s T) {
	n := 0
	if d, ok := any(dst).([]float32); ok && haveAVX2 {
		n = len(dst) &^ 7
		if n > 0 {
			ws := any(w).([]float32)[:n]
			outerRowAVX2(&d[0], &ws[0], n, float32(s))
		}
	}
	outerRowGo(dst[n:], w[n:len(dst)], s)
}

// outerRowGo is outerRow in plain Go (the conversion rounds the product, so
// that it is not fused with the addition).
func outerRowGo[T float](dst, w []T, s T) {
	w = w[:len(dst)]
	for j, v := range w {
		dst[j] = T(s*v) + 0
	}
}

// outerBiasReLU is outerRow followed by biasReLU, in one pass.
func outerBiasReLU[T float](dst, w, b []T, s T) {
	n := 0
	if d, ok := any(dst).([]float32); ok && haveAVX2 {
		n = len(dst) &^ 7
		if n > 0 {
			ws, bs := any(w).([]float32)[:n], any(b).([]float32)[:n]
			outerBiasReLUAVX2(&d[0], &ws[0], &bs[0], n, float32(s))
		}
	}
	outerRowGo(dst[n:], w[n:len(dst)], s)
	biasReLUGo(dst[n:], b[n:len(dst)])
}
