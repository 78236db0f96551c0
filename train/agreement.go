package train

import (
	"fmt"

	"github.com/selfconsume/selfconsume/config"
)

// checkAgreement refuses a learned reward model whose pair agreement is
// below reward_model.min_agreement: a curator that orders pairs near chance
// (or, diverged, not at all) would make the run meaningless.
func checkAgreement(cfg config.Config, stats []RewardModelStats) error {
	floor := cfg.RewardModel.MinAgreement
	for _, s := range stats {
		if !(s.PairAgreement >= floor) {
			return fmt.Errorf("the reward model of population %s orders %.3f of pairs like the truth, below reward_model.min_agreement = %g (0.5 is chance): "+
				"train it longer (reward_model.steps), lower reward_model.lr, or lower the floor", s.Population, s.PairAgreement, floor)
		}
	}
	return nil
}
