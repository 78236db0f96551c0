// Package family is the contract between the generation loop (package
// train) and a family of generative models (categorical tables, sequences,
// 2-D densities).
//
// A family implements the small interfaces of family.go over its own
// snapshot type S, a model frozen after a generation: its generators
// (Generators), the sampler of real, raw and curated data (Sampler), the
// populations' curators (Curators), freezing and measuring (Snapshots),
// its run-folder files (Recorder) and its part of a checkpoint
// (Checkpointer). A family whose loop the analytic map describes is also
// Predictable: it gives its finite-support World and its tables on it.
// The loop is generic in S and never looks inside a snapshot.
//
// A family registers itself as a Kind: its Spec (data.kind name, key
// checks, theory support, true rewards, estimate, prediction start file)
// and its constructor. Package train lists the kinds, one line each.
//
// The package also holds what the families share: the World (real table,
// context weights, true rewards, curators, mixture counts) and its
// population-level map (World.System), the exact table metrics, the world
// files of the run folder, the estimate's cost terms and Parallel.
package family
