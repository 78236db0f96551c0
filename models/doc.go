// Package models holds the gorgonia networks of the harness: the MLP block,
// the conditional categorical generator p(y|c) trained from count tables, and
// the pairwise reward scorer trained with the Bradley-Terry loss. Each network
// builds its training graph once, refills its inputs in place, and offers a
// plain-Go float64 forward pass over its parameters for exact tables.
//
// # Choosing the BLAS
//
// Every matrix multiply, in the training graphs and in the plain-Go forward
// passes, goes through one process-wide BLAS. Importing the package installs
// nothing: a program calls UseBackend once at start-up, before it builds a
// network. The selfconsume command calls UseBackend(DefaultBackend()): the
// packed AVX2/FMA or AVX-512 multiply of Gemm, or OpenBLAS in a build with
// the openblas tag. The tests of every package that trains networks install
// Gemm in their TestMain, since the numbers they pin are Gemm's.
//
// A program that trains without calling UseBackend (train.Run called from Go
// code, say) gets gonum's BLAS, gorgonia's default. The results are right
// but slower, and, since gonum sums in another order and without fused
// multiply-adds, not the same numbers as the selfconsume command's for the
// same seed: the same in distribution only. To reproduce the command's runs
// bit for bit, call UseBackend(DefaultBackend()) first.
//
// The noasm build tag leaves out every assembly loop of the harness (the
// multiply's kernels, and the ReLU, Adam and flow row loops, whose Go forms
// give the same bits) and of gonum, which honours the same tag: Gemm is then
// gonum's plain-Go multiply, whose sums round differently again.
package models
