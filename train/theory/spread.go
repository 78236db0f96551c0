package theory

import (
	"fmt"
	"math"
	"runtime"
	"sync"

	"gonum.org/v1/gonum/mat"

	"github.com/selfconsume/selfconsume/data"
)

// Sampling is how a finite loop draws each model's training set every
// generation.
type Sampling struct {
	// Counts per model i: exact sample counts [real, raw_0..raw_{M-1},
	// curated_0..curated_{M-1}].
	Counts [][]int
	// RawPool[j] and CuratedPool[j]: the size of the pool of model j's raw
	// (curated) samples that every consumer subsamples without replacement.
	RawPool, CuratedPool []int
}

// validate checks the shapes against s.
func (smp Sampling) validate(s *System) error {
	m := len(s.Models)
	if len(smp.Counts) != m || len(smp.RawPool) != m || len(smp.CuratedPool) != m {
		return fmt.Errorf("theory: sampling for %d models has %d count rows and %d, %d pools", m, len(smp.Counts), len(smp.RawPool), len(smp.CuratedPool))
	}
	for i, k := range smp.Counts {
		if len(k) != 1+2*m {
			return fmt.Errorf("theory: model %d has %d counts, need %d", i, len(k), 1+2*m)
		}
		n := 0
		for _, x := range k {
			if x < 0 {
				return fmt.Errorf("theory: model %d: negative count %d", i, x)
			}
			n += x
		}
		if n == 0 {
			return fmt.Errorf("theory: model %d trains on no samples", i)
		}
		for j := 0; j < m; j++ {
			if k[1+j] > smp.RawPool[j] || k[1+m+j] > smp.CuratedPool[j] {
				return fmt.Errorf("theory: model %d takes more samples of model %d than its pool holds", i, j)
			}
		}
	}
	return nil
}

// Cov is a covariance of the whole state (every model's table) in ambient
// coordinates: per context c a block over (model, token), index i*V + y,
// minus a sum of outer products of whole-state vectors, index
// c*M*V + i*V + y:
//
//	Sigma = blockdiag(Blocks) - sum_k Low[k] Low[k]^T.
type Cov struct {
	Blocks []*mat.Dense
	Low    [][]float64
}

// zeroCov returns the zero covariance of s's state.
func (s *System) zeroCov() Cov {
	b := len(s.Models) * s.Real.V
	cv := Cov{Blocks: make([]*mat.Dense, s.Real.C)}
	for c := range cv.Blocks {
		cv.Blocks[c] = mat.NewDense(b, b, nil)
	}
	return cv
}

// Var returns g^T Sigma g for a whole-state vector g (index c*M*V + i*V + y).
func (cv Cov) Var(g []float64) float64 {
	b, _ := cv.Blocks[0].Dims()
	v := 0.0
	for c, blk := range cv.Blocks {
		gc := mat.NewVecDense(b, g[c*b:(c+1)*b])
		v += mat.Inner(gc, blk, gc)
	}
	for _, u := range cv.Low {
		d := dot(u, g)
		v -= d * d
	}
	return v
}

// CellVar returns the variance of every cell of the state (index c*M*V +
// i*V + y).
func (cv Cov) CellVar() []float64 {
	b, _ := cv.Blocks[0].Dims()
	out := make([]float64, len(cv.Blocks)*b)
	for c, blk := range cv.Blocks {
		for k := 0; k < b; k++ {
			out[c*b+k] = blk.At(k, k)
		}
	}
	for _, u := range cv.Low {
		for k, x := range u {
			out[k] -= x * x
		}
	}
	return out
}

func dot(a, b []float64) float64 {
	s := 0.0
	for k := range a {
		s += a[k] * b[k]
	}
	return s
}

