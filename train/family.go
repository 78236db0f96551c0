package train

import (
	"context"
	"encoding/csv"
	"math/rand/v2"

	"github.com/selfconsume/selfconsume/curate"
	"github.com/selfconsume/selfconsume/data"
	"github.com/selfconsume/selfconsume/models"
)

// trainable is a generative model the loop retrains.
type trainable interface {
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

// frozen is one model's distribution as it stood after a training phase:
// what the next generation samples from and what the metrics measure.
type frozen any

// recordFile is a CSV the family appends to every generation.
type recordFile struct {
	name   string
	header []string
}

// predictable is a family whose loop the analytic map of train/theory
// describes: on its finite support (categorical), or on a grid (planar).
type predictable interface {
	// prediction runs the map from generation 0's tables.
	prediction(ctx context.Context) (*Prediction, error)
	// world is the finite-support world of the prediction.
	world() *World
	// tableAt is model i's table on that support at generation t.
	tableAt(t, i int) *data.Table
}

// family is what one kind of model (categorical tables; 2-D densities)
// brings to the generation loop, which owns everything else: streams,
// mixing, regimes, parallelism, timing, checkpoints.
type family interface {
	// models returns one trainable model per config model.
	models() []trainable
	// fitCurators learns every population's reward model before generation 0.
	fitCurators(ctx context.Context) error
	// refitCurators refits the reward models at the start of generation t on
	// pairs that include answers of the models as they stand.
	refitCurators(ctx context.Context, t int, fr []frozen) error
	// real draws n untagged real samples.
	real(rng *rand.Rand, n int) data.Set
	// freezeAll captures every model's distribution at the end of
	// generation t (the family may keep it as history).
	freezeAll(t int) []frozen
	// draw samples n raw outputs of a frozen model.
	draw(f frozen, rng *rand.Rand, n int) data.Set
	// curate draws n outputs of frozen model j kept by its population's
	// curator from K candidates each.
	curate(j int, f frozen, rng *rand.Rand, n int) (data.Set, curate.ChoiceStats)
	// measure adds model i's family-specific metrics at generation t (prev is
	// nil at generation 0).
	measure(t, i int, f, prev frozen, set data.Set, add func(metric string, v float64))
	// stepFLOPs is the FLOP count of one training step of model i on a batch.
	stepFLOPs(i, batch int) float64
	// record appends generation t's per-model detail (tables, samples) to the
	// family's CSV files, one writer per entry of records.
	record(t int, fr []frozen, ws []*csv.Writer)
	records() []recordFile
	// summaries are files written once, after the curators are fitted.
	summaries() map[string][]byte
	// state and restore carry the family's part of a checkpoint; restore is
	// called after the models' parameters are set and returns the frozen
	// models of the checkpoint's generation.
	state() ([]byte, error)
	restore(b []byte) ([]frozen, error)
	close()
}
