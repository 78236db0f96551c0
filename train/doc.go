// Package train runs the self-consuming loop: from an experiment config it
// builds the real data, the populations' rewards and curators and the
// generators, then, generation after generation, samples, curates, mixes and
// retrains every model, measures it, and keeps the run directory and its
// checkpoint up to date.
//
// # Families
//
// The loop is written once for every family of models and knows only the
// small interfaces of package family; data.kind picks the family from the
// registry (kinds.go), one line per family package (train/categorical,
// train/sequence, train/planar), each registering its family.Kind: its own
// key checks (after the keys every family shares, checked by config), its
// theory support and true rewards, its share of the run's estimate,
// whether the seed spread is predicted for it, and the constructor of the
// family a run trains. A family implements the interfaces over its own
// snapshot type S, a model frozen after a generation (categorical: the
// table and its sampler; planar: the flow, its evaluation samples and its
// grid table): its generators, the sampler of real, raw and curated data,
// the curators, freezing and measuring, its record files and its part of
// a checkpoint. The loop is generic in S and never looks inside a
// snapshot. A family whose loop the analytic map describes is also
// predictable (family.Predictable): it gives the finite-support world and
// its tables on it, and the prediction, tv_pred, the fit gap and compare
// follow. Adding a family is its package and one line in kinds.go.
//
// The config comes from package config (config.Load); Validate checks it
// and then, before anything is allocated, holds the run's estimate
// (EstimateRun: memory, time, CSV size) against the machine's memory and
// the stated limits.
//
// A run folder is written by one process at a time: it holds the folder's
// advisory lock (.lock, with its PID) from opening to the end, and a second
// process is refused at once. A new run goes only into a new or empty
// folder, never over another program's files. Every CSV goes through
// encoding/csv. The checkpoint (checkpoints/state.gob) carries a magic, a
// format version, its length and a SHA-256 of its state; one that fails any
// of them is refused with what to do, and the previous generation's
// checkpoint (state.gob.prev) is kept to fall back on.
//
// Cancelling Run's context stops a run within a few training steps in any
// phase (reward-model fit, generation-0 fit, a generation's training, the
// prediction); Run then returns an error that is both ErrInterrupted and the
// context's error, and the last completed generation's checkpoint stays.
package train
