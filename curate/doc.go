// Package curate is the "human" side of the loop, written once for every
// model family: the true reward of each population (Resolve builds them,
// a population with reward negate taking another's negated), pairwise
// preference labels drawn from it, the Bradley-Terry fit of a reward model to
// those labels (FitPairs, whatever the features), K-choice Luce curation of
// sampled candidates (Chooser: tokens by context or points on the plane),
// and the exact curation law on distributions (Law, an Operator: the curated
// law, its Jacobian and Jacobian-vector products, which is all the
// population-level theory uses).
package curate
