package sweep

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Cell is one run of a sweep: one grid point and one seed.
type Cell struct {
	Index int       // position in the sweep, 0-based; grid points in order, seeds innermost
	Point int       // grid point: cells that differ only by seed share it
	Name  string    // stable folder name, e.g. "0007-curation.k=4-seed=2"
	Keys  []Setting // the swept keys and this cell's values, in grid order
	Seed  uint64
	Sets  []string // every override of the cell: the spec's sets, the keys, then seed
}

// Setting is one swept key and its value as YAML text.
type Setting struct {
	Key, Value string
}

// Value returns the cell's value of a swept key, and whether it is swept.
func (c Cell) Value(key string) (string, bool) {
	for _, s := range c.Keys {
		if s.Key == key {
			return s.Value, true
		}
	}
	return "", false
}

// reserved keys may not be swept: seeds come from Seeds, and cells set
// their own worker count.
var reserved = map[string]string{
	"seed":    "use seeds: N (seed = base seed + s), and sets: [seed=...] to move the base seed",
	"workers": "the sweep sets each cell's workers itself; results do not depend on it",
}

// points expands the grid into its points, each one value index per axis.
func (s Spec) points() ([][]int, error) {
	seen := map[string]bool{}
	for _, a := range s.Grid {
		if why, ok := reserved[a.Key]; ok {
			return nil, fmt.Errorf("grid.%s: cannot be swept: %s", a.Key, why)
		}
		if seen[a.Key] {
			return nil, fmt.Errorf("grid.%s: the key appears twice", a.Key)
		}
		seen[a.Key] = true
		if len(a.Values) == 0 {
			return nil, fmt.Errorf("grid.%s: no values", a.Key)
		}
	}
	if s.Seeds < 1 {
		return nil, fmt.Errorf("seeds = %d: must be >= 1", s.Seeds)
	}
	switch s.Mode {
	case ModeProduct, "":
		pts := [][]int{{}}
		for _, a := range s.Grid {
			var next [][]int
			for _, p := range pts {
				for v := range a.Values {
					next = append(next, append(slices.Clone(p), v))
				}
			}
			pts = next
		}
		return pts, nil
	case ModeZip:
		if len(s.Grid) == 0 {
			return [][]int{{}}, nil
		}
		n := len(s.Grid[0].Values)
		for _, a := range s.Grid[1:] {
			if len(a.Values) != n {
				return nil, fmt.Errorf("mode zip: axes differ in length: %s has %d values, %s has %d",
					s.Grid[0].Key, n, a.Key, len(a.Values))
			}
		}
		pts := make([][]int, n)
		for i := range pts {
			pts[i] = make([]int, len(s.Grid))
			for k := range pts[i] {
				pts[i][k] = i
			}
		}
		return pts, nil
	default:
		return nil, fmt.Errorf("mode = %s: allowed: product, zip", s.Mode)
	}
}

// Cells expands the sweep into its cells: grid points in order (for a
// product, the first axis varies slowest), each with Seeds seeds. Names and
// indices depend only on the spec.
func (s Spec) Cells() ([]Cell, error) {
	s, err := s.resolve()
	if err != nil {
		return nil, err
	}
	pts, err := s.points()
	if err != nil {
		return nil, err
	}
	n := len(pts) * s.Seeds
	width := max(4, len(strconv.Itoa(n-1)))
	cells := make([]Cell, 0, n)
	for p, pt := range pts {
		keys := make([]Setting, len(s.Grid))
		for k, a := range s.Grid {
			keys[k] = Setting{a.Key, a.Values[pt[k]]}
		}
		for sd := 0; sd < s.Seeds; sd++ {
			c := Cell{Index: len(cells), Point: p, Keys: slices.Clone(keys), Seed: *s.BaseSeed + uint64(sd)}
			name := []string{fmt.Sprintf("%0*d", width, c.Index)}
			c.Sets = slices.Clone(s.Sets)
			for _, kv := range keys {
				name = append(name, kv.Key+"="+nameValue(kv.Value))
				c.Sets = append(c.Sets, kv.Key+"="+kv.Value)
			}
			seed := strconv.FormatUint(c.Seed, 10)
			c.Name = strings.Join(append(name, "seed="+seed), "-")
			c.Sets = append(c.Sets, "seed="+seed)
			cells = append(cells, c)
		}
	}
	return cells, nil
}

// nameValue makes a value fit for a folder name: runs of characters other
// than letters, digits and . + - become one underscore, at most 32 long.
func nameValue(v string) string {
	var b strings.Builder
	under := false
	for _, r := range v {
		ok := r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune(".+-", r))
		switch {
		case ok:
			b.WriteRune(r)
			under = false
		case !under:
			b.WriteByte('_')
			under = true
		}
	}
	out := strings.Trim(b.String(), "_")
	if len(out) > 32 {
		out = out[:32]
	}
	if out == "" {
		out = "_"
	}
	return out
}
