package config

import (
	"fmt"
	"math"
	"os"
)

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
