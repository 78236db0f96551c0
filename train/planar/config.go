package planar

import (
	"fmt"

	"github.com/selfconsume/selfconsume/config"
	"github.com/selfconsume/selfconsume/curate"
)

// validatePlanar checks the keys only the planar family reads: the plane
// (data.plane), the rewards on it (linear, quadratic, distance) and the
// flows' own model keys.
func validatePlanar(c config.Config) error {
	if c.Data.Plane == nil {
		return config.Invalid("data.plane", "nothing", "data.kind planar needs its section (config.Parse fills its defaults)")
	}
	if err := validatePlane(*c.Data.Plane, c.Data.Heldout); err != nil {
		return err
	}
	for i, p := range c.Populations {
		key := fmt.Sprintf("populations.%d", i)
		switch p.Reward {
		case "negate":
		case "linear", "quadratic", "distance":
			if _, err := curate.PlaneRewardOf(p.Reward, p.Weights, p.Point, p.Gamma, p.RMin); err != nil {
				return config.Invalid(key, p.Reward, "%v", err)
			}
			if p.Gamma < 0 || p.RMin < 0 {
				return config.Invalid(key+".gamma", p.Gamma, "gamma and r_min must be >= 0")
			}
		default:
			return config.Invalid(key+".reward", p.Reward, "allowed on the plane: linear, quadratic, distance, negate")
		}
	}
	for i, m := range c.Models {
		if err := validateFlow(m, fmt.Sprintf("models.%d", i)); err != nil {
			return err
		}
	}
	return nil
}

// validatePlane checks the plane's shape and grids.
func validatePlane(p config.PlaneConfig, heldout int) error {
	switch p.Shape {
	case "ring":
		switch {
		case p.Count < 1:
			return config.Invalid("data.plane.count", p.Count, "must be >= 1")
		case !(p.Radius >= 0):
			return config.Invalid("data.plane.radius", p.Radius, "must be >= 0")
		case !(p.Std > 0):
			return config.Invalid("data.plane.std", p.Std, "must be > 0")
		}
	case "grid":
		switch {
		case p.Rows < 1 || p.Cols < 1:
			return config.Invalid("data.plane.rows", fmt.Sprintf("%d x %d", p.Rows, p.Cols), "rows and cols must be >= 1")
		case !(p.Spacing > 0):
			return config.Invalid("data.plane.spacing", p.Spacing, "must be > 0")
		case !(p.Std > 0):
			return config.Invalid("data.plane.std", p.Std, "must be > 0")
		}
	case "moons":
		if !(p.Noise > 0) {
			return config.Invalid("data.plane.noise", p.Noise, "must be > 0")
		}
	default:
		return config.Invalid("data.plane.shape", p.Shape, "allowed: ring, grid, moons")
	}
	if len(p.Bounds) != 0 && (len(p.Bounds) != 4 || !(p.Bounds[0] < p.Bounds[1]) || !(p.Bounds[2] < p.Bounds[3])) {
		return config.Invalid("data.plane.bounds", p.Bounds, "want [xmin, xmax, ymin, ymax] with min < max, or nothing")
	}
	switch {
	case p.Resolution < 2:
		return config.Invalid("data.plane.resolution", p.Resolution, "must be >= 2")
	case p.PlotResolution < 2:
		return config.Invalid("data.plane.plot_resolution", p.PlotResolution, "must be >= 2")
	case p.Eval < 2:
		return config.Invalid("data.plane.eval", p.Eval, "must be >= 2")
	case p.Plotted < 0:
		return config.Invalid("data.plane.plotted", p.Plotted, "must be >= 0")
	case heldout < 2:
		return config.Invalid("data.heldout", heldout, "must be >= 2 for planar data")
	}
	return nil
}

// validateFlow checks a planar model: the flow's conditioners have two
// hidden layers of one width.
func validateFlow(m config.ModelConfig, key string) error {
	switch {
	case len(m.Hidden) < 1 || len(m.Hidden) > 2 || len(m.Hidden) == 2 && m.Hidden[0] != m.Hidden[1]:
		return config.Invalid(key+".hidden", m.Hidden, "a flow's conditioners have two hidden layers of one width: give [H] or [H, H]")
	case m.Depth < 1:
		return config.Invalid(key+".depth", m.Depth, "must be >= 1")
	case !(m.MaxLogScale > 0):
		return config.Invalid(key+".max_log_scale", m.MaxLogScale, "must be > 0")
	}
	return nil
}
