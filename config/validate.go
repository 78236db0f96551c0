package config

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// Validate checks the whole config before any work is done: bounds first,
// so that nothing later computes with an absurd size, then every key's
// value and the keys' agreement (names, mixtures, the knob). Whether the
// run fits the machine is the run's own check (train.Validate).
func (c Config) Validate() error {
	if err := c.checkBounds(); err != nil {
		return err
	}
	return c.validateRest()
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
	if err := caseDuplicate("models", c.modelNames()); err != nil {
		return err
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
		if err := ShiftCurated(wt, 0, s); err != nil {
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
