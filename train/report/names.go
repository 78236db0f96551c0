package report

import (
	"cmp"
	"regexp"
	"slices"
	"strconv"
)

// names is a list of distinct names in order of first addition.
type names struct {
	list []string
	seen map[string]bool
}

// add appends s unless it is already listed.
func (n *names) add(s ...string) {
	if n.seen == nil {
		n.seen = make(map[string]bool)
	}
	for _, x := range s {
		if !n.seen[x] {
			n.seen[x] = true
			n.list = append(n.list, x)
		}
	}
}

// sortNatural sorts names so that numbers come in numeric order (2 before
// 10) ahead of other names, which sort as text.
func sortNatural(s []string) {
	slices.SortStableFunc(s, func(a, b string) int {
		fa, ea := strconv.ParseFloat(a, 64)
		fb, eb := strconv.ParseFloat(b, 64)
		switch {
		case ea == nil && eb == nil:
			return cmp.Compare(fa, fb)
		case ea == nil:
			return -1
		case eb == nil:
			return 1
		}
		return cmp.Compare(a, b)
	})
}

var unsafeFileChars = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// fileSafe turns a model or population name into a piece of a file name
// that needs no escaping in a file system or a Markdown link.
func fileSafe(s string) string {
	s = unsafeFileChars.ReplaceAllString(s, "_")
	if s == "" || s[0] == '.' {
		s = "_" + s
	}
	return s
}

// firstMidLast picks the first, middle and last of sorted values, without
// repeats.
func firstMidLast(gens []int) []int {
	if len(gens) == 0 {
		return nil
	}
	var out []int
	for _, g := range []int{gens[0], gens[len(gens)/2], gens[len(gens)-1]} {
		if !slices.Contains(out, g) {
			out = append(out, g)
		}
	}
	return out
}
