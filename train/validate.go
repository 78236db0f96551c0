package train

import "github.com/selfconsume/selfconsume/config"

// Validate checks cfg as a run needs it: every key (CheckConfig), then that
// the run fits the machine and the stated limits (EstimateRun). Every run
// starts with it.
func Validate(cfg config.Config) error {
	if err := CheckConfig(cfg); err != nil {
		return err
	}
	return EstimateRun(cfg).check()
}

// CheckConfig checks every key of cfg: the keys all families share
// (config.Config.Validate), then data.kind and the keys only that family
// reads (its validate).
func CheckConfig(cfg config.Config) error {
	if err := cfg.Validate(); err != nil {
		return err
	}
	k, err := kindOf(cfg)
	if err != nil {
		return err
	}
	return k.Validate(cfg)
}
