// Package curate is the "human" side of the loop: the true reward of each
// population, pairwise preference labels drawn from it, the reward model
// learned from those labels, K-choice Luce curation of sampled candidates, and
// the exact curation law on distributions.
package curate
