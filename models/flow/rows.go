package flow

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