// noise is the sampling covariance Q of one generation drawn from state ps:
// its block-diagonal part per context and its subtracted outer products.
func (s *System) noise(ps []*data.Table, smp Sampling) Cov {
	m, cs, v := len(s.Models), s.Real.C, s.Real.V
	b := m * v
	q := s.zeroCov()
	cur := s.curated(ps)
	n := make([]float64, m)
	for i, k := range smp.Counts {
		for _, x := range k {
			n[i] += float64(x)
		}
	}
	// laws[s] for the source columns of the counts.
	law := func(col int) *data.Table {
		switch {
		case col == 0:
			return s.Real
		case col <= m:
			return ps[col-1]
		}
		j := col - 1 - m
		if cur[j] == nil {
			return s.applyLaw(ps[j], s.CurateReward[s.Models[j].Pop])
		}
		return cur[j]
	}
	// pbar per model: the exact-count mixture.
	pbar := make([]*data.Table, m)
	for i, k := range smp.Counts {
		pbar[i] = data.NewTable(cs, v)
		for col, x := range k {
			if x > 0 {
				axpy(pbar[i].P, float64(x)/n[i], law(col).P)
			}
		}
	}
	// A pool: its law, its size and each consumer's count.
	addPool := func(lw *data.Table, pool float64, k []float64) {
		var who []int
		for i, x := range k {
			if x > 0 {
				who = append(who, i)
			}
		}
		if len(who) == 0 {
			return
		}
		o := func(i, i2 int) float64 {
			if i == i2 {
				return k[i]
			}
			return k[i] * k[i2] / pool
		}
		for c := 0; c < cs; c++ {
			wc := s.Context[c]
			if wc <= 0 {
				continue
			}
			mr := lw.Row(c)
			for _, i := range who {
				a := pbar[i].Row(c)
				for _, i2 := range who {
					bb := pbar[i2].Row(c)
					f := o(i, i2) / (n[i] * n[i2] * wc)
					// E_{y~m}[(e_y - a)(e_y - b)^T] = diag(m) - m b^T - a m^T + a b^T.
					for x := 0; x < v; x++ {
						for z := 0; z < v; z++ {
							e := -mr[x]*bb[z] - a[x]*mr[z] + a[x]*bb[z]
							if x == z {
								e += mr[x]
							}
							if e != 0 {
								q.Blocks[c].Set(i*v+x, i2*v+z, q.Blocks[c].At(i*v+x, i2*v+z)+f*e)
							}
						}
					}
				}
			}
		}
		// The outer products: u_i(c) = (m(c) - pbar_i(c)) / n_i, scaled.
		u := func(i int, scale float64, into []float64) {
			for c := 0; c < cs; c++ {
				mr, a := lw.Row(c), pbar[i].Row(c)
				for y := 0; y < v; y++ {
					into[c*b+i*v+y] += scale * (mr[y] - a[y]) / n[i]
				}
			}
		}
		sum := make([]float64, cs*b)
		for _, i := range who {
			if own := k[i] - k[i]*k[i]/pool; own > 0 {
				vec := make([]float64, cs*b)
				u(i, math.Sqrt(own), vec)
				q.Low = append(q.Low, vec)
			}
			u(i, k[i]/math.Sqrt(pool), sum)
		}
		q.Low = append(q.Low, sum)
	}
	for i := 0; i < m; i++ {
		k := make([]float64, m)
		k[i] = float64(smp.Counts[i][0])
		addPool(s.Real, k[i], k)
	}
	for j := 0; j < m; j++ {
		for _, kind := range []struct {
			col  int
			pool int
		}{{1 + j, smp.RawPool[j]}, {1 + m + j, smp.CuratedPool[j]}} {
			k := make([]float64, m)
			for i := range k {
				k[i] = float64(smp.Counts[i][kind.col])
			}
			addPool(law(kind.col), float64(kind.pool), k)
		}
	}
	return q
}

// ambientJacobian returns D Phi at ps per context in ambient coordinates,
// composed with the projection onto the sum-zero directions (per model,
// subtract the mean over tokens). D Phi is only meaningful on those
// directions, and off them the natural extension of C can expand (degree K
// homogeneity): without the projection, roundoff off the tangent space
// would grow along a long trajectory.
func (s *System) ambientJacobian(ps []*data.Table) []*mat.Dense {
	dc := s.derivs(ps)
	n, v := len(s.Models), s.Real.V
	out := make([]*mat.Dense, s.Real.C)
	for c := range out {
		d := s.ambientBlock(dc, c)
		for r := 0; r < n*v; r++ {
			project(d.RawRowView(r), n, v)
		}
		out[c] = d
	}
	return out
}

// applyBlocks returns J u for a whole-state vector u (transpose: J^T u).
func applyBlocks(jac []*mat.Dense, u []float64, transpose bool) []float64 {
	b, _ := jac[0].Dims()
	out := make([]float64, len(u))
	for c, jc := range jac {
		var m mat.Matrix = jc
		if transpose {
			m = jc.T()
		}
		dst := mat.NewVecDense(b, out[c*b:(c+1)*b])
		dst.MulVec(m, mat.NewVecDense(b, u[c*b:(c+1)*b]))
	}
	return out
}

