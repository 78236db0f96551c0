package flow

import (
	"math"
	"runtime"
	"sync"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"
)

// chunk is the number of points the plain-Go pass pushes through the
// conditioners at once (one GEMM per layer).
const chunk = 256

// float is the element type of a plain-Go pass.
type float interface{ float32 | float64 }

// evalNet is a plain-Go copy of the parameters in one precision.
type evalNet[T float] struct {
	depth, h int
	smax     float64
	p        [][]T // Depth*perCoupling tensors in Params order
}

// newEvalNet copies the flat parameters p (Params layout) into a net.
func newEvalNet[T float](cfg Config, p []float64) *evalNet[T] {
	e := &evalNet[T]{depth: cfg.Depth, h: cfg.Hidden, smax: cfg.MaxLogScale}
	shapes := paramShapes(cfg.Hidden)
	off := 0
	for i := 0; i < cfg.Depth*perCoupling; i++ {
		s := shapes[i%perCoupling]
		t := make([]T, s[0]*s[1])
		for j := range t {
			t[j] = T(p[off+j])
		}
		off += len(t)
		e.p = append(e.p, t)
	}
	return e
}

// net64 and net32 return plain-Go copies of the current parameters, refreshed
// when training or SetParams has changed them. LogProb runs net64; net32 is
// the float32 layer pass Sample ran before the pieces, which the tests and
// benchmarks compare with.
func (f *Flow) net64() *evalNet[float64] {
	if f.ev64 == nil || f.ev64Version != f.version {
		f.ev64, f.ev64Version = newEvalNet[float64](f.cfg, f.Params()), f.version
	}
	return f.ev64
}

func (f *Flow) net32() *evalNet[float32] {
	if f.ev32 == nil || f.ev32Version != f.version {
		f.ev32, f.ev32Version = newEvalNet[float32](f.cfg, f.Params()), f.version
	}
	return f.ev32
}

// pieces returns the conditioners as piecewise-linear functions of the
// current parameters, rebuilt when they have changed.
func (f *Flow) pieces() *pwlNet {
	if f.pw == nil || f.pwVersion != f.version {
		f.pw, f.pwVersion = newPWLNet(f.cfg, f.Params()), f.version
	}
	return f.pw
}

// scratch holds one worker's buffers for a chunk.
type scratch[T float] struct {
	h1, h2, m, s []T
}

func newScratch[T float](h int) *scratch[T] {
	return &scratch[T]{h1: make([]T, chunk*h), h2: make([]T, chunk*h), m: make([]T, chunk), s: make([]T, chunk)}
}

// gemmTransA computes c += a^T b for row-major a (k,m), b (k,n), c (m,n),
// with whichever BLAS implementation gonum is set to use.
func gemmTransA[T float](m, n, k int, a, b, c []T) {
	switch a := any(a).(type) {
	case []float64:
		blas64.Implementation().Dgemm(blas.Trans, blas.NoTrans, m, n, k, 1, a, m, any(b).([]float64), n, 1, any(c).([]float64), n)
	case []float32:
		blas32.Implementation().Sgemm(blas.Trans, blas.NoTrans, m, n, k, 1, a, m, any(b).([]float32), n, 1, any(c).([]float32), n)
	}
}

// conditioner computes coupling l's shift m and bounded log-scale s for the
// conditioning values cond (len n <= chunk). The hidden layers are kept
// transposed (unit j's values for the n points at [j*n, (j+1)*n)), so that
// every elementwise step runs along the points; each value is the same sum
// in the same order as the row-major form.
func (e *evalNet[T]) conditioner(l int, cond []T, w *scratch[T]) (m, s []T) {
	p := e.p[l*perCoupling : (l+1)*perCoupling]
	h, n := e.h, len(cond)
	h1, h2 := w.h1[:h*n], w.h2[:h*n]
	w1, b1, b2 := p[iW1], p[iB1], p[iB2]
	for j := 0; j < h; j++ {
		affineReLU(h1[j*n:(j+1)*n], cond, w1[j], b1[j])
		row := h2[j*n : (j+1)*n]
		for i := range row {
			row[i] = b2[j]
		}
	}
	gemmTransA(h, n, h, p[iW2], h1, h2)
	m, s = w.m[:n], w.s[:n]
	clear(m)
	clear(s)
	wm, ws := p[iWm], p[iWs]
	for j := 0; j < h; j++ {
		reluMulAdd2(m, s, h2[j*n:(j+1)*n], wm[j], ws[j])
	}
	bm, bs := p[iBm][0], p[iBs][0]
	for i := range m {
		m[i] += bm
		s[i] = T(e.smax * math.Tanh(float64(s[i]+bs)/e.smax))
	}
	return m, s
}

