package config

import (
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/viper"
)

// layers holds a config's layers in viper, which keeps them apart and
// answers with the highest that has a key: the defaults (SetDefault), the
// file (MergeConfigMap), then the environment and --set overrides in order
// (Set, the later winning). Viper has no lists of mappings, so models and
// populations are stored as mappings by index ("models.0.lr"); a mapping or
// list given whole by an override is stored as one opaque value, so that it
// replaces what the layers below have there instead of merging with it
// (--set models.x.mix='{real: 1}' drops the file's raw and curated shares).
type layers struct{ v *viper.Viper }

// whole is an override's mapping or list, to be taken as one value.
type whole struct{ v any }

// newLayers starts the layers with the defaults and the (checked) file tree.
func newLayers(file map[string]any) (*layers, error) {
	def, err := toTree(Defaults())
	if err != nil {
		return nil, err
	}
	v := viper.NewWithOptions(viper.KeyDelimiter("."))
	for k, val := range byIndex(def, configType).(map[string]any) {
		v.SetDefault(k, val)
	}
	if err := v.MergeConfigMap(byIndex(file, configType).(map[string]any)); err != nil {
		return nil, err
	}
	return &layers{v: v}, nil
}

// tree returns the merged config as a YAML tree (lists as lists).
func (l *layers) tree() any {
	return asLists(l.v.AllSettings(), configType)
}

// set overrides the value at path (list items by index; a checked path)
// with val. Below a value viper holds as one piece (a list, or a mapping
// given whole), the piece is copied, changed and set again whole.
func (l *layers) set(path string, val any, current any) {
	segs := strings.Split(path, ".")
	for i := 1; i < len(segs); i++ {
		switch l.v.Get(strings.Join(segs[:i], ".")).(type) {
		case map[string]any, nil:
			continue
		}
		piece := copyTree(nodeAt(current, segs[:i]))
		var ignored string
		piece, err := setPath(piece, segs[i:], val, "", &ignored)
		if err == nil {
			l.v.Set(strings.Join(segs[:i], "."), whole{piece})
		}
		return
	}
	switch val.(type) {
	case map[string]any, []any, nil: // nil: the key is null, as in a file
		val = whole{val}
	}
	l.v.Set(path, val)
}

// byIndex turns the lists of mappings in tree (models, populations) into
// mappings by index, for viper.
func byIndex(tree any, t reflect.Type) any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct:
		m, ok := tree.(map[string]any)
		if !ok {
			return tree
		}
		fields := yamlFields(t)
		out := make(map[string]any, len(m))
		for k, v := range m {
			out[k] = byIndex(v, fields[k])
		}
		return out
	case reflect.Slice:
		l, ok := tree.([]any)
		if !ok || t.Elem().Kind() != reflect.Struct {
			return tree
		}
		out := make(map[string]any, len(l))
		for i, v := range l {
			out[strconv.Itoa(i)] = byIndex(v, t.Elem())
		}
		return out
	}
	return tree
}

// asLists undoes byIndex on viper's merged settings and unwraps the values
// given whole.
func asLists(tree any, t reflect.Type) any {
	if w, ok := tree.(whole); ok {
		tree = w.v
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct:
		m, ok := tree.(map[string]any)
		if !ok {
			return tree
		}
		fields := yamlFields(t)
		out := make(map[string]any, len(m))
		for k, v := range m {
			if ft, ok := fields[k]; ok {
				out[k] = asLists(v, ft)
			} else {
				out[k] = v // checkKeys names it
			}
		}
		return out
	case reflect.Map:
		m, ok := tree.(map[string]any)
		if !ok {
			return tree
		}
		out := make(map[string]any, len(m))
		for k, v := range m {
			out[k] = asLists(v, t.Elem())
		}
		return out
	case reflect.Slice:
		if m, ok := tree.(map[string]any); ok {
			keys := make([]int, 0, len(m))
			for k := range m {
				i, err := strconv.Atoi(k)
				if err != nil {
					return tree // checkKeys refuses a mapping here
				}
				keys = append(keys, i)
			}
			slices.Sort(keys)
			l := make([]any, len(keys))
			for j, i := range keys {
				l[j] = m[strconv.Itoa(i)]
			}
			tree = l
		}
		l, ok := tree.([]any)
		if !ok {
			return tree
		}
		out := make([]any, len(l))
		for i, v := range l {
			out[i] = asLists(v, t.Elem())
		}
		return out
	}
	return tree
}

// nodeAt returns the node of tree at the path segments (list items by
// index), or nil.
func nodeAt(tree any, segs []string) any {
	for _, s := range segs {
		switch n := tree.(type) {
		case map[string]any:
			tree = n[s]
		case []any:
			i, err := strconv.Atoi(s)
			if err != nil || i < 0 || i >= len(n) {
				return nil
			}
			tree = n[i]
		default:
			return nil
		}
	}
	return tree
}

// copyTree is a deep copy of a YAML tree.
func copyTree(tree any) any {
	switch n := tree.(type) {
	case map[string]any:
		out := make(map[string]any, len(n))
		for k, v := range n {
			out[k] = copyTree(v)
		}
		return out
	case []any:
		out := make([]any, len(n))
		for i, v := range n {
			out[i] = copyTree(v)
		}
		return out
	}
	return tree
}
