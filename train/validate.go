package train

import (
	"fmt"
	"github.com/selfconsume/selfconsume/curate"
	"math"
	"os"
	"slices"
	"sort"
	"strings"
)

// ConfigError names the key at fault, its value and what is allowed.
type ConfigError struct {
	Key     string
	Value   any
	Allowed string
}

func (e *ConfigError) Error() string {
	return fmt.Sprintf("%s = %v: %s", e.Key, e.Value, e.Allowed)
}

func bad(key string, value any, allowed string, args ...any) error {
	return &ConfigError{Key: key, Value: value, Allowed: fmt.Sprintf(allowed, args...)}
}

// Validate checks the whole config before any work is done.
// Bounds come first, so that nothing later computes with an absurd size;
// the memory and time estimate comes last, on an otherwise valid config.
func (c Config) Validate() error {
	if err := c.checkBounds(); err != nil {
		return err
	}
	if err := c.validateRest(); err != nil {
		return err
	}
	return EstimateRun(c).check()
}

// validateRest checks everything but the bounds and the estimate.
func (c Config) validateRest() error {
	if c.Generations < 0 {
		return bad("generations", c.Generations, "must be >= 0")
	}
	if !slices.Contains([]string{RegimeReplace, RegimeAccumulate, RegimeAccumulateSubsample}, c.Regime) {
		return bad("regime", c.Regime, "allowed: replace, accumulate, accumulate-subsample")
	}
	if c.Workers < 0 {
		return bad("workers", c.Workers, "must be >= 0 (0 = one per CPU)")
	}
	if c.Metrics != MetricsFull && c.Metrics != MetricsMinimal {
		var v any = c.Metrics
		if c.Metrics == "" {
			v = `""`
		}
		return bad("metrics", v, "allowed: %s (everything, the default), %s (reward/<population>; kl_real on categorical data)",
			MetricsFull, MetricsMinimal)
	}
	if err := c.Data.validate(); err != nil {
		return err
	}
	pops, err := c.validatePopulations()
	if err != nil {
		return err
	}
	if err := c.RewardModel.validate(); err != nil {
		return err
	}
	if c.Curation.K < 1 {
		return bad("curation.k", c.Curation.K, "must be >= 1 (1 = no curation)")
	}
	if c.Curation.Tau < 0 || math.IsNaN(c.Curation.Tau) {
		return bad("curation.tau", c.Curation.Tau, "must be >= 0 (0 = best-of-K)")
	}
	if c.Curation.Pool < 0 {
		return bad("curation.pool", c.Curation.Pool, "must be >= 0")
	}
	if len(c.Models) == 0 {
		return bad("models", "[]", "need at least one model")
	}
	names := map[string]bool{}
	for i, m := range c.Models {
		key := fmt.Sprintf("models.%d", i)
		if err := checkName(key+".name", m.Name); err != nil {
			return err
		}
		if names[m.Name] {
			return bad(key+".name", m.Name, "model names must be unique")
		}
		names[m.Name] = true
		if !pops[m.Population] {
			return bad(key+".population", m.Population, "allowed: %s", strings.Join(c.populationNames(), ", "))
		}
	}
	for i, m := range c.Models {
		if err := m.validate(fmt.Sprintf("models.%d", i), names); err != nil {
			return err
		}
		if c.Data.Kind == "planar" {
			if err := m.validateFlow(fmt.Sprintf("models.%d", i)); err != nil {
				return err
			}
		}
	}
	if c.Theory.Curator != CuratorLearned && c.Theory.Curator != CuratorTrue {
		return bad("theory.curator", c.Theory.Curator, "allowed: learned, true")
	}
	if c.Theory.BurnIn < 0 || c.Theory.BurnIn >= max(c.Generations, 1) {
		return bad("theory.burn_in", c.Theory.BurnIn, "must be in [0, generations)")
	}
	if c.Theory.Tol <= 0 {
		return bad("theory.tol", c.Theory.Tol, "must be > 0")
	}
	if c.Theory.Delta <= 0 || c.Theory.Delta >= 1 {
		return bad("theory.delta", c.Theory.Delta, "must be in (0, 1)")
	}
	if !(c.Theory.Negligible >= 0) || math.IsInf(c.Theory.Negligible, 0) {
		return bad("theory.negligible", c.Theory.Negligible, "must be finite and >= 0 (reward per unit of the knob; 0 = no influence is negligible)")
	}
	if !slices.Contains([]string{"auto", "dense", "matrixfree"}, c.Theory.Solver) {
		return bad("theory.solver", c.Theory.Solver, "allowed: auto, dense, matrixfree")
	}
	if err := c.validateKnobModel(names); err != nil {
		return err
	}
	if s := c.Theory.Knob.Shift; s != 0 {
		i := slices.Index(c.modelNames(), c.Theory.Knob.Model)
		if i < 0 {
			return bad("theory.knob.shift", s, "needs theory.knob.model")
		}
		wt := []float64{c.Models[i].Mix.Real, 0}
		for _, v := range c.Models[i].Mix.Curated {
			wt[1] += v
		}
		if err := shiftCurated(wt, 0, s); err != nil {
			return bad("theory.knob.shift", s, "%v", err)
		}
	}
	return nil
}

