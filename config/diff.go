package config

import (
	"fmt"
	"slices"
)

// DiffKeys lists the keys whose resolved values differ between a and b, as
// "key: a-value != b-value" (list items by index).
func DiffKeys(a, b Config) ([]string, error) {
	leaves := func(c Config) (map[string]string, []string, error) {
		t, err := toTree(c)
		if err != nil {
			return nil, nil, err
		}
		m := map[string]string{}
		var order []string
		forLeaves(t, "", func(p string, v any) {
			m[p] = leafString(v)
			order = append(order, p)
		})
		return m, order, nil
	}
	am, aOrder, err := leaves(a)
	if err != nil {
		return nil, err
	}
	bm, bOrder, err := leaves(b)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, p := range aOrder {
		if bv, ok := bm[p]; !ok {
			out = append(out, fmt.Sprintf("%s: %s != (absent)", p, am[p]))
		} else if bv != am[p] {
			out = append(out, fmt.Sprintf("%s: %s != %s", p, am[p], bv))
		}
	}
	for _, p := range bOrder {
		if _, ok := am[p]; !ok && !slices.Contains(aOrder, p) {
			out = append(out, fmt.Sprintf("%s: (absent) != %s", p, bm[p]))
		}
	}
	return out, nil
}
