package config

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// The sources of a config value other than an environment variable (which
// is "env NAME").
const (
	SourceDefault = "default"
	SourceFile    = "file"
	SourceSet     = "--set"
)

// Sources records where config values came from, by key path (list items by
// index). A value's source is the one recorded at its path or at the
// closest enclosing path ("" holds the defaults).
type Sources map[string]string

// record notes that the value at path (and everything under it) came from
// src. Paths are lowercased, as names are.
func (s Sources) record(path, src string) {
	path = strings.ToLower(path)
	for k := range s {
		if path != "" && strings.HasPrefix(k, path+".") {
			delete(s, k)
		}
	}
	s[path] = src
}

// recordLeaves records src for every leaf of tree under path.
func (s Sources) recordLeaves(tree any, path, src string) {
	forLeaves(tree, path, func(p string, _ any) { s.record(p, src) })
}

// Of returns the source of the value at path, and of any part of it
// overridden separately (a list item set on its own), in order.
func (s Sources) Of(path string) string {
	path = strings.ToLower(path)
	p := path
	for {
		if src, ok := s[p]; ok {
			out := []string{src}
			for _, k := range slices.Sorted(func(yield func(string) bool) {
				for k := range s {
					if strings.HasPrefix(k, path+".") && !yield(k) {
						return
					}
				}
			}) {
				if !slices.Contains(out, s[k]) {
					out = append(out, s[k])
				}
			}
			return strings.Join(out, ", ")
		}
		if p == "" {
			return SourceDefault
		}
		if i := strings.LastIndex(p, "."); i >= 0 {
			p = p[:i]
		} else {
			p = ""
		}
	}
}

// forLeaves calls f for every leaf of a YAML tree in key order: scalars, and
// lists of scalars as one value.
func forLeaves(tree any, path string, f func(path string, v any)) {
	switch n := tree.(type) {
	case map[string]any:
		if len(n) == 0 {
			f(path, n)
		}
		for _, k := range sortedKeys(n) {
			forLeaves(n[k], join(path, k), f)
		}
		return
	case []any:
		if slices.ContainsFunc(n, func(v any) bool {
			switch v.(type) {
			case map[string]any, []any:
				return true
			}
			return false
		}) {
			for i, v := range n {
				forLeaves(v, join(path, strconv.Itoa(i)), f)
			}
			return
		}
	}
	f(path, tree)
}

// Leaves lists the resolved config as "key = value" lines with each value's
// source.
func (r Resolved) Leaves() ([][3]string, error) {
	tree, err := toTree(r.Config)
	if err != nil {
		return nil, err
	}
	var out [][3]string
	forLeaves(tree, "", func(path string, v any) {
		out = append(out, [3]string{path, leafString(v), r.Sources.Of(path)})
	})
	return out, nil
}

func leafString(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return strconv.Quote(x)
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = leafString(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		return "{}"
	}
	return fmt.Sprint(v)
}
