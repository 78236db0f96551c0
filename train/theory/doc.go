// Package theory computes the population-level prediction of the
// self-consuming loop: the multi-model map Phi on conditional categorical
// models, its trajectory and fixed point, the Jacobian and spectral radius
// that give the convergence rate, the TV contraction condition, the self and
// cross influence of a curation knob by the implicit function theorem, and
// the paper's linear-Gaussian mechanism. It is exact arithmetic on
// distributions: no sampling, no training.
//
// # Which fixed point
//
// Phi can have many fixed points. Without real data a curated model's map
// C(p) = p H(p) keeps zeros, so every vertex of a context's simplex (all
// mass on one token), and every distribution on a set of equal-reward
// tokens, is fixed. The one that matters is the limit of the trajectory from
// the run's generation 0, the attractor that trajectory falls into.
// FixedPoint starts from a trajectory state, iterates, and polishes with
// Newton steps on Phi(p) - p only while they stay inside the simplex. A
// Newton step is the fixed point of the linearisation, which near a
// repelling face points through it: clipping the negative entries and
// renormalising would land on the face (e.g. all mass on the second-best
// token), a fixed point that the iteration leaves. Such steps are rejected
// and iteration resumes; near the attractor Newton's overshoot becomes
// negligible and the step is accepted. Each group of models that exchange
// data (Components) is solved separately, so one group's boundary trouble
// does not touch another's interior solve.
//
// # Stability
//
// Phi acts on each context separately and D Phi is block diagonal over
// contexts (and over components). Its spectral radius rho on the tangent
// space, sum-zero directions per model and context, decides local
// stability (Stable): rho < 1 attracting, rho > 1 repelling (some
// perturbation grows), rho = 1 within roundoff neutral (ties in the
// curator's reward, or a model that only copies itself: a continuum of
// fixed points, of which the trajectory reaches the one its start leads
// to). At a vertex delta_y of a curated-only model with K-choice curation
// the eigenvalues are K u_x / (u_x + (K-1) u_y) along e_x - e_y, x != y
// (u = exp(r/tau)): the vertex on the best token of the start's support
// attracts, a vertex on a worse token repels. FixedPoint computes rho at
// every solution. A repelling one is left by mixing 1% of the uniform law
// on the start's support into it and solving again; one that stays
// repelling is reported as such and is not a prediction. At a neutral one
// Newton steps are blind along the continuum (I - D Phi is singular
// there), so it is solved again by iteration alone, which gives the
// trajectory's own limit. A fixed point where a model has lost cells that
// carry real mass (FixedPoint.Emptied) is flagged as a boundary fixed
// point: its entries there are zero, which is what the collapse predicts.
//
// # Dense and matrix-free linear algebra
//
// The state has d = C n (V-1) coordinates for n models, C contexts and V
// tokens (a planar grid: C = 1, V = resolution^2). The spectral radius, the
// Newton steps and the influence need D Phi there, in one of two ways
// (System.Solver; the config key theory.solver):
//
//   - dense: every context's tangent block, b = n(V-1) square, is formed;
//     eigenvalues by the QR algorithm, solves by LU. Time O(C b^3), memory
//     O(b^2) per block. The reference: exact to roundoff.
//   - matrix-free: D Phi is only applied to vectors, per context, from the
//     law's Jacobian at each row (curate.Law.RowJacobian: for the
//     quadrature law, K >= 3 at Tau > 0, diag(H) + diag(p) times a sum of
//     Q outer products, Q about 50 quadrature nodes; V x V for the others).
//     The spectral radius is the largest over contexts of a Krylov-Schur
//     iteration (a real Schur form of at most 60 Arnoldi vectors, sorted
//     by modulus and truncated to 30, from a seeded random start), stopped
//     when the dominant Ritz pair's residual is below RadiusTol = 1e-12
//     times the projected matrix's Frobenius norm; the solves
//     (I - D Phi) x = b are restarted GMRES(120) to a relative residual of
//     SolveTol = 1e-13. One product costs O(n Q V + n^2 V) per context,
//     O(d (Q + n)) for the whole state; making a context's law Jacobians
//     O(n Q V) (plus the quadrature's exponentials); memory O((Q + 120) n V)
//     per context in work (two at a time on two cores), O(d) overall
//     (plus FixedPointPath's kept iterates, below), against the dense
//     O(b^2) per block and O(C b^3) time. An iteration count k (products
//     per context) gives O(k d (Q + n)) time.
//
// SolverAuto is dense while C b^3 <= DenseLimit (1e9) and matrix-free
// above: every shipped config but scale-cat (and ring-2d from resolution
// 32) is dense. On every shipped config the two agree to 1e-8 (measured:
// J at the fixed point, spectral radii, influences and their
// finite-difference checks within 5e-12; a neutral fixed point's tables,
// one of a continuum, within 3e-10); the finite-difference influence check
// is computed either way. At scale the time goes mostly to
// the law itself (System.Step: O(n C Q V) exponentials per generation, one
// per cell and quadrature node; hundreds of generations for the trajectory,
// the solve and the count along the map when rho is near 1), not to the
// linear algebra. The count along the map does not evaluate again the
// generations the solve already did (FixedPointPath, ApproachPath, below).
//
// # Two convergence numbers
//
// Near an attracting p* the distance shrinks like rho^t, so
// log(tol)/log(rho) (GenerationsTo) is the number of generations to shrink
// it by tol, asymptotically. The trajectory from generation 0 starts far
// from p*, where the map may move faster or slower than its linearisation,
// so Approach also counts along the map itself: the first generation t at
// which the distance to p*, max over models of the context-weighted TV
// (System.TV), is at most tol times its value at generation 0. The two
// agree when the trajectory spends most of its time near p*; otherwise
// the count along the map can be well below or above log(tol)/log(rho).
//
// A solve that starts from the trajectory's last state iterates Phi from
// there before its Newton steps: those iterates are the trajectory's next
// generations. FixedPointPath keeps them (one component only, up to a
// memory budget) in float32, half the memory of the exact tables, and the
// last one exactly; ApproachPath counts along them and goes on from the
// last. The count stays exact: a distance from a float32 state is within
// 2^-24 of the exact one (each entry within 2^-24 of itself, rows summing
// to 1), so it decides the test d_g(t) <= tol d_g(0) unless it lies
// within 2^-24 of the threshold, and then the kept generations are
// dropped and evaluated again exactly (tested). At scale-cat (d =
// 261,632, rho 0.9938: 251 generations, the first 10 the trajectory's)
// the count evaluates the law 64 times instead of 241, for 1 MB per kept
// generation (177).
//
// # Finite samples and regimes
//
// The map is the infinite loop's mean path. A finite loop wanders around it:
// SpreadPath propagates the sampling covariance of every generation's
// exact-count training mixture through the Jacobian, Sigma_{t+1} = J Sigma_t
// J^T + Q_t from Sigma_0 = 0, assuming count-table fits; StationaryVar is a
// metric's variance at an attracting fixed point (discrete Lyapunov
// equation). Two convergence numbers are for the infinite loop only: a
// finite loop's tv_prev (consecutive generations' TV) never falls below a
// small tol but settles on a noise floor, E|d| per cell with d the
// Gaussian deviation (train's finite/tv_prev), so compare judges
// convergence by whether tv_prev reaches that predicted floor and when.
// Regimes that keep past data follow the accumulating map
// (AccumulateStep): the running average of p_0 and the images Phi(p_s), with
// Phi's fixed points but a power-law approach.
package theory
