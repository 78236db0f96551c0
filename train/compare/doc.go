// Package compare holds an experiment against its theory: it runs the loop
// over seeds (and, with an influence knob, at lambda -/+ delta with common
// random numbers) through the sweep engine, then sets every seed's measured
// trajectory beside its own prediction and decides each check.
//
// The checks are paired t-tests over seeds (train/stats): the reward of
// every model and population after burn-in (measured - predicted), and per
// influence its sign (H0: no effect) and its size (measured - predicted).
// Where the finite-sample theory applies (categorical data, replace
// regime), the spread of the last generation's reward (a chi-square test)
// and convergence: a finite loop's tv_prev never reaches 0 but settles on a
// noise floor, so convergence is judged as reaching the predicted floor. Per
// model, tv_prev averaged over the generations after burn-in is paired per
// seed with the seed's predicted finite-sample expectation (finite/tv_prev)
// and the mean difference tested against 0 like a level check. The
// generation from which the mean over seeds stays within 10% of its floor
// is reported, measured and predicted, but not tested (a first crossing of
// a noisy curve, whose distribution the theory does not give).
// Populations whose true rewards are affine images of each other are
// checked once. All checks of a comparison form one family, adjusted by
// Holm's step-down procedure at family-wise level 5%: an agreement check
// disagrees when it rejects; a sign check agrees or disagrees only when it
// rejects (its interval excludes 0) and is unresolved otherwise.
package compare