// validateKnobModel checks that the knob model exists and has a curated
// share to scale: the knob moves mass from its real share to its curated
// block keeping the split over sources, which has no direction without
// curated data.
func (c Config) validateKnobModel(names map[string]bool) error {
	k := c.Theory.Knob.Model
	if k == "" {
		return nil
	}
	if !names[k] {
		return bad("theory.knob.model", k, "allowed: %s", strings.Join(c.modelNames(), ", "))
	}
	var ok []string
	for _, m := range c.Models {
		for _, v := range m.Mix.Curated {
			if v > 0 {
				ok = append(ok, m.Name)
				break
			}
		}
	}
	if slices.Contains(ok, k) {
		return nil
	}
	allowed := "none: no model trains on curated data"
	if len(ok) > 0 {
		allowed = strings.Join(ok, ", ")
	}
	return bad("theory.knob.model", k, "model %s has no curated data (mix.curated), so the knob (its curated share) has nothing to scale; allowed: %s", k, allowed)
}

func (d DataConfig) validate() error {
	switch d.Kind {
	case "planar":
		return d.Plane.validate(d.Heldout)
	case "categorical":
	default:
		return bad("data.kind", d.Kind, "allowed: categorical, planar")
	}
	if d.Contexts < 1 {
		return bad("data.contexts", d.Contexts, "must be >= 1")
	}
	if d.Tokens < 2 {
		return bad("data.tokens", d.Tokens, "must be >= 2")
	}
	if d.Heldout < 0 {
		return bad("data.heldout", d.Heldout, "must be >= 0")
	}
	switch d.Context {
	case "uniform":
	case "zipf":
		if !(d.ContextExponent >= 0) {
			return bad("data.context_exponent", d.ContextExponent, "must be >= 0")
		}
	case "weights":
		if len(d.ContextWeights) != d.Contexts {
			return bad("data.context_weights", d.ContextWeights, "want one weight per context (%d)", d.Contexts)
		}
		sum := 0.0
		for i, w := range d.ContextWeights {
			if !(w >= 0) || math.IsInf(w, 0) {
				return bad(fmt.Sprintf("data.context_weights.%d", i), w, "weights must be finite and >= 0")
			}
			sum += w
		}
		if !(sum > 0) {
			return bad("data.context_weights", d.ContextWeights, "need a positive sum")
		}
	default:
		return bad("data.context", d.Context, "allowed: uniform, zipf, weights")
	}
	switch d.Real {
	case "dirichlet":
		if !(d.Concentration > 0) {
			return bad("data.concentration", d.Concentration, "must be > 0 for a Dirichlet table")
		}
	case "zipf":
		if !(d.Exponent > 0) {
			return bad("data.exponent", d.Exponent, "must be > 0 for a Zipf table")
		}
	case "table":
		if err := fileExists("data.file", d.File); err != nil {
			return err
		}
	default:
		return bad("data.real", d.Real, "allowed: dirichlet, zipf, table")
	}
	return nil
}

