package train

import "github.com/selfconsume/selfconsume/config"

// Validate checks cfg (config.Config.Validate) and then that the run fits
// the machine and the stated limits (EstimateRun): every run starts with it.
func Validate(cfg config.Config) error {
	if err := cfg.Validate(); err != nil {
		return err
	}
	return EstimateRun(cfg).check()
}
