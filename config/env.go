package config

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
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

// envOverride is one environment variable that sets a config key.
type envOverride struct {
	name, value string
	set         string // key.path=value, list items by index
}

// envOverrides matches the SELFCONSUME_ variables in env to config keys: a
// key path in capitals, dots and dashes as underscores, list items by index
// or by name. A variable that matches no key, or two variables that set the
// same key, is an error naming them.
func envOverrides(tree any, env []string) ([]envOverride, error) {
	vals := map[string]string{}
	for _, kv := range env {
		if k, v, ok := strings.Cut(kv, "="); ok && strings.HasPrefix(k, EnvPrefix) && !slices.Contains(EnvOther, k) {
			vals[k] = v
		}
	}
	if len(vals) == 0 {
		return nil, nil
	}
	keys := map[string][]string{} // variable name -> key paths
	envKeys(tree, configType, "", "", func(name, path string) {
		if !slices.Contains(keys[name], path) {
			keys[name] = append(keys[name], path)
		}
	})
	var out []envOverride
	by := map[string]string{} // key path -> variable that set it
	for _, name := range sortedKeys(vals) {
		paths := keys[name]
		switch {
		case len(paths) == 0:
			return nil, fmt.Errorf("environment variable %s matches no config key%s; allowed: %s (list items by index or name; dots and dashes as underscores)",
				name, nearest(name, keys), strings.Join(envPatterns(), ", "))
		case len(paths) > 1:
			return nil, fmt.Errorf("environment variable %s is ambiguous: it matches %s", name, strings.Join(paths, " and "))
		}
		if other, ok := by[paths[0]]; ok {
			return nil, fmt.Errorf("environment variables %s and %s both set %s", other, name, paths[0])
		}
		by[paths[0]] = name
		out = append(out, envOverride{name: name, value: vals[name], set: paths[0] + "=" + vals[name]})
	}
	return out, nil
}

// envName is the variable for a key path.
func envName(path string) string {
	return EnvPrefix + strings.ToUpper(strings.NewReplacer(".", "_", "-", "_").Replace(path))
}

// envKeys calls f with every variable name that can set a key of type t
// under path: scalars, lists and mappings of values, and each list item's
// keys by index and by the item's name. byName is the path with list items
// by name, which names the variable.
func envKeys(tree any, t reflect.Type, path, byName string, f func(name, path string)) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if path != "" && t.Kind() != reflect.Struct {
		f(envName(path), path)
		f(envName(byName), path)
	}
	switch t.Kind() {
	case reflect.Struct:
		m, _ := tree.(map[string]any)
		for k, ft := range yamlFields(t) {
			envKeys(m[k], ft, join(path, k), join(byName, k), f)
		}
	case reflect.Slice:
		l, _ := tree.([]any)
		for i, item := range l {
			idx := strconv.Itoa(i)
			envKeys(item, t.Elem(), join(path, idx), join(byName, idx), f)
			if m, ok := item.(map[string]any); ok && m["name"] != nil {
				envKeys(item, t.Elem(), join(path, idx), join(byName, fmt.Sprint(m["name"])), f)
			}
		}
	case reflect.Map:
		m, _ := tree.(map[string]any)
		for k, v := range m {
			envKeys(v, t.Elem(), join(path, k), join(byName, k), f)
		}
	}
}

// envPatterns lists the variables that set config keys, list items as <I>
// (an index or a name) and mapping keys as <KEY>.
func envPatterns() []string {
	var out []string
	var walk func(t reflect.Type, path string)
	walk = func(t reflect.Type, path string) {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		switch t.Kind() {
		case reflect.Struct:
			for k, ft := range yamlFields(t) {
				walk(ft, join(path, k))
			}
			return
		case reflect.Slice:
			if t.Elem().Kind() == reflect.Struct {
				walk(t.Elem(), join(path, "<I>"))
				return
			}
		case reflect.Map:
			walk(t.Elem(), join(path, "<KEY>"))
			return
		}
		out = append(out, strings.ToUpper(strings.ReplaceAll(join(strings.TrimSuffix(EnvPrefix, "_"), path), ".", "_")))
	}
	walk(configType, "")
	slices.Sort(out)
	return out
}

// nearest suggests the variable closest to name, when one is close.
func nearest(name string, keys map[string][]string) string {
	best, bestD := "", 4
	for k := range keys {
		if d := editDistance(name, k); d < bestD || d == bestD && k < best {
			best, bestD = k, d
		}
	}
	if best == "" {
		return ""
	}
	return " (did you mean " + best + "?)"
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
