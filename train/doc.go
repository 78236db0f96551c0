// Package train runs the self-consuming loop: it resolves an experiment
// config, builds the real data, the populations' rewards and curators and the
// generators, then, generation after generation, samples, curates, mixes and
// retrains every model, measures it, and keeps the run directory and its
// checkpoint up to date.
package train
