// Package models holds the gorgonia networks of the harness: the MLP block,
// the conditional categorical generator p(y|c) trained from count tables, and
// the pairwise reward scorer trained with the Bradley-Terry loss. Each network
// builds its training graph once, refills its inputs in place, and offers a
// plain-Go float64 forward pass over its parameters for exact tables.
//
// # Training steps
//
// A network's training graph is built from few, fused gorgonia ops: each
// dense layer act(x W + b) is one Dense op, and the generators' loss, the
// count-weighted cross-entropy of a log-softmax, one CountCE op; their
// backward passes are a handful of ops more. Each does the float32
// operations of gorgonia's composed graph (Mul, BroadcastAdd, Rectify,
// Max, Exp, Sum, Log ...) in the same order, so the numbers are the same
// bits, with a tenth of the ops. A step then runs the graph's ops in
// gorgonia's topological order, each writing into its previous buffer
// (program), rather than on gorgonia's tape machine, whose RunAll runs the
// tape on a new goroutine on another OS thread at every call; the
// gradients are read from their nodes and Adam updates the parameters in
// one pass each. The tests hold the fused graph to the composed one and the
// runner to the tape machine, bit for bit.
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