func (p PlaneConfig) validate(heldout int) error {
	switch p.Shape {
	case "ring":
		switch {
		case p.Count < 1:
			return bad("data.plane.count", p.Count, "must be >= 1")
		case !(p.Radius >= 0):
			return bad("data.plane.radius", p.Radius, "must be >= 0")
		case !(p.Std > 0):
			return bad("data.plane.std", p.Std, "must be > 0")
		}
	case "grid":
		switch {
		case p.Rows < 1 || p.Cols < 1:
			return bad("data.plane.rows", fmt.Sprintf("%d x %d", p.Rows, p.Cols), "rows and cols must be >= 1")
		case !(p.Spacing > 0):
			return bad("data.plane.spacing", p.Spacing, "must be > 0")
		case !(p.Std > 0):
			return bad("data.plane.std", p.Std, "must be > 0")
		}
	case "moons":
		if !(p.Noise > 0) {
			return bad("data.plane.noise", p.Noise, "must be > 0")
		}
	default:
		return bad("data.plane.shape", p.Shape, "allowed: ring, grid, moons")
	}
	if len(p.Bounds) != 0 && (len(p.Bounds) != 4 || !(p.Bounds[0] < p.Bounds[1]) || !(p.Bounds[2] < p.Bounds[3])) {
		return bad("data.plane.bounds", p.Bounds, "want [xmin, xmax, ymin, ymax] with min < max, or nothing")
	}
	switch {
	case p.Resolution < 2:
		return bad("data.plane.resolution", p.Resolution, "must be >= 2")
	case p.PlotResolution < 2:
		return bad("data.plane.plot_resolution", p.PlotResolution, "must be >= 2")
	case p.Eval < 2:
		return bad("data.plane.eval", p.Eval, "must be >= 2")
	case p.Plotted < 0:
		return bad("data.plane.plotted", p.Plotted, "must be >= 0")
	case heldout < 2:
		return bad("data.heldout", heldout, "must be >= 2 for planar data")
	}
	return nil
}

func fileExists(key, path string) error {
	if path == "" {
		return bad(key, `""`, "a file is required")
	}
	if _, err := os.Stat(path); err != nil {
		return bad(key, path, "file not found")
	}
	return nil
}

func (c Config) validatePopulations() (map[string]bool, error) {
	if len(c.Populations) == 0 {
		return nil, bad("populations", "[]", "need at least one population")
	}
	pops := map[string]PopulationConfig{}
	for i, p := range c.Populations {
		key := fmt.Sprintf("populations.%d", i)
		if err := checkName(key+".name", p.Name); err != nil {
			return nil, err
		}
		if _, dup := pops[p.Name]; dup {
			return nil, bad(key+".name", p.Name, "population names must be unique")
		}
		pops[p.Name] = p
	}
	for i, p := range c.Populations {
		key := fmt.Sprintf("populations.%d", i)
		switch p.Reward {
		case "linear", "quadratic", "distance":
			if c.Data.Kind != "planar" {
				return nil, bad(key+".reward", p.Reward, "rewards on the plane need data.kind planar; allowed here: random, table, negate")
			}
			if _, err := curate.PlaneRewardOf(p.Reward, p.Weights, p.Point, p.Gamma, p.RMin); err != nil {
				return nil, bad(key, p.Reward, "%v", err)
			}
			if p.Gamma < 0 || p.RMin < 0 {
				return nil, bad(key+".gamma", p.Gamma, "gamma and r_min must be >= 0")
			}
		case "random", "table":
			if c.Data.Kind == "planar" {
				return nil, bad(key+".reward", p.Reward, "allowed on the plane: linear, quadratic, distance, negate")
			}
		}
		switch p.Reward {
		case "linear", "quadratic", "distance":
		case "random":
			if p.Scale < 0 || math.IsNaN(p.Scale) {
				return nil, bad(key+".scale", p.Scale, "must be >= 0")
			}
		case "table":
			if err := fileExists(key+".file", p.File); err != nil {
				return nil, err
			}
		case "negate":
			seen := map[string]bool{p.Name: true}
			for q := p; q.Reward == "negate"; {
				next, ok := pops[q.Of]
				if !ok {
					return nil, bad(key+".of", p.Of, "allowed: %s", strings.Join(c.populationNames(), ", "))
				}
				if seen[next.Name] {
					return nil, bad(key+".of", p.Of, "negations form a cycle")
				}
				seen[next.Name] = true
				q = next
			}
		default:
			return nil, bad(key+".reward", p.Reward, "allowed: random, table, negate (categorical); linear, quadratic, distance, negate (planar)")
		}
	}
	ok := map[string]bool{}
	for name := range pops {
		ok[name] = true
	}
	return ok, nil
}

