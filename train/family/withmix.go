package family

import "github.com/selfconsume/selfconsume/config"

// WithMix returns a copy of w whose curating populations, mixture weights
// and sample counts are cfg's (knob shift included), everything else (real
// table, rewards, curators, held-out set) shared with w. It is how a regime
// map re-uses one fitted world for every mixture of its grid; cfg must have
// w's models and populations, in the same order.
func (w *World) WithMix(cfg config.Config) (*World, error) {
	out := *w
	out.PopIndex, out.Counts, out.Weights = nil, nil, nil
	if err := out.SetMix(cfg); err != nil {
		return nil, err
	}
	return &out, nil
}
