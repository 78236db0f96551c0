package config

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"

	"go.yaml.in/yaml/v3"
)

// EnvPrefix starts the environment variables that override config keys:
// SELFCONSUME_CURATION_K=8 sets curation.k, SELFCONSUME_MODELS_0_LR or
// SELFCONSUME_MODELS_SOLO_LR sets the lr of the first model, named solo.
// Any other variable with this prefix is an error, except those listed in
// EnvOther.
const EnvPrefix = "SELFCONSUME_"

// EnvOther lists the SELFCONSUME_ variables that are not config keys: the
// Slurm helper scripts' state folder.
var EnvOther = []string{"SELFCONSUME_SLURM_STATE"}

// Load resolves a config: the defaults, then the YAML file, then environment
// overrides (env is a list of KEY=VALUE, normally os.Environ()), then the
// --set overrides (key.path=value; list items by index or by name). The
// result is validated; any error names the key.
func Load(path string, sets []string, env []string) (Config, error) {
	r, err := Resolve(path, sets, env)
	return r.Config, err
}

// Resolved is a loaded config and where each of its values came from.
type Resolved struct {
	Config  Config
	Sources Sources
	EnvSets []string // the environment's overrides as key=value (list items by index), in order
}

// Resolve is Load that also reports the source of every value.
func Resolve(path string, sets []string, env []string) (Resolved, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return Resolved{}, fmt.Errorf("config: %w", err)
	}
	r, err := parse(raw, sets, env)
	if err != nil {
		return Resolved{}, fmt.Errorf("config %s: %w", path, err)
	}
	r.Config.resolveFiles(filepath.Dir(path))
	if err := r.Config.Validate(); err != nil {
		return Resolved{}, fmt.Errorf("config %s: %w", path, err)
	}
	return r, nil
}

// EnvSets returns the overrides that the SELFCONSUME_ variables in env make
// to the config file at path, as key=value (list items by index), checked
// like Load's. Commands that hand overrides on to other runs (compare,
// sweep cells) pass these with their --set.
func EnvSets(path string, env []string) ([]string, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	r, err := parse(raw, nil, env)
	if err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	return r.EnvSets, nil
}

// Parse resolves a config from YAML bytes and overrides without validating it
// or resolving file paths.
func Parse(raw []byte, sets []string, env []string) (Config, error) {
	r, err := parse(raw, sets, env)
	return r.Config, err
}

// parse resolves a config. Defaults apply only to keys that are absent (or
// null): a key given as 0 stays 0, and validation refuses it where 0 means
// nothing. Every override is checked as it is applied, so an error names the
// file, the environment variable or the --set that caused it.
func parse(raw []byte, sets []string, env []string) (Resolved, error) {
	var file any
	if err := yaml.Unmarshal(raw, &file); err != nil {
		return Resolved{}, err
	}
	if file == nil {
		file = map[string]any{}
	}
	if _, ok := file.(map[string]any); !ok {
		return Resolved{}, fmt.Errorf("the top level must be a mapping of keys")
	}
	tree, err := toTree(Defaults())
	if err != nil {
		return Resolved{}, err
	}
	src := Sources{"": SourceDefault}
	src.recordLeaves(file, "", SourceFile)
	tree = merge(tree, file)
	check := func() error {
		var err error
		tree, err = checkKeys(tree, configType, "")
		if err == nil {
			fillModelDefaults(tree, src)
		}
		return err
	}
	if err := check(); err != nil {
		return Resolved{}, err
	}
	overrides, err := envOverrides(tree, env)
	if err != nil {
		return Resolved{}, err
	}
	var envSets []string
	for _, o := range overrides {
		var path string
		envSets = append(envSets, o.set)
		if tree, path, err = applySet(tree, o.set); err == nil {
			src.record(path, "env "+o.name)
			err = check()
		}
		if err != nil {
			return Resolved{}, fmt.Errorf("environment variable %s=%s: %w", o.name, o.value, err)
		}
	}
	for _, kv := range sets {
		var path string
		if tree, path, err = applySet(tree, kv); err == nil {
			src.record(path, SourceSet)
			err = check()
		}
		if err != nil {
			return Resolved{}, fmt.Errorf("--set %s: %w", kv, err)
		}
	}
	b, err := yaml.Marshal(tree)
	if err != nil {
		return Resolved{}, err
	}
	var cfg Config
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&cfg); err != nil {
		return Resolved{}, fmt.Errorf("%s", strings.TrimPrefix(err.Error(), "yaml: "))
	}
	return Resolved{Config: cfg, Sources: src, EnvSets: envSets}, nil
}

var configType = reflect.TypeOf(Config{})

// fillModelDefaults gives every model the defaults of the keys it leaves
// out (absent or null), and records them as defaults.
func fillModelDefaults(tree any, src Sources) {
	top, _ := tree.(map[string]any)
	list, _ := top["models"].([]any)
	def, _ := toTree(ModelDefaults())
	dm, _ := def.(map[string]any)
	for i, item := range list {
		m, ok := item.(map[string]any)
		if !ok {
			continue
		}
		for _, k := range modelDefaulted {
			if m[k] == nil {
				m[k] = dm[k]
				src.record(fmt.Sprintf("models.%d.%s", i, k), SourceDefault)
			}
		}
	}
}

// YAML returns the fully resolved config as YAML.
func (c Config) YAML() ([]byte, error) { return yaml.Marshal(c) }

// resolveFiles makes relative data and reward file paths relative to dir.
func (c *Config) resolveFiles(dir string) {
	abs := func(p string) string {
		if p == "" || filepath.IsAbs(p) {
			return p
		}
		return filepath.Join(dir, p)
	}
	c.Data.File = abs(c.Data.File)
	for i := range c.Populations {
		c.Populations[i].File = abs(c.Populations[i].File)
	}
}
