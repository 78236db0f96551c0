package config

import (
	"fmt"
	"math"
)

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
