package config

import (
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
