package config

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"

	"github.com/go-viper/mapstructure/v2"
	"go.yaml.in/yaml/v3"
)

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
	Ignored []string // ParseLenient: the keys it dropped, as "key: why"
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

// parse resolves a config. The layers (defaults, file, environment, --set)
// are kept by viper (layers); the keys are checked here, strictly, since
// viper takes any key and folds its case: the file's keys before it enters
// viper, and each override's path and value as it is applied, so an error
// names the file, the environment variable or the --set that caused it.
// Defaults apply only to keys that are absent (or null): a key given as 0
// stays 0, and validation refuses it where 0 means nothing.
func parse(raw []byte, sets []string, env []string) (Resolved, error) {
	file, err := readTop(raw)
	if err != nil {
		return Resolved{}, err
	}
	return parseTree(file, sets, env, true)
}

// readTop reads a config file's YAML, which must be a mapping of keys
// (empty: no keys).
func readTop(raw []byte) (map[string]any, error) {
	var top any
	if err := yaml.Unmarshal(raw, &top); err != nil {
		return nil, err
	}
	if top == nil {
		top = map[string]any{}
	}
	file, ok := top.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("the top level must be a mapping of keys")
	}
	return file, nil
}

// parseTree is parse on the file's tree; without fold the names keep the
// file's spelling.
func parseTree(file map[string]any, sets []string, env []string, fold bool) (Resolved, error) {
	if _, err := checkKeys(file, configType, ""); err != nil {
		return Resolved{}, err
	}
	src := Sources{"": SourceDefault}
	src.recordLeaves(file, "", SourceFile)
	l, err := newLayers(file)
	if err != nil {
		return Resolved{}, err
	}
	tree := l.tree()
	if _, err := checkKeys(tree, configType, ""); err != nil {
		return Resolved{}, err
	}
	overrides, err := envOverrides(tree, env)
	if err != nil {
		return Resolved{}, err
	}
	var envSets []string
	for _, o := range overrides {
		envSets = append(envSets, o.set)
		if err := l.override(o.set, src, "env "+o.name); err != nil {
			return Resolved{}, fmt.Errorf("environment variable %s=%s: %w", o.name, o.value, err)
		}
	}
	for _, kv := range sets {
		if err := l.override(kv, src, SourceSet); err != nil {
			return Resolved{}, fmt.Errorf("--set %s: %w", kv, err)
		}
	}
	tree, err = checkKeys(l.tree(), configType, "")
	if err != nil {
		return Resolved{}, err
	}
	if fold { // a strict read (ParseLenient drops what it does not read)
		if err := checkForeign(tree); err != nil {
			return Resolved{}, err
		}
	}
	fillModelDefaults(tree, src)
	fillSections(tree, src)
	if fold {
		if err := foldNames(tree); err != nil {
			return Resolved{}, err
		}
	}
	cfg, err := decode(tree)
	if err != nil {
		return Resolved{}, err
	}
	return Resolved{Config: cfg, Sources: src, EnvSets: envSets}, nil
}

// override applies one key.path=value override: the path and the value
// are checked on a copy of the current config (as the unknown-key and type
// errors name them), then set in viper and recorded as coming from source.
func (l *layers) override(kv string, src Sources, source string) error {
	current := l.tree()
	changed, path, err := applySet(copyTree(current), kv)
	if err != nil {
		return err
	}
	if _, err := checkKeys(changed, configType, ""); err != nil {
		return err
	}
	_, val, _ := strings.Cut(kv, "=")
	var v any
	if err := yaml.Unmarshal([]byte(val), &v); err != nil {
		return err
	}
	l.set(path, v, current)
	src.record(path, source)
	return nil
}

// decode turns the checked tree into a Config, by the keys' yaml tags,
// refusing any key the Config lacks.
func decode(tree any) (Config, error) {
	var cfg Config
	dec, err := mapstructure.NewDecoder(&mapstructure.DecoderConfig{TagName: "yaml", ErrorUnused: true, Result: &cfg})
	if err != nil {
		return Config{}, err
	}
	if err := dec.Decode(tree); err != nil {
		return Config{}, err
	}
	return cfg, nil
}

var configType = reflect.TypeOf(Config{})

// fillModelDefaults gives every model the defaults of the keys it leaves
// out (absent or null), and records them as defaults: the keys every
// family reads, and data.kind's own model keys; the other families' model
// keys are dropped.
func fillModelDefaults(tree any, src Sources) {
	top, _ := tree.(map[string]any)
	list, _ := top["models"].([]any)
	data, _ := top["data"].(map[string]any)
	kind, _ := data["kind"].(string)
	keys := slices.Clone(modelDefaulted)
	var drop []string
	for _, s := range familySections {
		if s.kind == kind {
			keys = append(keys, s.modelKeys...)
		} else {
			drop = append(drop, s.modelKeys...)
		}
	}
	def, _ := toTree(ModelDefaults())
	dm, _ := def.(map[string]any)
	for i, item := range list {
		m, ok := item.(map[string]any)
		if !ok {
			continue
		}
		for _, k := range drop {
			delete(m, k)
		}
		for _, k := range keys {
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
