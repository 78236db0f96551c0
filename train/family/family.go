package family

import (
	"context"
	"encoding/csv"
	"math/rand/v2"

	"github.com/selfconsume/selfconsume/curate"
	"github.com/selfconsume/selfconsume/data"
	"github.com/selfconsume/selfconsume/models"
)

// Trainable is a generative model the loop retrains.
type Trainable interface {
	// FitContext and FitStepsContext train for epochs or steps and stop with
	// ctx's error, within a few steps, once ctx is cancelled.
	FitContext(ctx context.Context, set data.Set, epochs, batch int, rng *rand.Rand) (models.FitStats, error)
	FitStepsContext(ctx context.Context, set data.Set, steps, batch int, rng *rand.Rand) (models.FitStats, error)
	Reinit(rng *rand.Rand)
	ResetOptimizer()
	Params() []float64
	SetParams([]float64) error
	Close()
}

// A Family is what one kind of model (categorical tables; 2-D densities)
// brings to the generation loop, which owns everything else: streams,
// mixing, regimes, parallelism, timing, checkpoints. S is the family's
// snapshot of one model: its distribution as it stood after a training
// phase, what the next generation samples from and what the metrics
// measure (categorical: the table and its sampler; planar: the flow, its
// evaluation samples and its grid table). The loop never looks inside a
// snapshot; it hands it back to the family.
//
// The family is the sum of small parts, each one job of the loop's.
type Family[S any] interface {
	Generators
	Sampler[S]
	Curators[S]
	Snapshots[S]
	Recorder[S]
	Checkpointer[S]
	// Outcome is what a finished run reports of the family.
	Outcome() Outcome
	Close()
}

// Generators are the family's trainable models, one per config model.
type Generators interface {
	Models() []Trainable
	// StepFLOPs is the FLOP count of one training step of model i on a batch.
	StepFLOPs(i, batch int) float64
}

// Sampler draws the parts of a training mixture.
type Sampler[S any] interface {
	// Real draws n untagged real samples.
	Real(rng *rand.Rand, n int) data.Set
	// Draw samples n raw outputs of a model's snapshot.
	Draw(s S, rng *rand.Rand, n int) data.Set
	// Curate draws n outputs of model j's snapshot kept by its population's
	// curator from K candidates each.
	Curate(j int, s S, rng *rand.Rand, n int) (data.Set, curate.ChoiceStats)
}

// Curators are the populations' reward models.
type Curators[S any] interface {
	// FitCurators learns every population's reward model before generation 0.
	FitCurators(ctx context.Context) error
	// RefitCurators refits the reward models at the start of generation t on
	// pairs that include answers of the models as they stand.
	RefitCurators(ctx context.Context, t int, ss []S) error
}

// Snapshots freeze and measure the models.
type Snapshots[S any] interface {
	// FreezeAll captures every model at the end of generation t (the family
	// may keep it as history).
	FreezeAll(t int) []S
	// Measure adds model i's family-specific metrics at generation t; prev
	// is the model's snapshot at t-1, the zero S at generation 0.
	Measure(t, i int, s, prev S, set data.Set, add func(metric string, v float64))
}

// Recorder writes the family's files of the run folder.
type Recorder[S any] interface {
	// Records are the CSV files the family appends to every generation.
	Records() []RecordFile
	// Record appends generation t's per-model detail (tables, samples), one
	// writer per entry of Records.
	Record(t int, ss []S, ws []*csv.Writer)
	// Summaries are files written once, after the curators are fitted.
	Summaries() map[string][]byte
}

// Checkpointer carries the family's part of a checkpoint.
type Checkpointer[S any] interface {
	State() ([]byte, error)
	// Restore is called after the models' parameters are set and returns
	// the snapshots of the checkpoint's generation.
	Restore(b []byte) ([]S, error)
}

// RecordFile is a CSV the family appends to every generation.
type RecordFile struct {
	Name   string
	Header []string
}

// Outcome is what a finished run reports of its family.
type Outcome struct {
	World       *World
	RewardStats []RewardModelStats
	Tables      [][]*data.Table // [generation][model], on the world's support
}

// Predictable is a family whose loop the analytic map of train/theory
// describes: on its finite support (categorical), or on a grid (planar).
type Predictable interface {
	// Start is where the prediction starts: the world with the curators
	// as fitted before generation 0 (refitting changes them later) and
	// generation 0's tables on its support.
	Start() (*World, []*data.Table)
	// World is the finite-support world of the prediction.
	World() *World
	// TableAt is model i's table on that support at generation t.
	TableAt(t, i int) *data.Table
	// Empirical is the law of a training set on the support and its context
	// frequencies, when the family's samples live on it (ok false: they do
	// not, as a flow's points do not).
	Empirical(set data.Set) (law *data.Table, contexts []float64, ok bool)
}
