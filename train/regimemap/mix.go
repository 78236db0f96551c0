package regimemap

import (
	"fmt"
	"github.com/selfconsume/selfconsume/config"
	"maps"
	"math"
	"slices"

	"github.com/selfconsume/selfconsume/data"
	"github.com/selfconsume/selfconsume/train"
	"github.com/selfconsume/selfconsume/train/categorical"
)

// CellConfig returns the base config with the x axis at value x and the y
// axis at y, the mixtures renormalised as the package comment says. The
// alignment parameter does not live in the config (see CellRewards).
func CellConfig(base config.Config, xa, ya Axis, x, y float64) (config.Config, error) {
	cfg := cloneConfig(base)
	for _, a := range []struct {
		ax Axis
		v  float64
	}{{xa, x}, {ya, y}} {
		if err := a.ax.apply(&cfg, a.v); err != nil {
			return cfg, err
		}
	}
	return cfg, nil
}

// cloneConfig copies the parts of a config a cell changes (models' mixtures,
// populations) so that the base is never written.
func cloneConfig(c config.Config) config.Config {
	c.Models = slices.Clone(c.Models)
	for i := range c.Models {
		m := &c.Models[i].Mix
		m.Raw, m.Curated = maps.Clone(m.Raw), maps.Clone(m.Curated)
	}
	c.Populations = slices.Clone(c.Populations)
	return c
}

// apply sets the axis's parameter to v in cfg.
func (a Axis) apply(cfg *config.Config, v float64) error {
	switch a.Param {
	case ParamK:
		cfg.Curation.K = int(v)
	case ParamTau:
		cfg.Curation.Tau = v
	case ParamScale:
		for i := range cfg.Populations {
			if cfg.Populations[i].Name == a.Population {
				cfg.Populations[i].Scale = v
			}
		}
	case ParamAlignment:
		// in the rewards, not the config: CellRewards
	default:
		for _, name := range a.Models {
			i := slices.IndexFunc(cfg.Models, func(m config.ModelConfig) bool { return m.Name == name })
			if err := setShare(&cfg.Models[i].Mix, a.Param, name, v); err != nil {
				return fmt.Errorf("%s = %g: %w", a.Label(), v, err)
			}
		}
	}
	return nil
}

// setShare sets one share of model self's mixture and renormalises the
// rest (package comment).
func setShare(m *config.MixConfig, param, self string, v float64) error {
	curated := sum(m.Curated)
	switch param {
	case ParamCurated:
		if !(curated > 0) {
			return fmt.Errorf("model %s has no curated data, so its curated block has no split over sources to keep", self)
		}
		rest := 1 - curated
		if rest <= 0 && v < 1 {
			return fmt.Errorf("model %s has no real or raw share to take the rest", self)
		}
		scale(m.Curated, v/curated)
		if rest > 0 {
			m.Real *= (1 - v) / rest
			scale(m.Raw, (1-v)/rest)
		}
	case ParamReal:
		rest := 1 - m.Real
		if rest <= 0 && v < 1 {
			return fmt.Errorf("model %s has no raw or curated share to take the rest", self)
		}
		if rest > 0 {
			scale(m.Raw, (1-v)/rest)
			scale(m.Curated, (1-v)/rest)
		}
		m.Real = v
	case ParamCross:
		if !(curated > 0) {
			return fmt.Errorf("model %s has no curated data to split between itself and others", self)
		}
		others := curated - m.Curated[self]
		n := 0
		for src := range m.Curated {
			if src != self {
				n++
			}
		}
		if n == 0 && v > 0 {
			return fmt.Errorf("model %s curates no other model's data (add the other sources to mix.curated, at 0 if need be)", self)
		}
		for src, h := range m.Curated {
			switch {
			case src == self:
				m.Curated[src] = (1 - v) * curated
			case others > 0:
				m.Curated[src] = v * curated * h / others
			default:
				m.Curated[src] = v * curated / float64(n)
			}
		}
		if _, ok := m.Curated[self]; !ok {
			m.Curated[self] = (1 - v) * curated
		}
	}
	return nil
}

func sum(m map[string]float64) float64 {
	s := 0.0
	for _, k := range slices.Sorted(maps.Keys(m)) {
		s += m[k]
	}
	return s
}

func scale(m map[string]float64, f float64) {
	for k := range m {
		m[k] *= f
	}
}

// CellRewards returns the populations' true rewards of a cell: base (the
// base world's) unless an axis moves them. A scale axis rebuilds the
// rewards from the cell's config; an alignment axis at value a gives its
// population the reward a u + sqrt(1 - a^2) v, where u is population Of's
// reward centred within each context and v the part of the population's
// own base reward (centred likewise) orthogonal to u, rescaled to u's norm
// (inner product: context-weighted, uniform over tokens). Centring within
// contexts changes no curation (a Luce choice among candidates of one
// context ignores a per-context constant) and moves J by a constant.
func CellRewards(cfg config.Config, base *train.World, xa, ya Axis, x, y float64) ([]*data.Table, error) {
	truth := base.Truth
	if xa.Param == ParamScale || ya.Param == ParamScale {
		w, err := categorical.NewWorld(cfg)
		if err != nil {
			return nil, err
		}
		truth = w.Truth
	}
	for _, a := range []struct {
		ax Axis
		v  float64
	}{{xa, x}, {ya, y}} {
		if a.ax.Param != ParamAlignment {
			continue
		}
		pop := slices.IndexFunc(cfg.Populations, func(p config.PopulationConfig) bool { return p.Name == a.ax.Population })
		of := slices.IndexFunc(cfg.Populations, func(p config.PopulationConfig) bool { return p.Name == a.ax.Of })
		r, err := aligned(base.Truth[of], base.Truth[pop], base.Context, a.v)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", a.ax.Label(), err)
		}
		truth = slices.Clone(truth)
		truth[pop] = r
	}
	return truth, nil
}

// aligned is a*u + sqrt(1-a^2)*v (CellRewards) for u = of's centred reward.
func aligned(of, own *data.Table, ctx []float64, a float64) (*data.Table, error) {
	u, v := centred(of), centred(own)
	dot := func(x, y *data.Table) float64 {
		s := 0.0
		for c := 0; c < x.C; c++ {
			xr, yr := x.Row(c), y.Row(c)
			for t := range xr {
				s += ctx[c] * xr[t] * yr[t]
			}
		}
		return s
	}
	uu := dot(u, u)
	if !(uu > 0) {
		return nil, fmt.Errorf("the reward aligned with is constant within every context")
	}
	proj := dot(v, u) / uu
	for i := range v.P {
		v.P[i] -= proj * u.P[i]
	}
	vv := dot(v, v)
	if vv <= 1e-18*uu {
		return nil, fmt.Errorf("the population's own reward is a multiple of the other's (within contexts), so it has no independent direction: give it reward: random")
	}
	f := math.Sqrt(uu / vv)
	out := data.NewTable(u.C, u.V)
	b := math.Sqrt(math.Max(0, 1-a*a))
	for i := range out.P {
		out.P[i] = a*u.P[i] + b*f*v.P[i]
	}
	return out, nil
}

// centred returns r minus its mean over tokens in every context.
func centred(r *data.Table) *data.Table {
	out := r.Clone()
	for c := 0; c < out.C; c++ {
		row := out.Row(c)
		m := 0.0
		for _, x := range row {
			m += x
		}
		m /= float64(len(row))
		for t := range row {
			row[t] -= m
		}
	}
	return out
}
