package config

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// identifier is the charset of model and population names: a letter, then
// letters, digits, '-' and '_'. Names become CSV fields, file names,
// --set path segments and (upper-cased) environment variable parts.
var identifier = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]*$`)

// checkName refuses a name outside the identifier charset.
func checkName(key, name string) error {
	if identifier.MatchString(name) {
		return nil
	}
	shown := name
	if strings.TrimSpace(name) == "" {
		shown = strconv.Quote(name)
	}
	return bad(key, shown, "a name starts with a letter and has only letters, digits, '-' and '_'")
}

// sortedKeys returns a map's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func (c Config) populationNames() []string {
	out := make([]string, len(c.Populations))
	for i, p := range c.Populations {
		out[i] = p.Name
	}
	return out
}

func (c Config) modelNames() []string {
	out := make([]string, len(c.Models))
	for i, m := range c.Models {
		out[i] = m.Name
	}
	return out
}

// foldNames lowercases the model and population names of a resolved tree
// and every reference to them (population, of, mix sources, the knob's
// model). Names are case-insensitive, as viper folds the case of keys (the
// mix sources are keys): the config keeps them, and the run writes them,
// in lower case. Two names that differ only in case are an error naming
// both.
func foldNames(tree any) error {
	top, _ := tree.(map[string]any)
	for _, list := range []string{"populations", "models"} {
		items, _ := top[list].([]any)
		names := make([]string, len(items))
		for i, item := range items {
			m, _ := item.(map[string]any)
			names[i], _ = m["name"].(string)
		}
		if err := caseDuplicate(list, names); err != nil {
			return err
		}
		for _, item := range items {
			m, _ := item.(map[string]any)
			if name, ok := m["name"].(string); ok {
				m["name"] = strings.ToLower(name)
			}
			for _, ref := range []string{"population", "of"} {
				if s, ok := m[ref].(string); ok {
					m[ref] = strings.ToLower(s)
				}
			}
			mix, _ := m["mix"].(map[string]any)
			for _, part := range []string{"raw", "curated"} {
				if shares, ok := mix[part].(map[string]any); ok {
					lowered := make(map[string]any, len(shares))
					for k, v := range shares {
						lowered[strings.ToLower(k)] = v
					}
					mix[part] = lowered
				}
			}
		}
	}
	theory, _ := top["theory"].(map[string]any)
	if knob, ok := theory["knob"].(map[string]any); ok {
		if s, ok := knob["model"].(string); ok {
			knob["model"] = strings.ToLower(s)
		}
	}
	return nil
}

// caseDuplicate refuses two names of the list (models or populations) that
// differ only in case, naming both.
func caseDuplicate(list string, names []string) error {
	first := map[string]int{}
	for i, name := range names {
		lower := strings.ToLower(name)
		j, dup := first[lower]
		if !dup {
			first[lower] = i
		} else if names[j] != name {
			return bad(fmt.Sprintf("%s.%d.name", list, i), name, "names are case-insensitive: %s.%d.name is %s; give them different names", list, j, names[j])
		}
	}
	return nil
}
