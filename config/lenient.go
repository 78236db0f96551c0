package config

import (
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// ParseLenient reads a config as a run folder of another version (or
// another program) may hold it: a key this version does not know, or whose
// value has the wrong type, is dropped and listed in Resolved.Ignored with
// why, instead of refused; absent keys take their defaults, and Sources
// tells the keys the file set from the defaulted ones. Model and
// population names keep the file's spelling, which the folder's CSV files
// use (this version writes them in lower case). Like Parse it neither
// validates nor resolves file paths. The error is for YAML that does not
// parse or is not a mapping of keys.
func ParseLenient(raw []byte) (Resolved, error) {
	file, err := readTop(raw)
	if err != nil {
		return Resolved{}, err
	}
	var ignored []string
	prune(file, configType, "", &ignored)
	r, err := parseTree(file, nil, nil, false)
	if err != nil {
		return Resolved{}, err
	}
	r.Ignored = ignored
	return r, nil
}

// prune drops from m (a mapping of struct type t at path) every key t lacks
// and every value checkKeys refuses, recording each as "key: why"; it
// descends into sections and lists of sections, so that one bad key drops
// only itself.
func prune(m map[string]any, t reflect.Type, path string, ignored *[]string) {
	fields := yamlFields(t)
	for _, k := range sortedKeys(m) {
		key := join(path, k)
		ft, ok := fields[k]
		if !ok {
			delete(m, k)
			*ignored = append(*ignored, key+": unknown key")
			continue
		}
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		switch v := m[k].(type) {
		case map[string]any:
			if ft.Kind() == reflect.Struct {
				prune(v, ft, key, ignored)
			}
		case []any:
			if et := ft.Elem(); ft.Kind() == reflect.Slice && et.Kind() == reflect.Struct {
				for i, item := range v {
					if sub, ok := item.(map[string]any); ok {
						prune(sub, et, join(key, strconv.Itoa(i)), ignored)
					}
				}
			}
		}
		if _, err := checkKeys(copyTree(m[k]), ft, key); err != nil {
			delete(m, k)
			*ignored = append(*ignored, err.Error())
		}
	}
}

// FileTree is the part of the resolved config that the file (or an
// override) set, as a YAML tree of typed values: the defaults a key took
// are left out, so that a reader shows what the run's config said.
func (r Resolved) FileTree() (map[string]any, error) {
	tree, err := toTree(r.Config)
	if err != nil {
		return nil, err
	}
	out, _ := r.given(tree, "").(map[string]any)
	if out == nil {
		out = map[string]any{}
	}
	return out, nil
}

// given is tree without its defaulted leaves (nil when nothing is left).
func (r Resolved) given(tree any, path string) any {
	switch n := tree.(type) {
	case map[string]any:
		if len(n) > 0 {
			out := map[string]any{}
			for k, v := range n {
				if x := r.given(v, join(path, k)); x != nil {
					out[k] = x
				}
			}
			if len(out) == 0 {
				return nil
			}
			return out
		}
	case []any:
		var out []any
		for i, v := range n {
			switch v.(type) {
			case map[string]any, []any:
				out = append(out, r.given(v, join(path, strconv.Itoa(i)))) // nil keeps the place
			default:
				if r.set(path) {
					return n // a list of scalars is one value
				}
				return nil
			}
		}
		if !slices.ContainsFunc(out, func(x any) bool { return x != nil }) {
			return nil
		}
		return out
	}
	if r.set(path) {
		return tree
	}
	return nil
}

// set reports whether the value at path, or a part of it, did not come
// from the defaults.
func (r Resolved) set(path string) bool {
	for _, s := range strings.Split(r.Sources.Of(path), ", ") {
		if s != SourceDefault {
			return true
		}
	}
	return false
}
