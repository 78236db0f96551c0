package data

import "math/rand/v2"

// Purpose names what a random stream is used for, so that every consumer of
// randomness draws from its own stream and results do not depend on the order
// in which goroutines run.
type Purpose uint64

// The purposes of the random streams of a run.
const (
	PurposeRealData Purpose = iota + 1
	PurposeInit
	PurposeRealSample
	PurposeRawSample
	PurposeCurate
	PurposeMix
	PurposeTrain
	PurposeLabels
	PurposeRewardModel
	PurposeEval
	PurposeReward
)

// Stream returns a generator determined by the seed, the purpose and any
// further indices (model, generation, ...). Different arguments give
// independent-looking streams; the same arguments give the same stream.
func Stream(seed uint64, p Purpose, idx ...int) *rand.Rand {
	h := mix64(seed ^ 0x9e3779b97f4a7c15)
	h = mix64(h ^ uint64(p))
	for _, i := range idx {
		h = mix64(h ^ uint64(int64(i)) ^ 0xbf58476d1ce4e5b9)
	}
	return rand.New(rand.NewPCG(seed, h))
}

// mix64 is the splitmix64 finaliser.
func mix64(z uint64) uint64 {
	z += 0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}
