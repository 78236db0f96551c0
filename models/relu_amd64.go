//go:build !noasm

package models

// reluForwardAVX2 is reluForward on n float32s (a multiple of 8).
//
//go:noescape
func reluForwardAVX2(y, x *float32, n int)

// reluBackwardAVX2 is reluBackward on n float32s (a multiple of 8).
//
//go:noescape
func reluBackwardAVX2(dx, x, dy *float32, n int)

// reluForward32 and reluBackward32 run the float32 loops eight at a time
// where the CPU allows; reluForward and reluBackward are their plain-Go
// forms (TestReLUVectorMatchesGo).
func reluForward32(y, x []float32) {
	n := 0
	if haveAVX2 {
		n = len(y) &^ 7
		if n > 0 {
			_ = x[n-1]
			reluForwardAVX2(&y[0], &x[0], n)
		}
	}
	reluForward(y[n:], x[n:])
}

func reluBackward32(dx, x, dy []float32) {
	n := 0
	if haveAVX2 {
		n = len(dx) &^ 7
		if n > 0 {
			_, _ = x[n-1], dy[n-1]
			reluBackwardAVX2(&dx[0], &x[0], &dy[0], n)
		}
	}
	reluBackward(dx[n:], x[n:], dy[n:])
}
