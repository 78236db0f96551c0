// Package sequence is the family of autoregressive generators of short
// token sequences p(x|c) given a prompt c. A sequence is a token of the
// categorical machinery (package categorical), on a support of V^L
// sequences per prompt: the world, curation, exact metrics, fit gap and
// theory are the categorical family's; this package brings the
// generators, the real source (a Markov chain or a file), the rewards on
// sequence features, the reward models' features and two diversity
// metrics.
package sequence