// forward maps the points (x0[i], x1[i]) to the base in place and adds each
// point's log-determinant to logdet.
func (e *evalNet[T]) forward(x0, x1, logdet []T, w *scratch[T]) {
	for l := 0; l < e.depth; l++ {
		cond, t := x0, x1
		if l%2 == 1 {
			cond, t = x1, x0
		}
		m, s := e.conditioner(l, cond, w)
		for i := range t {
			t[i] = t[i]*T(math.Exp(float64(s[i]))) + m[i]
			logdet[i] += s[i]
		}
	}
}

// inverse maps base points (z0[i], z1[i]) back to data space in place.
func (e *evalNet[T]) inverse(z0, z1 []T, w *scratch[T]) {
	for l := e.depth - 1; l >= 0; l-- {
		cond, t := z0, z1
		if l%2 == 1 {
			cond, t = z1, z0
		}
		m, s := e.conditioner(l, cond, w)
		for i := range t {
			t[i] = (t[i] - m[i]) * T(math.Exp(-float64(s[i])))
		}
	}
}

// parallel runs body on the chunks [lo, hi) of n points, spread over up to
// GOMAXPROCS workers, each with its own scratch.
func parallel[T float](n, h int, body func(lo, hi int, w *scratch[T])) {
	parallelWorkers(n, func() func(lo, hi int) {
		w := newScratch[T](h)
		return func(lo, hi int) { body(lo, hi, w) }
	})
}

// parallelChunks runs body on the chunks [lo, hi) of n points, spread over
// up to GOMAXPROCS workers.
func parallelChunks(n int, body func(lo, hi int)) {
	parallelWorkers(n, func() func(lo, hi int) { return body })
}

// parallelWorkers runs the chunks of n points on up to GOMAXPROCS workers,
// each running the body that worker() returns.
func parallelWorkers(n int, worker func() func(lo, hi int)) {
	chunks := (n + chunk - 1) / chunk
	workers := min(runtime.GOMAXPROCS(0), chunks)
	var wg sync.WaitGroup
	next := make(chan int, chunks)
	for c := 0; c < chunks; c++ {
		next <- c
	}
	close(next)
	for k := 0; k < workers; k++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body := worker()
			for c := range next {
				body(c*chunk, min((c+1)*chunk, n))
			}
		}()
	}
	wg.Wait()
}

// logProb writes log p(x) of the points x (pairs) to out.
func (e *evalNet[T]) logProb(x []float64, out []float64) {
	n := len(x) / 2
	parallel(n, e.h, func(lo, hi int, w *scratch[T]) {
		var x0, x1, ld [chunk]T
		k := hi - lo
		for i := 0; i < k; i++ {
			x0[i], x1[i], ld[i] = T(x[2*(lo+i)]), T(x[2*(lo+i)+1]), 0
		}
		e.forward(x0[:k], x1[:k], ld[:k], w)
		for i := 0; i < k; i++ {
			a, b := float64(x0[i]), float64(x1[i])
			out[lo+i] = float64(ld[i]) - 0.5*(a*a+b*b) - math.Log(2*math.Pi)
		}
	})
}

// invert maps the base points z (pairs) to data space in place.
func (e *evalNet[T]) invert(z []float64) {
	n := len(z) / 2
	parallel(n, e.h, func(lo, hi int, w *scratch[T]) {
		var z0, z1 [chunk]T
		k := hi - lo
		for i := 0; i < k; i++ {
			z0[i], z1[i] = T(z[2*(lo+i)]), T(z[2*(lo+i)+1])
		}
		e.inverse(z0[:k], z1[:k], w)
		for i := 0; i < k; i++ {
			z[2*(lo+i)], z[2*(lo+i)+1] = float64(z0[i]), float64(z1[i])
		}
	})
}