// propagate returns J cv J^T + q.
func propagate(jac []*mat.Dense, cv, q Cov) Cov {
	out := Cov{Blocks: make([]*mat.Dense, len(cv.Blocks))}
	perContext(len(jac), func(c int) {
		var t, r mat.Dense
		t.Mul(jac[c], cv.Blocks[c])
		r.Mul(&t, jac[c].T())
		r.Add(&r, q.Blocks[c])
		out.Blocks[c] = &r
	})
	fresh := 0.0
	for _, u := range q.Low {
		fresh = math.Max(fresh, dot(u, u))
	}
	for _, u := range cv.Low {
		// A vector the contraction has shrunk to a variance 1e-16 of this
		// generation's noise is dropped: it keeps the list, and the cost,
		// bounded along a contracting trajectory.
		if ju := applyBlocks(jac, u, false); dot(ju, ju) > dropTol*fresh {
			out.Low = append(out.Low, ju)
		}
	}
	out.Low = append(out.Low, q.Low...)
	return out
}

// perContext runs f for every context 0..n-1 on up to GOMAXPROCS
// goroutines (the blocks are independent).
func perContext(n int, f func(c int)) {
	var wg sync.WaitGroup
	next := make(chan int, n)
	for c := 0; c < n; c++ {
		next <- c
	}
	close(next)
	for w := 0; w < min(n, runtime.GOMAXPROCS(0)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range next {
				f(c)
			}
		}()
	}
	wg.Wait()
}

// SpreadFlops estimates the floating-point operations SpreadPath needs for
// generations steps of s: three dense products of M V x M V blocks per
// context and generation.
func (s *System) SpreadFlops(generations int) float64 {
	b := float64(len(s.Models) * s.Real.V)
	return 6 * b * b * b * float64(s.Real.C) * float64(generations)
}

// dropTol is the variance, relative to the largest fresh noise vector's,
// under which a propagated outer-product vector of a Cov is dropped.
const dropTol = 1e-16

// SpreadPath follows the covariance of a finite run's state around the
// predicted trajectory traj (traj[0] = generation 0): Sigma_0 = 0
// (generation 0 given) and Sigma_{t+1} = J_t Sigma_t J_t^T + Q_t, with J_t
// and Q_t at traj[t] (the model is below). It calls
// visit for every generation t >= 0 with Sigma_t, and for t >= 1 with the
// covariance of the step's change p_t - p_{t-1} around its predicted value,
// (J_{t-1} - I) Sigma_{t-1} (J_{t-1} - I)^T + Q_{t-1} (a zero Cov at t = 0).
//
// The model.
//
// A run draws finite samples, so its tables wander around the map's
// trajectory. The spread is predicted under one assumption: each fit
// reproduces its training sample's empirical law, p_hat(y|c) = N(c,y)/N(c)
// (the count-table maximum-likelihood fit). A neural fit is only close to
// that; compare measures how close.
//
// Model i's training set at generation t+1 holds, in exact counts k_is,
// samples from its sources s: fresh real data (law q), raw samples of model
// j (law p_j) and curated samples of model j (law C_pop(j)(p_j), one kept
// answer of K per sample). Every sample draws its context from the context
// distribution w, then its token from the source's law. With n_i = sum_s
// k_is and pbar_i(c) = sum_s k_is m_s(c) / n_i (Phi up to the rounding of
// the counts), the delta method on N(c,y)/N(c) gives the error
//
//	p_hat_i(c) - pbar_i(c) ~ sum over samples x in i's set of z_i(x),
//	z_i(x) = 1{c_x = c} (e_{y_x} - pbar_i(c)) / (n_i w_c),
//
// a sum of independent terms. A sample of law m contributes
//
//	E[z_i z_i'^T] on context c: E_{y~m(c)}[(e_y - pbar_i(c))(e_y - pbar_i'(c))^T] / (n_i n_i' w_c),
//	E[z_i] on context c:        u_i(c) = (m(c) - pbar_i(c)) / n_i,
//
// and Cov(z_i, z_i') = E[z_i z_i'^T] - E[z_i] E[z_i']^T: a block-diagonal
// part over contexts minus an outer product that couples contexts (with
// fixed counts per source, a source that happens to fill one context leaves
// less for the others). Raw and curated samples of model j are drawn once
// per generation into a pool of N samples, which every consumer i
// subsamples (k_i of them, without replacement, independently): two
// consumers share k_i k_i'/N samples on average, so their errors correlate.
// Summed over a pool, with o = diag(k_i - k_i^2/N) + k k^T/N the expected
// overlaps, the noise covariance is
//
//	Q = sum_pools sum_{i,i'} o_ii' Cov(z_i, z_i').
//
// Real data is drawn afresh for every model (N = k_i). Linearising the
// loop p_{t+1} = Phi(p_t) + noise around the predicted trajectory gives
//
//	Sigma_{t+1} = J_t Sigma_t J_t^T + Q_t,  J_t = D Phi at the predicted p_t,
//
// in ambient coordinates (model, context, token), where J_t is block
// diagonal over contexts and Sigma lives on the sum-zero directions. The
// propagation starts from Sigma_0 = 0: the spread is that of a run around
// its own prediction, given its generation-0 tables (and its learned
// curator), which is what a paired comparison sees. Sigma is kept as
// per-context blocks minus a sum of outer products of whole-state vectors;
// both parts propagate exactly under the block-diagonal J. A linear metric
// g.p (expected reward: g = w_c r_a(c, y) on model i) then has variance
// g^T Sigma g. At an attracting fixed point the stationary variance solves
// the discrete Lyapunov equation Sigma = J Sigma J^T + Q; for a metric it is
// the series sum_k (J^T)^k g . Q (J^T)^k g, summed until its terms vanish.
func (s *System) SpreadPath(traj [][]*data.Table, smp Sampling, visit func(t int, sigma Cov, step []float64)) error {
	if err := smp.validate(s); err != nil {
		return err
	}
	cur := s.zeroCov()
	visit(0, cur, make([]float64, s.Real.C*len(s.Models)*s.Real.V))
	for t := 0; t+1 < len(traj); t++ {
		jac := s.ambientJacobian(traj[t])
		q := s.noise(traj[t], smp)
		step := stepCellVar(jac, cur, q)
		cur = propagate(jac, cur, q)
		visit(t+1, cur, step)
	}
	return nil
}

