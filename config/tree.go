package config

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// toTree turns a value into the generic YAML tree (maps, lists, scalars).
func toTree(v any) (any, error) {
	b, err := yaml.Marshal(v)
	if err != nil {
		return nil, err
	}
	var t any
	return t, yaml.Unmarshal(b, &t)
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
// takes an integer, and other scalars turned into text where it takes text.
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
		// A scalar of another type is taken as its text (use: true).
		switch x := tree.(type) {
		case map[string]any, []any:
			return nil, bad(path, tree, "want a single value")
		case bool:
			return strconv.FormatBool(x), nil
		case int:
			return strconv.Itoa(x), nil
		case uint64:
			return strconv.FormatUint(x, 10), nil
		case float64:
			return strconv.FormatFloat(x, 'g', -1, 64), nil
		}
	case reflect.Map:
		m, ok := tree.(map[string]any)
		if !ok {
			if tree == nil {
				return nil, nil
			}
			return nil, fmt.Errorf("%s: want a mapping, got %v", orTop(path), tree)
		}
		seen := map[string]string{}
		for _, k := range sortedKeys(m) {
			if !identifier.MatchString(k) {
				return nil, bad(join(path, k), m[k], "%q is not a model name", k)
			}
			if other, ok := seen[strings.ToLower(k)]; ok {
				return nil, bad(join(path, k), m[k], "names are case-insensitive: %s names the same model", join(path, other))
			}
			seen[strings.ToLower(k)] = k
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