func (r RewardModelConfig) validate() error {
	switch r.Use {
	case "true":
		return nil
	case "learned":
	default:
		return bad("reward_model.use", r.Use, "allowed: learned, true")
	}
	if err := validHidden("reward_model.hidden", r.Hidden); err != nil {
		return err
	}
	switch {
	case r.Batch < 1:
		return bad("reward_model.batch", r.Batch, "must be >= 1")
	case r.Steps < 1:
		return bad("reward_model.steps", r.Steps, "must be >= 1")
	case !(r.LR > 0):
		return bad("reward_model.lr", r.LR, "must be > 0")
	case r.LabelTemperature < 0:
		return bad("reward_model.label_temperature", r.LabelTemperature, "must be >= 0 (0 = always the better token)")
	case r.LabelNoise < 0 || r.LabelNoise > 0.5:
		return bad("reward_model.label_noise", r.LabelNoise, "must be in [0, 0.5]")
	case r.Pairs != "uniform" && r.Pairs != "real":
		return bad("reward_model.pairs", r.Pairs, "allowed: uniform, real")
	case r.Refit && r.RefitSteps < 1:
		return bad("reward_model.refit_steps", r.RefitSteps, "must be >= 1 when refit is on")
	case !(r.MinAgreement >= 0 && r.MinAgreement <= 1):
		return bad("reward_model.min_agreement", r.MinAgreement, "must be in [0, 1] (0.5 is chance; 0 turns the check off)")
	}
	return nil
}

// orDefault says, for a key given as 0, that leaving it out gives the default.
func orDefault[T int | float64](v, def T) string {
	if v != 0 {
		return ""
	}
	return fmt.Sprintf(" (0 is not \"unset\": leave the key out for the default, %v)", def)
}

func validHidden(key string, h []int) error {
	for i, w := range h {
		if w < 1 {
			return bad(fmt.Sprintf("%s.%d", key, i), w, "layer widths must be >= 1")
		}
	}
	return nil
}

func (m ModelConfig) validate(key string, models map[string]bool) error {
	if err := validHidden(key+".hidden", m.Hidden); err != nil {
		return err
	}
	d := ModelDefaults()
	switch {
	case m.N < 1:
		return bad(key+".n", m.N, "training samples per generation must be >= 1%s", orDefault(m.N, d.N))
	case m.Epochs < 1:
		return bad(key+".epochs", m.Epochs, "must be >= 1%s", orDefault(m.Epochs, d.Epochs))
	case m.Batch < 1:
		return bad(key+".batch", m.Batch, "must be >= 1%s", orDefault(m.Batch, d.Batch))
	case !(m.LR > 0):
		return bad(key+".lr", m.LR, "must be > 0%s", orDefault(m.LR, d.LR))
	case m.InitSteps < 0:
		return bad(key+".init_steps", m.InitSteps, "must be >= 0")
	}
	w := m.Mix
	if w.Real < 0 || math.IsNaN(w.Real) {
		return bad(key+".mix.real", w.Real, "shares must be >= 0")
	}
	sum := w.Real
	for _, part := range []struct {
		name string
		m    map[string]float64
	}{{"raw", w.Raw}, {"curated", w.Curated}} {
		for _, src := range sortedKeys(part.m) {
			v := part.m[src]
			k := fmt.Sprintf("%s.mix.%s.%s", key, part.name, src)
			if !models[src] {
				return bad(k, v, "unknown model %q", src)
			}
			if v < 0 || math.IsNaN(v) {
				return bad(k, v, "shares must be >= 0")
			}
			sum += v
		}
	}
	if math.Abs(sum-1) > 1e-9 {
		return bad(key+".mix", fmt.Sprintf("shares summing to %.6g", sum), "real + raw + curated shares must sum to 1")
	}
	return nil
}

// validateFlow checks a planar model: the flow's conditioners have two
// hidden layers of one width.
func (m ModelConfig) validateFlow(key string) error {
	switch {
	case len(m.Hidden) < 1 || len(m.Hidden) > 2 || len(m.Hidden) == 2 && m.Hidden[0] != m.Hidden[1]:
		return bad(key+".hidden", m.Hidden, "a flow's conditioners have two hidden layers of one width: give [H] or [H, H]")
	case m.Depth < 1:
		return bad(key+".depth", m.Depth, "must be >= 1")
	case !(m.MaxLogScale > 0):
		return bad(key+".max_log_scale", m.MaxLogScale, "must be > 0")
	}
	return nil
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
