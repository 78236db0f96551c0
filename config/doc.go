// Package config is the experiment config: its keys (Config and its parts),
// their defaults, their bounds, and its one way in, Load.
//
// A config resolves in layers: Defaults (and ModelDefaults for each model's
// absent keys), the YAML file, SELFCONSUME_ environment variables, --set
// overrides; Resolve records each value's source. A family's own keys,
// its section of data (data.plane for planar, data.sequence for sequence)
// and its models' keys (depth, max_log_scale; window), are resolved, with
// their defaults (PlaneDefaults, SequenceDefaults, ModelDefaults), only
// when data.kind names that family; the other families' keys are dropped,
// so a run's config.yaml lists only what its family reads. Viper holds the layers
// and decodes the result (mapstructure, by the yaml tags); the environment
// comes in as a list (os.Environ() in the command), so its variables are
// matched to keys here and set in order before the --set overrides. A key
// left out or null takes its default; a key given as 0 is 0, and Validate
// refuses it where 0 means nothing. An override that gives a mapping or a
// list replaces the value there (mix='{real: 1}' drops the file's shares);
// one that gives a single key changes only that key.
//
// Keys are strict, though viper alone would take any key in any case: an
// unknown key, in the file, an environment variable or a --set, is an
// error that lists the keys allowed there. List items (models,
// populations) are addressed by index or by name: models.0.lr,
// models.solo.lr, SELFCONSUME_MODELS_SOLO_LR.
//
// Model and population names are case-insensitive identifiers, as viper
// folds the case of keys and mix sources are keys: a config keeps them,
// and a run writes them, in lower case (every reference too: population,
// of, mix sources, theory.knob.model), and two names that differ only in
// case are an error naming both.
//
// Validate checks every value against Bounds (the one statement of every
// size limit; README's table copies it) and then the meaning of the keys
// every family shares; every error is an *Error naming the key, the value
// and what is allowed. The package knows no family of models: data.kind is
// a name, and the keys only one family reads (its data section, its
// rewards, its models' own keys) are that family's to check, with Invalid,
// FileExists and CheckBound (train.CheckConfig runs both). Whether a run
// fits the machine is not a config question either: package train
// estimates that from a valid config.
//
// ParseLenient reads a config.yaml of another version for readers such as
// the report: unknown keys and values of the wrong type are dropped and
// listed, not refused.
package config
