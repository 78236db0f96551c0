package config

import (
	"fmt"
	"regexp"
	"strconv"
)

// Bound is the largest value a config key takes (for a list, Count: the
// most items). Key paths give list items as *.
type Bound struct {
	Key   string
	Max   float64
	Count bool // Max bounds the number of items of the list at Key
	Why   string
}

// Bounds are the upper limits of every size, count and rate in a config,
// the one place they are stated (README's bounds table copies it). They are
// generous for research runs and far below what exhausts a machine; within
// them, the run's memory and time estimate (train.EstimateRun) still refuses a
// combination that cannot fit.
var Bounds = []Bound{
	{Key: "generations", Max: 100_000, Why: "generations"},
	{Key: "workers", Max: 1024, Why: "models trained at once"},
	{Key: "data.contexts", Max: 10_000, Why: "contexts; the generator's input is a contexts x contexts one-hot matrix"},
	{Key: "data.tokens", Max: 100_000, Why: "tokens"},
	{Key: "data.contexts*tokens", Max: 10_000_000, Why: "cells of a contexts x tokens table (80 MB each)"},
	{Key: "data.heldout", Max: 10_000_000, Why: "held-out samples"},
	{Key: "data.context_weights", Max: 10_000, Count: true, Why: "one weight per context"},
	{Key: "data.plane.count", Max: 1000, Why: "Gaussians on the ring"},
	{Key: "data.plane.rows", Max: 100, Why: "grid rows"},
	{Key: "data.plane.cols", Max: 100, Why: "grid columns"},
	{Key: "data.plane.resolution", Max: 256, Why: "theory grid cells per side"},
	{Key: "data.plane.plot_resolution", Max: 1024, Why: "density.csv cells per side"},
	{Key: "data.plane.eval", Max: 10_000_000, Why: "Monte Carlo samples"},
	{Key: "data.plane.plotted", Max: 1_000_000, Why: "plotted samples per model and generation"},
	{Key: "data.sequence.length", Max: 16, Why: "tokens per sequence"},
	{Key: "data.tokens^length", Max: 65_536, Why: "sequences per prompt, each a cell of the theory's tables"},
	{Key: "data.sequence.distinct", Max: 1_000_000, Why: "sequences per distinct-n sample"},
	{Key: "populations.*.features", Max: 64, Count: true, Why: "features of a sequence reward"},
	{Key: "populations", Max: 64, Count: true, Why: "populations"},
	{Key: "reward_model.hidden", Max: 16, Count: true, Why: "hidden layers"},
	{Key: "reward_model.hidden.*", Max: 4096, Why: "layer width"},
	{Key: "reward_model.batch", Max: 1_000_000, Why: "pairs per step"},
	{Key: "reward_model.steps", Max: 10_000_000, Why: "Adam steps"},
	{Key: "reward_model.refit_steps", Max: 10_000_000, Why: "Adam steps"},
	{Key: "reward_model.lr", Max: 1, Why: "learning rate"},
	{Key: "curation.k", Max: 1024, Why: "candidates per kept sample"},
	{Key: "curation.pool", Max: 100_000_000, Why: "curated samples per model and generation"},
	{Key: "models", Max: 64, Count: true, Why: "models"},
	{Key: "models.*.hidden", Max: 16, Count: true, Why: "hidden layers"},
	{Key: "models.*.hidden.*", Max: 4096, Why: "layer width"},
	{Key: "models.*.n", Max: 100_000_000, Why: "training samples per generation"},
	{Key: "models.*.epochs", Max: 100_000, Why: "epochs per generation"},
	{Key: "models.*.batch", Max: 1_000_000, Why: "samples per step"},
	{Key: "models.*.lr", Max: 1, Why: "learning rate"},
	{Key: "models.*.init_steps", Max: 10_000_000, Why: "Adam steps"},
	{Key: "models.*.depth", Max: 64, Why: "couplings of the flow"},
	{Key: "models.*.max_log_scale", Max: 20, Why: "log-scale bound of a coupling"},
	{Key: "models.*.window", Max: 16, Why: "previous tokens a sequence generator sees"},
}

// DefaultMinAgreement is reward_model.min_agreement's default. Chance is
// 0.5; the shipped configs' reward models reach 0.89 to 0.98, and 30 Adam
// steps instead of 300 still reach 0.66 on the quickstart, so 0.6 stops
// only a fit that failed (a diverged learning rate gives 0).
const DefaultMinAgreement = 0.6

var indexSeg = regexp.MustCompile(`\.[0-9]+(\.|$)`)

// boundOf returns the bound on the value at path (list items by index).
func boundOf(path string) (Bound, bool) {
	return findBound(pattern(path), false)
}

func pattern(path string) string {
	for {
		p := indexSeg.ReplaceAllString(path, ".*$1")
		if p == path {
			return p
		}
		path = p
	}
}

func findBound(key string, count bool) (Bound, bool) {
	for _, b := range Bounds {
		if b.Key == key && b.Count == count {
			return b, true
		}
	}
	return Bound{}, false
}

func fmtBound(v float64) string {
	if v == float64(int64(v)) {
		return strconv.FormatInt(int64(v), 10)
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// checkBounds refuses the first value above its bound, naming the key, the
// value and the bound.
func (c Config) checkBounds() error {
	tree, err := toTree(c)
	if err != nil {
		return err
	}
	var first error
	var walk func(node any, path string)
	walk = func(node any, path string) {
		if first != nil {
			return
		}
		switch n := node.(type) {
		case map[string]any:
			for _, k := range sortedKeys(n) {
				walk(n[k], join(path, k))
			}
		case []any:
			if b, ok := findBound(pattern(path), true); ok && float64(len(n)) > b.Max {
				first = bad(path, fmt.Sprintf("%d items", len(n)), "at most %s %s", fmtBound(b.Max), b.Why)
				return
			}
			for i, v := range n {
				walk(v, join(path, strconv.Itoa(i)))
			}
		case int, float64:
			b, ok := boundOf(path)
			if !ok {
				return
			}
			var v float64
			if i, isInt := n.(int); isInt {
				v = float64(i)
			} else {
				v = n.(float64)
			}
			if v > b.Max {
				first = bad(path, n, "must be <= %s (bound on %s)", fmtBound(b.Max), b.Why)
			}
		}
	}
	walk(tree, "")
	if first != nil {
		return first
	}
	return nil
}

// CheckBound returns the error for key's value when v, a quantity derived
// from it (how, detail says), exceeds the bound of Bounds named pattern; nil
// when within it. Families check their derived sizes with it (e.g. the
// categorical family's data.contexts*tokens).
func CheckBound(pattern, key string, value any, v float64, detail string) error {
	b, ok := findBound(pattern, false)
	if !ok || v <= b.Max {
		return nil
	}
	return bad(key, value, "%s: must be <= %s (bound on %s)", detail, fmtBound(b.Max), b.Why)
}
