package family

import "github.com/selfconsume/selfconsume/config"

// The rates of a run's estimate that families use in their part of it.
const (
	// SampleBytes is the memory of one data.Sample.
	SampleBytes = 24
	// EstimateFLOPS is the rate assumed for training arithmetic, one core:
	// below what the gemm kernels reach, for small layers' overheads.
	EstimateFLOPS = 2e9
)

// Cost is what a family brings to a run's estimate.
type Cost struct {
	Contexts, Cells float64 // the theory's support: contexts x cells
	RewardInputs    float64 // a reward model's input width
	// Model is one generator's parameters, activations, FLOPs of a training
	// step, and seconds per sampled (or curation candidate) output.
	Model func(m config.ModelConfig) (params, acts, stepFLOPs, perSample float64)
	// Files adds the family's own data and files to the estimate (through
	// add) and returns their seconds and the largest CSV it writes.
	Files func(add func(what string, bytes float64)) (secs float64, csvName string, csvBytes float64)
}

// DenseSizes returns the parameters and the activations (for `rows` rows) of
// a dense network in -> hidden... -> out.
func DenseSizes(in float64, hidden []int, out, rows float64) (params, acts float64) {
	prev := in
	for _, h := range hidden {
		params += prev*float64(h) + float64(h)
		acts += rows * float64(h)
		prev = float64(h)
	}
	params += prev*out + out
	acts += rows * out
	return params, acts
}
