package train

import "github.com/selfconsume/selfconsume/train/family"

// World is what an experiment is run against (family.World): the real
// distribution, the populations' true rewards and curators, the mixtures.
type World = family.World

// RewardModelStats describes how well a learned reward model matches its
// population's true reward (family.RewardModelStats).
type RewardModelStats = family.RewardModelStats
