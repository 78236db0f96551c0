// Package models holds the gorgonia networks of the harness: the MLP block,
// the conditional categorical generator p(y|c) trained from count tables, and
// the pairwise reward scorer trained with the Bradley-Terry loss. Each network
// builds its training graph once, refills its inputs in place, and offers a
// plain-Go float64 forward pass over its parameters for exact tables.
package models
