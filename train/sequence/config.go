package sequence

import (
	"fmt"
	"math"

	"github.com/selfconsume/selfconsume/config"
	"github.com/selfconsume/selfconsume/train/categorical"
)

// Validate checks the keys only the sequence family reads: the
// prompts, vocabulary and length (V^L and C*V^L bounded, for the theory
// enumerates them), the real source, the reward models' features, the
// populations' rewards on sequences and the models' windows.
func Validate(c config.Config) error {
	if c.Data.Sequence == nil {
		return config.Invalid("data.sequence", "nothing", "data.kind sequence needs its section (config.Parse fills its defaults)")
	}
	d, sq := c.Data, c.Data.Sequence
	switch {
	case d.Contexts < 1:
		return config.Invalid("data.contexts", d.Contexts, "must be >= 1 (the prompts)")
	case d.Tokens < 2:
		return config.Invalid("data.tokens", d.Tokens, "must be >= 2 (the vocabulary)")
	case sq.Length < 1:
		return config.Invalid("data.sequence.length", sq.Length, "must be >= 1")
	}
	per := math.Pow(float64(d.Tokens), float64(sq.Length))
	detail := fmt.Sprintf("with data.tokens = %d, %.4g sequences per prompt", d.Tokens, per)
	if err := config.CheckBound("data.tokens^length", "data.sequence.length", sq.Length, per, detail); err != nil {
		return err
	}
	if err := config.CheckBound("data.contexts*tokens", "data.contexts", d.Contexts, float64(d.Contexts)*per, detail); err != nil {
		return err
	}
	if err := categorical.ValidateContextLaw(d); err != nil {
		return err
	}
	switch sq.Source {
	case "markov":
		if sq.Successors < 1 || sq.Successors > d.Tokens {
			return config.Invalid("data.sequence.successors", sq.Successors, "want 1 to data.tokens (%d)", d.Tokens)
		}
		if !(sq.Concentration > 0) || math.IsInf(sq.Concentration, 0) {
			return config.Invalid("data.sequence.concentration", sq.Concentration, "must be > 0")
		}
	case "file":
		if err := config.FileExists("data.sequence.file", sq.File); err != nil {
			return err
		}
	default:
		return config.Invalid("data.sequence.source", sq.Source, "allowed: markov, file")
	}
	switch sq.Features {
	case "positions", "bag":
	default:
		return config.Invalid("data.sequence.features", sq.Features, "allowed: positions, bag")
	}
	if sq.Distinct < 1 {
		return config.Invalid("data.sequence.distinct", sq.Distinct, "must be >= 1")
	}
	for i, p := range c.Populations {
		if err := validateSequenceReward(p, fmt.Sprintf("populations.%d", i), d.Tokens, sq.Length); err != nil {
			return err
		}
	}
	for i, m := range c.Models {
		key := fmt.Sprintf("models.%d.window", i)
		if m.Window == nil {
			return config.Invalid(key, "nothing", "a sequence generator needs its window (config.Parse fills its default)")
		}
		if *m.Window < 0 {
			return config.Invalid(key, *m.Window, "must be >= 0")
		}
	}
	return nil
}

// validateSequenceReward checks one population's reward on sequences.
func validateSequenceReward(p config.PopulationConfig, key string, V, L int) error {
	switch p.Reward {
	case "negate":
	case "random", "table":
		return categorical.ValidateTableReward(p, key)
	case "features":
		if len(p.Features) == 0 {
			return config.Invalid(key+".features", "[]", "list the reward's features")
		}
		for k, f := range p.Features {
			fk := fmt.Sprintf("%s.features.%d", key, k)
			if math.IsNaN(f.Weight) || math.IsInf(f.Weight, 0) {
				return config.Invalid(fk+".weight", f.Weight, "must be finite")
			}
			token := func() error {
				if f.Token < 0 || f.Token >= V {
					return config.Invalid(fk+".token", f.Token, "want a token in 0..%d", V-1)
				}
				return nil
			}
			switch f.Kind {
			case "at":
				if f.Position < 0 || f.Position >= L {
					return config.Invalid(fk+".position", f.Position, "want a position in 0..%d", L-1)
				}
				if err := token(); err != nil {
					return err
				}
			case "ends_with", "count", "stop":
				if err := token(); err != nil {
					return err
				}
			case "motif":
				if len(f.Motif) < 1 || len(f.Motif) > L {
					return config.Invalid(fk+".motif", f.Motif, "want 1 to %d tokens", L)
				}
				for _, y := range f.Motif {
					if y < 0 || y >= V {
						return config.Invalid(fk+".motif", f.Motif, "tokens are 0..%d", V-1)
					}
				}
			default:
				return config.Invalid(fk+".kind", f.Kind, "allowed: at, motif, ends_with, count, stop")
			}
		}
	default:
		return config.Invalid(key+".reward", p.Reward, "allowed on sequences: random, features, table, negate")
	}
	return nil
}
