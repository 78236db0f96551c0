package regimemap

import (
	"bytes"
	"fmt"
	"github.com/selfconsume/selfconsume/config"
	"github.com/selfconsume/selfconsume/runfolder"
	"github.com/selfconsume/selfconsume/train"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/selfconsume/selfconsume/train/sweep"
)

// The parameters an axis can sweep (see the package comment for how each
// renormalises the rest of the mixture).
const (
	ParamCurated   = "curated"   // models: the curated share (the block's split over sources kept)
	ParamCross     = "cross"     // models: the share of the curated block from other models (the block's total kept)
	ParamReal      = "real"      // models: the real share
	ParamK         = "k"         // curation.k
	ParamTau       = "tau"       // curation.tau
	ParamScale     = "scale"     // population: the scale of its random reward
	ParamAlignment = "alignment" // population: the correlation of its reward with population Of's
)

// Params lists the parameters an axis accepts.
func Params() []string {
	return []string{ParamCurated, ParamCross, ParamReal, ParamK, ParamTau, ParamScale, ParamAlignment}
}

// DefaultSteps is the number of grid values of an axis given by from and to.
const DefaultSteps = 9

// Axis is one swept parameter and the values it takes: Values, or Steps
// evenly spaced values from From to To (both included).
type Axis struct {
	Param      string    `yaml:"param"`
	Model      string    `yaml:"model,omitempty"`      // curated, cross, real: the model (or Models)
	Models     []string  `yaml:"models,omitempty"`     // curated, cross, real: models set to the same value
	Population string    `yaml:"population,omitempty"` // scale, alignment
	Of         string    `yaml:"of,omitempty"`         // alignment: the population it is aligned with
	From       *float64  `yaml:"from,omitempty"`
	To         *float64  `yaml:"to,omitempty"`
	Steps      int       `yaml:"steps,omitempty"`
	Values     []float64 `yaml:"values,omitempty"`
}

// Spots are the cells whose neural loop is run, to check the map there.
type Spots struct {
	Cells       [][2]int `yaml:"cells,omitempty"`       // grid indices [x index, y index], from 0
	Seeds       int      `yaml:"seeds,omitempty"`       // seeds per cell (default 4)
	Generations int      `yaml:"generations,omitempty"` // generations per run (0: the base config's)
	// Slurm are the resources of the spots' job arrays (--backend slurm).
	Slurm sweep.SlurmOptions `yaml:"slurm,omitempty"`
}

// Spec is a regime map: a base config (with overrides), the curator of the
// analytic map, the knob whose influence is mapped, two axes and the spot
// checks. Its YAML keys are those of a map file.
type Spec struct {
	Name    string   `yaml:"name,omitempty"`    // the map's name (default: the map file's, without extension)
	Base    string   `yaml:"base"`              // base config path (relative: to the map file)
	Sets    []string `yaml:"sets,omitempty"`    // key.path=value overrides of the base config
	Curator string   `yaml:"curator,omitempty"` // learned | true (default: the base config's theory.curator)
	Knob    string   `yaml:"knob,omitempty"`    // the model whose curated share is the knob (default: theory.knob.model)
	X       Axis     `yaml:"x"`
	Y       Axis     `yaml:"y"`
	Spots   Spots    `yaml:"spots,omitempty"`
}

// SpecFile is the resolved map inside a map folder.
const SpecFile = "map.yaml"

