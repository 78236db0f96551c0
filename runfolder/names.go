package runfolder

import (
	"path/filepath"
	"strconv"
)

// The files of a run folder.
const (
	// ConfigFile is config.yaml: the resolved config the run used, every
	// key written out (defaults included).
	ConfigFile = "config.yaml"
	// MetricsFile is metrics.csv: the measured metrics, one tidy row per
	// generation, model and metric (MetricsColumns), appended generation by
	// generation.
	MetricsFile = "metrics.csv"
	// TablesFile is tables.csv (categorical data): every model's conditional
	// table p(token|context) at every generation (TablesColumns).
	TablesFile = "tables.csv"
	// RewardModelsFile is reward_models.csv: how well each population's
	// learned reward model fits its true reward (RewardModelsColumns).
	RewardModelsFile = "reward_models.csv"
	// SamplesFile is samples.csv (planar data): the plotted samples of every
	// model at every generation (SamplesColumns).
	SamplesFile = "samples.csv"
	// DensityFile is density.csv (planar data): every model's density on the
	// plot grid at every generation (DensityColumns).
	DensityFile = "density.csv"
	// ModesFile is modes.csv (planar data): the real mixture's modes
	// (ModesColumns).
	ModesFile = "modes.csv"
	// RewardGridFile is reward_grid.csv (planar data): each population's true
	// reward on the plot grid (RewardGridColumns).
	RewardGridFile = "reward_grid.csv"
	// SequencesFile is sequences.csv (sequence data): the tokens of every
	// sequence index, the token column of tables.csv and the world files
	// (SequencesColumns).
	SequencesFile = "sequences.csv"

	// PredictionFile is prediction.csv: the predicted trajectory, the seeds'
	// mean, in metrics.csv's columns (MetricsColumns).
	PredictionFile = "prediction.csv"
	// PredictionTablesFile is prediction_tables.csv: the predicted fixed
	// point of every model, generation -1, in tables.csv's columns.
	PredictionTablesFile = "prediction_tables.csv"
	// TheoryFile is theory.json: the prediction's headline numbers
	// (spectral radius, generations to tolerance, fixed point, contraction,
	// influence).
	TheoryFile = "theory.json"

	// WorldRealFile is world_real.csv: the real table (WorldRealColumns),
	// written once after generation 0 with the other world files: what the
	// analytic map needs that config.yaml does not hold.
	WorldRealFile = "world_real.csv"
	// WorldContextFile is world_context.csv: the context weights
	// (WorldContextColumns).
	WorldContextFile = "world_context.csv"
	// WorldRewardsFile is world_rewards.csv: the true rewards and the learned
	// curators (WorldRewardsColumns).
	WorldRewardsFile = "world_rewards.csv"
	// WorldGridFile is world_grid.csv (planar data): the theory grid's cells,
	// token = iy*resolution + ix (WorldGridColumns).
	WorldGridFile = "world_grid.csv"
	// WorldStartFile is world_start.csv (planar data): the generation-0 grid
	// tables the prediction starts from, in tables.csv's columns.
	WorldStartFile = "world_start.csv"

	// CheckpointsDir is the folder of the checkpoint.
	CheckpointsDir = "checkpoints"
	// CheckpointFile is checkpoints/state.gob: the loop's state after the
	// last finished generation and the CSV offsets it matches; --resume
	// continues from it.
	CheckpointFile = CheckpointsDir + "/state.gob"
	// LockFile is the advisory lock file of a run folder (and, as
	// cells/.NAME.lock, of a sweep cell): held for the life of the process
	// that writes the folder, with that process's PID in it.
	LockFile = ".lock"

	// ComparisonFile is comparison.csv (comparison folder): the empirical
	// loop against the prediction over the seeds (ComparisonColumns).
	ComparisonFile = "comparison.csv"
	// InfluenceFile is influence.csv (comparison folder): the measured
	// against the predicted influence of the knob (InfluenceColumns).
	InfluenceFile = "influence.csv"
	// SeedsDir is seeds/ (comparison folder): seeds/seed-N/metrics.csv holds
	// the metrics of seed N (SeedDir).
	SeedsDir = "seeds"

	// ReportFile is report.md, written by selfconsume report.
	ReportFile = "report.md"
	// PlotsDir is plots/, the report's figures.
	PlotsDir = "plots"
)

// SeedDir is the folder of one seed's files in a comparison folder:
// seeds/seed-N.
func SeedDir(dir string, seed uint64) string {
	return filepath.Join(dir, SeedsDir, "seed-"+strconv.FormatUint(seed, 10))
}

// The files of a sweep folder.
const (
	// SpecFile is sweep.yaml: the resolved sweep spec (base config, grid,
	// seeds, Slurm options).
	SpecFile = "sweep.yaml"
	// CellsFile is cells.csv: index, name, one column per swept key, seed.
	CellsFile = "cells.csv"
	// CellsDir is cells/: one run folder per cell, cells/NAME.
	CellsDir = "cells"
	// DoneFile marks, in a cell's run folder, that the cell finished.
	DoneFile = "DONE"
	// FailedFile holds, in a cell's run folder, the cell's error.
	FailedFile = "FAILED"
	// SlurmDir is slurm/: the job array's script and logs.
	SlurmDir = "slurm"
	// SweepCSV is sweep.csv: every finished cell's metrics.csv rows, after
	// one column per swept key and the seed (SweepColumns).
	SweepCSV = "sweep.csv"
	// SummaryCSV is summary.csv: per grid point, generation, model and
	// metric, the seeds' mean and 95% interval, after one column per swept
	// key (SummaryColumns).
	SummaryCSV = "summary.csv"
)
