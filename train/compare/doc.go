// Package compare holds an experiment against its theory: it runs the loop
// over seeds (and, with an influence knob, at lambda -/+ delta with common
// random numbers) through the sweep engine, then sets every seed's measured
// trajectory beside its own prediction and decides each check.
//
// The checks are paired t-tests over seeds (train/stats): the reward of
// every model and population after burn-in (measured - predicted), and per
// influence its sign (H0: no effect) and its size (measured - predicted).
// Populations whose true rewards are affine images of each other are
// checked once. All checks of a comparison form one family, adjusted by
// Holm's step-down procedure at family-wise level 5%: an agreement check
// disagrees when it rejects; a sign check agrees or disagrees only when it
// rejects (its interval excludes 0) and is unresolved otherwise.
package compare
