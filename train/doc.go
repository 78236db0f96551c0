// Package train runs the self-consuming loop: it resolves an experiment
// config, builds the real data, the populations' rewards and curators and the
// generators, then, generation after generation, samples, curates, mixes and
// retrains every model, measures it, and keeps the run directory and its
// checkpoint up to date.
//
// A config resolves in layers: Defaults (and ModelDefaults for each model's
// absent keys), the YAML file, SELFCONSUME_ environment variables, --set
// overrides; Resolve records each value's source. A key left out or null
// takes its default; a key given as 0 is 0, and Validate refuses it where 0
// means nothing. Validate then checks every value against Bounds and,
// before anything is allocated, holds the run's estimate (EstimateRun:
// memory, time, CSV size) against the machine's memory and the stated
// limits.
package train
