// Package data holds what the models learn from: the real distributions
// (categorical tables over contexts and tokens, 2-D mixtures), samples tagged
// by the model and the route they came from, the exact apportionment of a
// training set over its sources, and the seeded random streams every other
// package draws from.
package data
