package sweep

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/selfconsume/selfconsume/config"
	"go.yaml.in/yaml/v3"
)

// The ways a grid's axes combine into points.
const (
	ModeProduct = "product" // every combination; the first axis varies slowest
	ModeZip     = "zip"     // the i-th value of every axis together; axes of equal length
)

// Spec is a sweep: a base config, overrides every cell shares, a grid of
// swept keys and a number of seeds per grid point. Its YAML keys are the
// names written in sweep files.
type Spec struct {
	Base     string       `yaml:"base"`                // base config path (relative paths resolve against the sweep file)
	Sets     []string     `yaml:"sets,omitempty"`      // key.path=value overrides applied to every cell
	Grid     Grid         `yaml:"grid,omitempty"`      // the swept keys and their values, in the order written
	Mode     string       `yaml:"mode,omitempty"`      // product (default) | zip
	Seeds    int          `yaml:"seeds,omitempty"`     // seeds per grid point (default 1): seed = base seed + s
	BaseSeed *uint64      `yaml:"base_seed,omitempty"` // the seed of s = 0; unset: the base config's seed after Sets
	Slurm    SlurmOptions `yaml:"slurm,omitempty"`     // the Slurm backend's resources
}

// Grid is the ordered list of swept keys.
type Grid []Axis

// Axis is one swept config key and the values it takes, each written as
// YAML (the text a --set override would carry).
type Axis struct {
	Key    string   `yaml:"key"`
	Values []string `yaml:"values"`
}

// LoadSpec reads a sweep file. A relative base config path is taken
// relative to the sweep file; the result is not yet resolved (see Prepare).
func LoadSpec(path string) (Spec, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return Spec{}, fmt.Errorf("sweep: %w", err)
	}
	var s Spec
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true)
	if err := dec.Decode(&s); err != nil {
		return Spec{}, fmt.Errorf("sweep %s: %s", path, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	if s.Base == "" {
		return Spec{}, fmt.Errorf("sweep %s: base: name the base config file", path)
	}
	if !filepath.IsAbs(s.Base) {
		s.Base = filepath.Join(filepath.Dir(path), s.Base)
	}
	return s, nil
}

// resolve fills the defaults, makes the base path absolute, pins the base
// seed and checks the grid, so that the spec alone determines every cell.
func (s Spec) resolve() (Spec, error) {
	if s.Base == "" {
		return s, fmt.Errorf("sweep: base: name the base config file")
	}
	abs, err := filepath.Abs(s.Base)
	if err != nil {
		return s, err
	}
	s.Base = abs
	if s.Mode == "" {
		s.Mode = ModeProduct
	}
	if s.Seeds == 0 {
		s.Seeds = 1
	}
	if s.BaseSeed == nil {
		raw, err := os.ReadFile(s.Base)
		if err != nil {
			return s, fmt.Errorf("sweep: base config: %w", err)
		}
		cfg, err := config.Parse(raw, s.Sets, nil)
		if err != nil {
			return s, fmt.Errorf("sweep: base config %s with sets: %w", s.Base, err)
		}
		seed := cfg.Seed
		s.BaseSeed = &seed
	}
	if _, err := s.points(); err != nil {
		return s, err
	}
	return s, nil
}

// UnmarshalYAML reads a grid written either as a mapping of key to a list of
// values (keys kept in the order written) or as a list of {key, values}.
func (g *Grid) UnmarshalYAML(n *yaml.Node) error {
	var axes Grid
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			a, err := axisOf(n.Content[i].Value, n.Content[i+1])
			if err != nil {
				return err
			}
			axes = append(axes, a)
		}
	case yaml.SequenceNode:
		for _, item := range n.Content {
			var raw struct {
				Key    string    `yaml:"key"`
				Values yaml.Node `yaml:"values"`
			}
			if err := item.Decode(&raw); err != nil {
				return fmt.Errorf("grid: want items {key, values}: %w", err)
			}
			a, err := axisOf(raw.Key, &raw.Values)
			if err != nil {
				return err
			}
			axes = append(axes, a)
		}
	default:
		return fmt.Errorf("grid: line %d: want a mapping of key: [values] or a list of {key, values}", n.Line)
	}
	*g = axes
	return nil
}

// axisOf reads one axis: its values must be a list; each value is kept as
// the YAML text that reproduces it.
func axisOf(key string, values *yaml.Node) (Axis, error) {
	if key == "" {
		return Axis{}, fmt.Errorf("grid: line %d: an axis without a key", values.Line)
	}
	if values.Kind != yaml.SequenceNode {
		return Axis{}, fmt.Errorf("grid.%s: want a list of values", key)
	}
	a := Axis{Key: key}
	for _, v := range values.Content {
		text, err := valueText(v)
		if err != nil {
			return Axis{}, fmt.Errorf("grid.%s: %w", key, err)
		}
		a.Values = append(a.Values, text)
	}
	return a, nil
}

// valueText is the YAML text of one value, on one line: a plain scalar as
// written, anything else (quoted strings, mappings, lists) in flow style.
func valueText(v *yaml.Node) (string, error) {
	if v.Kind == yaml.ScalarNode && v.Style == 0 {
		return v.Value, nil
	}
	flow(v)
	b, err := yaml.Marshal(v)
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(b)), nil
}

// flow sets flow style on a node and everything under it.
func flow(n *yaml.Node) {
	if n.Kind == yaml.MappingNode || n.Kind == yaml.SequenceNode {
		n.Style = yaml.FlowStyle
	}
	for _, c := range n.Content {
		flow(c)
	}
}

// MarshalYAML writes the grid as a mapping of key to values, in order, each
// value as the YAML it was read from.
func (g Grid) MarshalYAML() (any, error) {
	m := &yaml.Node{Kind: yaml.MappingNode}
	for _, a := range g {
		seq := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
		for _, v := range a.Values {
			var doc yaml.Node
			if err := yaml.Unmarshal([]byte(v), &doc); err != nil {
				return nil, fmt.Errorf("grid.%s: value %q: %w", a.Key, v, err)
			}
			if len(doc.Content) == 0 {
				seq.Content = append(seq.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"})
				continue
			}
			seq.Content = append(seq.Content, doc.Content[0])
		}
		m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: a.Key}, seq)
	}
	return m, nil
}

// YAML returns the spec as a sweep file.
func (s Spec) YAML() ([]byte, error) { return yaml.Marshal(s) }
