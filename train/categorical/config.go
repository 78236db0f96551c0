package categorical

import (
	"fmt"
	"math"

	"github.com/selfconsume/selfconsume/config"
)

// Validate checks the keys only the categorical family reads:
// the table's size (data.contexts*tokens, bounded), the real table and the
// context law, and the populations' rewards (random, table).
func Validate(c config.Config) error {
	cells := float64(c.Data.Contexts) * float64(c.Data.Tokens)
	if err := config.CheckBound("data.contexts*tokens", "data.contexts", c.Data.Contexts, cells,
		fmt.Sprintf("with data.tokens = %d, %.4g cells", c.Data.Tokens, cells)); err != nil {
		return err
	}
	if err := validateCategoricalData(c.Data); err != nil {
		return err
	}
	for i, p := range c.Populations {
		key := fmt.Sprintf("populations.%d", i)
		switch p.Reward {
		case "negate":
		case "random", "table":
			if err := ValidateTableReward(p, key); err != nil {
				return err
			}
		case "linear", "quadratic", "distance":
			return config.Invalid(key+".reward", p.Reward, "rewards on the plane need data.kind planar; allowed here: random, table, negate")
		default:
			return config.Invalid(key+".reward", p.Reward, "allowed: random, table, negate")
		}
	}
	return nil
}

// ValidateTableReward checks a reward given as a contexts x cells table,
// which the categorical and sequence families share: random (its scale)
// or read from a file.
func ValidateTableReward(p config.PopulationConfig, key string) error {
	if p.Reward == "table" {
		return config.FileExists(key+".file", p.File)
	}
	if p.Scale < 0 || math.IsNaN(p.Scale) {
		return config.Invalid(key+".scale", p.Scale, "must be >= 0")
	}
	return nil
}

// validateCategoricalData checks the real table and the context law.
func validateCategoricalData(d config.DataConfig) error {
	if d.Contexts < 1 {
		return config.Invalid("data.contexts", d.Contexts, "must be >= 1")
	}
	if d.Tokens < 2 {
		return config.Invalid("data.tokens", d.Tokens, "must be >= 2")
	}
	if err := ValidateContextLaw(d); err != nil {
		return err
	}
	switch d.Real {
	case "dirichlet":
		if !(d.Concentration > 0) {
			return config.Invalid("data.concentration", d.Concentration, "must be > 0 for a Dirichlet table")
		}
	case "zipf":
		if !(d.Exponent > 0) {
			return config.Invalid("data.exponent", d.Exponent, "must be > 0 for a Zipf table")
		}
	case "table":
		if err := config.FileExists("data.file", d.File); err != nil {
			return err
		}
	default:
		return config.Invalid("data.real", d.Real, "allowed: dirichlet, zipf, table")
	}
	return nil
}

// ValidateContextLaw checks the law the contexts are drawn from.
func ValidateContextLaw(d config.DataConfig) error {
	switch d.Context {
	case "uniform":
	case "zipf":
		if !(d.ContextExponent >= 0) {
			return config.Invalid("data.context_exponent", d.ContextExponent, "must be >= 0")
		}
	case "weights":
		if len(d.ContextWeights) != d.Contexts {
			return config.Invalid("data.context_weights", d.ContextWeights, "want one weight per context (%d)", d.Contexts)
		}
		sum := 0.0
		for i, w := range d.ContextWeights {
			if !(w >= 0) || math.IsInf(w, 0) {
				return config.Invalid(fmt.Sprintf("data.context_weights.%d", i), w, "weights must be finite and >= 0")
			}
			sum += w
		}
		if !(sum > 0) {
			return config.Invalid("data.context_weights", d.ContextWeights, "need a positive sum")
		}
	default:
		return config.Invalid("data.context", d.Context, "allowed: uniform, zipf, weights")
	}
	return nil
}
