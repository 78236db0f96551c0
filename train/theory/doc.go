// Package theory computes the population-level prediction of the
// self-consuming loop (THEORY.md sections 3 to 5): the multi-model map Phi on
// conditional categorical models, its trajectory and fixed point, the
// Jacobian and spectral radius that give the convergence rate, the TV
// contraction condition, the self and cross influence of a curation knob by
// the implicit function theorem, and the paper's linear-Gaussian mechanism.
// It is exact arithmetic on distributions: no sampling, no training.
package theory
