package config

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

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
				return ok && strings.EqualFold(fmt.Sprint(m["name"]), seg)
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