// LoadSpec reads a map file; a relative base path is taken relative to it.
func LoadSpec(path string) (Spec, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return Spec{}, fmt.Errorf("map: %w", err)
	}
	var s Spec
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true)
	if err := dec.Decode(&s); err != nil {
		return Spec{}, fmt.Errorf("map %s: %s", path, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	if s.Base == "" {
		return Spec{}, fmt.Errorf("map %s: base: name the base config file", path)
	}
	if !filepath.IsAbs(s.Base) {
		s.Base = filepath.Join(filepath.Dir(path), s.Base)
	}
	if s.Name == "" {
		s.Name = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	}
	return s, nil
}

// YAML is the spec as a map file.
func (s Spec) YAML() ([]byte, error) { return yaml.Marshal(s) }

// resolve loads the base config and fills the spec's defaults: an absolute
// base path, the curator, the knob, and every axis as its list of values.
func (s Spec) resolve() (Spec, config.Config, error) {
	abs, err := filepath.Abs(s.Base)
	if err != nil {
		return s, config.Config{}, err
	}
	s.Base = abs
	cfg, err := config.Load(s.Base, s.Sets, nil)
	if err != nil {
		return s, cfg, fmt.Errorf("map: base: %w", err)
	}
	if s.Curator == "" {
		s.Curator = cfg.Theory.Curator
	}
	if s.Curator != config.CuratorLearned && s.Curator != config.CuratorTrue {
		return s, cfg, fmt.Errorf("map: curator: %q; allowed: learned, true", s.Curator)
	}
	if s.Knob == "" {
		s.Knob = cfg.Theory.Knob.Model
	}
	if s.Knob == "" {
		return s, cfg, fmt.Errorf("map: knob: the map is of the influence of a model's curated share; name the model (knob: NAME) or set theory.knob.model in the base config")
	}
	cfg.Theory.Knob.Model = s.Knob
	cfg.Theory.Curator = s.Curator
	if err := train.CheckConfig(cfg); err != nil {
		return s, cfg, fmt.Errorf("map: knob %s: %w", s.Knob, err)
	}
	for _, a := range []struct {
		name string
		ax   *Axis
	}{{"x", &s.X}, {"y", &s.Y}} {
		if err := a.ax.resolve(a.name, cfg, s.Curator); err != nil {
			return s, cfg, err
		}
	}
	if s.X.key() == s.Y.key() {
		return s, cfg, fmt.Errorf("map: x and y both sweep %s", s.X.Label())
	}
	if len(s.Spots.Cells) > 0 && s.Spots.Seeds == 0 {
		s.Spots.Seeds = 4
	}
	if s.Spots.Seeds < 0 || s.Spots.Generations < 0 {
		return s, cfg, fmt.Errorf("map: spots: seeds %d and generations %d; need >= 0", s.Spots.Seeds, s.Spots.Generations)
	}
	for _, c := range s.Spots.Cells {
		if c[0] < 0 || c[0] >= len(s.X.Values) || c[1] < 0 || c[1] >= len(s.Y.Values) {
			return s, cfg, fmt.Errorf("map: spots.cells: [%d, %d] is outside the %d x %d grid (indices from 0)", c[0], c[1], len(s.X.Values), len(s.Y.Values))
		}
	}
	return s, cfg, nil
}

// resolve checks the axis against the base config and the curator and
// expands from/to/steps into Values.
func (a *Axis) resolve(name string, cfg config.Config, curator string) error {
	where := "map: " + name
	if a.Model != "" {
		if len(a.Models) > 0 {
			return fmt.Errorf("%s: give model or models, not both", where)
		}
		a.Models, a.Model = []string{a.Model}, ""
	}
	hasModel := func(n string) bool {
		return slices.ContainsFunc(cfg.Models, func(m config.ModelConfig) bool { return m.Name == n })
	}
	pop := slices.IndexFunc(cfg.Populations, func(p config.PopulationConfig) bool { return p.Name == a.Population })
	switch a.Param {
	case ParamCurated, ParamCross, ParamReal:
		if len(a.Models) == 0 {
			return fmt.Errorf("%s: param %s needs model: NAME (or models: [...])", where, a.Param)
		}
		for _, m := range a.Models {
			if !hasModel(m) {
				return fmt.Errorf("%s.model: %q is not a model of the base config", where, m)
			}
		}
	case ParamK, ParamTau:
		if len(a.Models) > 0 || a.Population != "" {
			return fmt.Errorf("%s: param %s is the curation law's; it takes no model or population", where, a.Param)
		}
	case ParamScale, ParamAlignment:
		if pop < 0 {
			return fmt.Errorf("%s.population: %q is not a population of the base config", where, a.Population)
		}
		if cfg.Data.Kind != "categorical" {
			return fmt.Errorf("%s: param %s needs categorical data (data.kind is %s)", where, a.Param, cfg.Data.Kind)
		}
		// the learned reward models were fitted to the base config's
		// rewards: a map that moves the rewards needs the true ones to curate
		if curator != config.CuratorTrue {
			return fmt.Errorf("%s: param %s changes the populations' true rewards, which the learned curators were fitted to (a refit per cell): set curator: true in the map file", where, a.Param)
		}
		if a.Param == ParamScale && cfg.Populations[pop].Reward != "random" {
			return fmt.Errorf("%s: param scale needs population %s to have reward: random (it has %s)", where, a.Population, cfg.Populations[pop].Reward)
		}
		if a.Param == ParamAlignment {
			of := slices.IndexFunc(cfg.Populations, func(p config.PopulationConfig) bool { return p.Name == a.Of })
			if of < 0 || of == pop {
				return fmt.Errorf("%s.of: %q; alignment needs another population of the base config", where, a.Of)
			}
		}
	default:
		return fmt.Errorf("%s.param: %q; allowed: %s", where, a.Param, strings.Join(Params(), ", "))
	}
	if len(a.Values) == 0 {
		if a.From == nil || a.To == nil {
			return fmt.Errorf("%s: give values: [...] or from: and to: (with steps:, default %d)", where, DefaultSteps)
		}
		if a.Steps == 0 {
			a.Steps = DefaultSteps
		}
		if a.Steps < 2 {
			return fmt.Errorf("%s.steps: %d; need >= 2", where, a.Steps)
		}
		for i := range a.Steps {
			t := float64(i) / float64(a.Steps-1)
			a.Values = append(a.Values, *a.From+t*(*a.To-*a.From))
		}
		a.From, a.To, a.Steps = nil, nil, 0
	}
	if len(a.Values) < 2 {
		return fmt.Errorf("%s: %d values; a map needs >= 2 per axis", where, len(a.Values))
	}
	for i, v := range a.Values {
		if err := a.check(v); err != nil {
			return fmt.Errorf("%s: value %d (%g): %w", where, i, v, err)
		}
		if i > 0 && !(v > a.Values[i-1]) {
			return fmt.Errorf("%s: values must increase (%g after %g)", where, v, a.Values[i-1])
		}
	}
	return nil
}

// check says whether one value is in the parameter's range.
func (a *Axis) check(v float64) error {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return fmt.Errorf("not finite")
	case (a.Param == ParamCurated || a.Param == ParamCross || a.Param == ParamReal) && (v < 0 || v > 1):
		return fmt.Errorf("a share; need 0 <= value <= 1")
	case a.Param == ParamK && (v < 1 || v != math.Trunc(v)):
		return fmt.Errorf("k is a whole number of candidates: need an integer >= 1")
	case (a.Param == ParamTau || a.Param == ParamScale) && v < 0:
		return fmt.Errorf("need >= 0")
	case a.Param == ParamAlignment && (v < -1 || v > 1):
		return fmt.Errorf("a correlation; need -1 <= value <= 1")
	}
	return nil
}

// key identifies what the axis moves.
func (a Axis) key() string {
	return a.Param + "/" + strings.Join(a.Models, ",") + "/" + a.Population
}

// Label names the axis for figures and tables, e.g. "cross share of p's
// curated data".
func (a Axis) Label() string {
	ms := strings.Join(a.Models, " and ")
	switch a.Param {
	case ParamCurated:
		return "curated share of " + ms
	case ParamCross:
		return "cross share of " + ms + "'s curated data"
	case ParamReal:
		return "real share of " + ms
	case ParamK:
		return "curation K"
	case ParamTau:
		return "curation tau"
	case ParamScale:
		return "reward scale of " + a.Population
	case ParamAlignment:
		return "alignment of " + a.Population + "'s reward with " + a.Of + "'s"
	}
	return a.Param
}

// Column is the axis's name as a short column title, e.g. "cross/p".
func (a Axis) Column() string {
	switch {
	case len(a.Models) > 0:
		return a.Param + "/" + strings.Join(a.Models, "+")
	case a.Population != "":
		return a.Param + "/" + a.Population
	}
	return a.Param
}

// format writes a value as the shortest text that reads back the same
// (as every CSV of a run folder does).
func format(v float64) string { return runfolder.FormatFloat(v) }