// stepCellVar returns the diagonal of (J - I) cv (J - I)^T + q: per
// context, the row sums of ((J - I) B) * (J - I), one product instead of
// two, and the outer-product vectors mapped by J - I.
func stepCellVar(jac []*mat.Dense, cv, q Cov) []float64 {
	out := q.CellVar()
	b, _ := jac[0].Dims()
	perContext(len(jac), func(c int) {
		d := mat.DenseCopyOf(jac[c])
		for k := 0; k < b; k++ {
			d.Set(k, k, d.At(k, k)-1)
		}
		var t mat.Dense
		t.Mul(d, cv.Blocks[c])
		for k := 0; k < b; k++ {
			out[c*b+k] += dot(t.RawRowView(k), d.RawRowView(k))
		}
	})
	for _, u := range cv.Low {
		ju := applyBlocks(jac, u, false)
		for k, x := range ju {
			x -= u[k]
			out[k] -= x * x
		}
	}
	return out
}

// RewardGradient returns the whole-state vector g with g.p = E_{p_i}[r_a]
// (true reward of population a on model i).
func (s *System) RewardGradient(i, a int) []float64 {
	m, v := len(s.Models), s.Real.V
	g := make([]float64, s.Real.C*m*v)
	r := s.TrueReward[a]
	for c := 0; c < s.Real.C; c++ {
		for y, x := range r.Row(c) {
			g[c*m*v+i*v+y] = s.Context[c] * x
		}
	}
	return g
}

// stationaryCap bounds the terms of the stationary series.
const stationaryCap = 100000

// StationaryVar returns the stationary variance of the linear metric g.p at
// the fixed point fp: sum_k (J^T)^k g . Q (J^T)^k g with J and Q at fp, the
// metric's part of the discrete Lyapunov solution Sigma = J Sigma J^T + Q.
// It is +Inf when the series does not converge within stationaryCap terms
// (a spectral radius not below 1 along g).
func (s *System) StationaryVar(fp []*data.Table, smp Sampling, g []float64) (float64, error) {
	if err := smp.validate(s); err != nil {
		return 0, err
	}
	jac := s.ambientJacobian(fp)
	q := s.noise(fp, smp)
	sum, g0 := 0.0, norm1(g)
	for k := 0; k < stationaryCap; k++ {
		sum += q.Var(g)
		g = applyBlocks(jac, g, true)
		if norm1(g) <= 1e-9*g0 {
			return sum, nil
		}
	}
	return math.Inf(1), nil
}

func norm1(g []float64) float64 {
	s := 0.0
	for _, x := range g {
		s += math.Abs(x)
	}
	return s
}
