package train

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// EnvPrefix starts the environment variables that override config keys:
// SELFCONSUME_CURATION_K=8 sets curation.k, SELFCONSUME_MODELS_0_LR sets the
// first model's lr.
const EnvPrefix = "SELFCONSUME_"

// Load resolves a config: the defaults, then the YAML file, then environment
// overrides (env is a list of KEY=VALUE, normally os.Environ()), then the
// --set overrides (key.path=value; list items by index or by name). The
// result is validated; any error names the key.
func Load(path string, sets []string, env []string) (Config, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("config: %w", err)
	}
	cfg, err := Parse(raw, sets, env)
	if err != nil {
		return Config{}, fmt.Errorf("config %s: %w", path, err)
	}
	cfg.resolveFiles(filepath.Dir(path))
	if err := cfg.Validate(); err != nil {
		return Config{}, fmt.Errorf("config %s: %w", path, err)
	}
	return cfg, nil
}

// Parse resolves a config from YAML bytes and overrides without validating it
// or resolving file paths.
func Parse(raw []byte, sets []string, env []string) (Config, error) {
	var file any
	if err := yaml.Unmarshal(raw, &file); err != nil {
		return Config{}, err
	}
	if file == nil {
		file = map[string]any{}
	}
	if _, ok := file.(map[string]any); !ok {
		return Config{}, fmt.Errorf("the top level must be a mapping of keys")
	}
	tree, err := toTree(Defaults())
	if err != nil {
		return Config{}, err
	}
	tree = merge(tree, file)
	if err := checkKeys(tree, reflect.TypeOf(Config{}), ""); err != nil {
		return Config{}, err
	}
	for _, kv := range envOverrides(tree, env) {
		if tree, err = applySet(tree, kv); err != nil {
			return Config{}, fmt.Errorf("environment: %w", err)
		}
	}
	for _, kv := range sets {
		if tree, err = applySet(tree, kv); err != nil {
			return Config{}, fmt.Errorf("--set %s: %w", kv, err)
		}
	}
	if err := checkKeys(tree, reflect.TypeOf(Config{}), ""); err != nil {
		return Config{}, err
	}
	b, err := yaml.Marshal(tree)
	if err != nil {
		return Config{}, err
	}
	var cfg Config
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&cfg); err != nil {
		return Config{}, fmt.Errorf("%s", strings.TrimPrefix(err.Error(), "yaml: "))
	}
	for i := range cfg.Models {
		modelDefaults(&cfg.Models[i])
	}
	return cfg, nil
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

// merge overlays b on a: mappings merge key by key, anything else replaces.
func merge(a, b any) any {
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

// checkKeys reports the first key in tree that the config type does not have.
func checkKeys(tree any, t reflect.Type, path string) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct:
		m, ok := tree.(map[string]any)
		if !ok {
			if tree == nil {
				return nil
			}
			return fmt.Errorf("%s: want a mapping of keys, got %v", orTop(path), tree)
		}
		fields := yamlFields(t)
		for k, v := range m {
			ft, ok := fields[k]
			if !ok {
				allowed := make([]string, 0, len(fields))
				for name := range fields {
					allowed = append(allowed, name)
				}
				slices.Sort(allowed)
				return fmt.Errorf("unknown key %q (allowed here: %s)", join(path, k), strings.Join(allowed, ", "))
			}
			if err := checkKeys(v, ft, join(path, k)); err != nil {
				return err
			}
		}
	case reflect.Int, reflect.Int64, reflect.Uint64, reflect.Uint:
		if _, ok := tree.(int); !ok && tree != nil {
			return bad(path, tree, "want a whole number")
		}
		if v, _ := tree.(int); v < 0 && (t.Kind() == reflect.Uint64 || t.Kind() == reflect.Uint) {
			return bad(path, tree, "want a whole number >= 0")
		}
	case reflect.Float64:
		switch tree.(type) {
		case int, float64, nil:
		default:
			return bad(path, tree, "want a number")
		}
	case reflect.Bool:
		if _, ok := tree.(bool); !ok && tree != nil {
			return bad(path, tree, "want true or false")
		}
	case reflect.String:
		switch tree.(type) {
		case map[string]any, []any:
			return bad(path, tree, "want a single value")
		}
	case reflect.Map:
		m, ok := tree.(map[string]any)
		if !ok {
			if tree == nil {
				return nil
			}
			return fmt.Errorf("%s: want a mapping, got %v", orTop(path), tree)
		}
		for k, v := range m {
			if err := checkKeys(v, t.Elem(), join(path, k)); err != nil {
				return err
			}
		}
	case reflect.Slice:
		l, ok := tree.([]any)
		if !ok {
			if tree == nil {
				return nil
			}
			return fmt.Errorf("%s: want a list, got %v", orTop(path), tree)
		}
		for i, v := range l {
			if err := checkKeys(v, t.Elem(), join(path, strconv.Itoa(i))); err != nil {
				return err
			}
		}
	}
	return nil
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

// applySet applies one "key.path=value" override. Path segments index maps by
// key and lists by position or by an item's name field.
func applySet(tree any, kv string) (any, error) {
	key, val, ok := strings.Cut(kv, "=")
	if !ok || key == "" {
		return tree, fmt.Errorf("want key=value")
	}
	var v any
	if err := yaml.Unmarshal([]byte(val), &v); err != nil {
		return tree, fmt.Errorf("value %q: %w", val, err)
	}
	return setPath(tree, strings.Split(key, "."), v, "")
}

func setPath(node any, segs []string, v any, done string) (any, error) {
	if len(segs) == 0 {
		return v, nil
	}
	seg := segs[0]
	switch n := node.(type) {
	case map[string]any:
		child, err := setPath(n[seg], segs[1:], v, join(done, seg))
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
		child, err := setPath(n[i], segs[1:], v, join(done, seg))
		if err != nil {
			return nil, err
		}
		n[i] = child
		return n, nil
	case nil:
		return setPath(map[string]any{}, segs, v, done)
	default:
		return nil, fmt.Errorf("%s is a value, not a mapping or list", orTop(done))
	}
}

// envOverrides lists the overrides that environment variables give for the
// leaves present in tree.
func envOverrides(tree any, env []string) []string {
	vals := map[string]string{}
	for _, kv := range env {
		if k, v, ok := strings.Cut(kv, "="); ok && strings.HasPrefix(k, EnvPrefix) {
			vals[k] = v
		}
	}
	if len(vals) == 0 {
		return nil
	}
	var out []string
	var walk func(node any, path string)
	walk = func(node any, path string) {
		switch n := node.(type) {
		case map[string]any:
			keys := make([]string, 0, len(n))
			for k := range n {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			for _, k := range keys {
				walk(n[k], join(path, k))
			}
			return
		case []any:
			for i, v := range n {
				walk(v, join(path, strconv.Itoa(i)))
			}
		}
		name := EnvPrefix + strings.ToUpper(strings.NewReplacer(".", "_", "-", "_").Replace(path))
		if v, ok := vals[name]; ok && path != "" {
			out = append(out, path+"="+v)
		}
	}
	walk(tree, "")
	return out
}
