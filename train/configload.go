package train

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
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

// toTree turns a value into the generic YAML tree (maps, lists, scalars).
func toTree(v any) (any, error) {
	b, err := yaml.Marshal(v)
	if err != nil {
		return nil, err
	}
	var t any
	return t, yaml.Unmarshal(b, &t)
}

// merge overlays b on a: mappings merge key by key, a null in b keeps a, and
// anything else replaces.
func merge(a, b any) any {
	if b == nil {
		return a
	}
	am, aok := a.(map[string]any)
	bm, bok := b.(map[string]any)
	if !aok || !bok {
		return b
	}
	out := make(map[string]any, len(am))
	for k, v := range am {
		out[k] = v
	}
	for k, v := range bm {
		if old, ok := out[k]; ok {
			out[k] = merge(old, v)
		} else {
			out[k] = v
		}
	}
	return out
}

// yamlFields maps a struct type's YAML keys to their field types.
func yamlFields(t reflect.Type) map[string]reflect.Type {
	m := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name := strings.Split(f.Tag.Get("yaml"), ",")[0]
		if name == "" || name == "-" {
			continue
		}
		m[name] = f.Type
	}
	return m
}

// checkKeys reports the first key in tree that the config type does not
// have, or whose value has the wrong type. It returns the tree with whole
// numbers written as floats (1e6, 10.0) turned into integers where the key
// takes an integer.
func checkKeys(tree any, t reflect.Type, path string) (any, error) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct:
		m, ok := tree.(map[string]any)
		if !ok {
			if tree == nil {
				return nil, nil
			}
			return nil, fmt.Errorf("%s: want a mapping of keys, got %v", orTop(path), tree)
		}
		fields := yamlFields(t)
		for _, k := range sortedKeys(m) {
			ft, ok := fields[k]
			if !ok {
				allowed := make([]string, 0, len(fields))
				for name := range fields {
					allowed = append(allowed, name)
				}
				slices.Sort(allowed)
				return nil, fmt.Errorf("unknown key %q (allowed here: %s)", join(path, k), strings.Join(allowed, ", "))
			}
			v, err := checkKeys(m[k], ft, join(path, k))
			if err != nil {
				return nil, err
			}
			m[k] = v
		}
	case reflect.Int, reflect.Int64, reflect.Uint64, reflect.Uint:
		return wholeNumber(path, tree, t.Kind() == reflect.Uint64 || t.Kind() == reflect.Uint)
	case reflect.Float64:
		switch tree.(type) {
		case int, uint64, float64, nil:
		default:
			return nil, bad(path, tree, "want a number")
		}
	case reflect.Bool:
		if _, ok := tree.(bool); !ok && tree != nil {
			return nil, bad(path, tree, "want true or false")
		}
	case reflect.String:
		switch tree.(type) {
		case map[string]any, []any:
			return nil, bad(path, tree, "want a single value")
		}
	case reflect.Map:
		m, ok := tree.(map[string]any)
		if !ok {
			if tree == nil {
				return nil, nil
			}
			return nil, fmt.Errorf("%s: want a mapping, got %v", orTop(path), tree)
		}
		for _, k := range sortedKeys(m) {
			v, err := checkKeys(m[k], t.Elem(), join(path, k))
			if err != nil {
				return nil, err
			}
			m[k] = v
		}
	case reflect.Slice:
		l, ok := tree.([]any)
		if !ok {
			if tree == nil {
				return nil, nil
			}
			return nil, fmt.Errorf("%s: want a list, got %v", orTop(path), tree)
		}
		for i, v := range l {
			v, err := checkKeys(v, t.Elem(), join(path, strconv.Itoa(i)))
			if err != nil {
				return nil, err
			}
			l[i] = v
		}
	}
	return tree, nil
}

// wholeNumber checks a value for an integer key. A float that is a whole
// number (YAML reads 1e6 and 10.0 as floats) is taken as that integer; one
// beyond the integers' range is refused with the key's bound.
func wholeNumber(path string, v any, unsigned bool) (any, error) {
	limit := "want a whole number"
	if b, ok := boundOf(path); ok {
		limit = fmt.Sprintf("want a whole number <= %s (%s)", fmtBound(b.Max), b.Why)
	}
	switch x := v.(type) {
	case nil:
		return nil, nil
	case int:
		if x < 0 && unsigned {
			return nil, bad(path, v, "want a whole number >= 0")
		}
		return x, nil
	case uint64:
		if unsigned {
			return x, nil
		}
		return nil, bad(path, v, "%s", limit)
	case float64:
		if x != math.Trunc(x) || math.IsInf(x, 0) {
			return nil, bad(path, v, "want a whole number")
		}
		if x < -(1<<62) || x >= 1<<62 || (x < 0 && unsigned) {
			return nil, bad(path, v, "%s", limit)
		}
		return int(x), nil
	}
	return nil, bad(path, v, "want a whole number")
}

func join(path, k string) string {
	if path == "" {
		return k
	}
	return path + "." + k
}

func orTop(path string) string {
	if path == "" {
		return "the config"
	}
	return path
}

// applySet applies one "key.path=value" override and returns the key's path
// with list items by index. Path segments index maps by key and lists by
// position or by an item's name field.
func applySet(tree any, kv string) (any, string, error) {
	key, val, ok := strings.Cut(kv, "=")
	if !ok || key == "" {
		return tree, "", fmt.Errorf("want key=value")
	}
	var v any
	if err := yaml.Unmarshal([]byte(val), &v); err != nil {
		return tree, "", fmt.Errorf("value %q: %w", val, err)
	}
	var path string
	tree, err := setPath(tree, strings.Split(key, "."), v, "", &path)
	return tree, path, err
}

func setPath(node any, segs []string, v any, done string, path *string) (any, error) {
	if len(segs) == 0 {
		*path = done
		return v, nil
	}
	seg := segs[0]
	switch n := node.(type) {
	case map[string]any:
		child, err := setPath(n[seg], segs[1:], v, join(done, seg), path)
		if err != nil {
			return nil, err
		}
		n[seg] = child
		return n, nil
	case []any:
		i, err := strconv.Atoi(seg)
		if err != nil {
			i = slices.IndexFunc(n, func(item any) bool {
				m, ok := item.(map[string]any)
				return ok && fmt.Sprint(m["name"]) == seg
			})
			if i < 0 {
				return nil, fmt.Errorf("%s has no item named %q", orTop(done), seg)
			}
		}
		if i < 0 || i >= len(n) {
			return nil, fmt.Errorf("%s has %d items; index %d is out of range", orTop(done), len(n), i)
		}
		child, err := setPath(n[i], segs[1:], v, join(done, strconv.Itoa(i)), path)
		if err != nil {
			return nil, err
		}
		n[i] = child
		return n, nil
	case nil:
		return setPath(map[string]any{}, segs, v, done, path)
	default:
		return nil, fmt.Errorf("%s is a value, not a mapping or list", orTop(done))
	}
}
