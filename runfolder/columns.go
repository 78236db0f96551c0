package runfolder

// The column headers of the CSV files, written as the files' first line and
// required by their readers. A reader finds columns by name, so columns added
// later (at the end) do not break older readers.
var (
	// MetricsColumns are metrics.csv's and prediction.csv's columns: one
	// number (value) of one metric of one model at one generation.
	MetricsColumns = []string{"generation", "model", "metric", "value"}
	// TablesColumns are tables.csv's, prediction_tables.csv's and
	// world_start.csv's columns: p(token|context) of a model at a generation
	// (-1: the predicted fixed point).
	TablesColumns = []string{"generation", "model", "context", "token", "prob"}
	// RewardModelsColumns are reward_models.csv's columns: metric is
	// final_loss, pair_agreement or spearman.
	RewardModelsColumns = []string{"population", "metric", "value"}
	// SamplesColumns are samples.csv's columns: one plotted sample.
	SamplesColumns = []string{"generation", "model", "x", "y"}
	// DensityColumns are density.csv's columns: a model's density at a plot
	// grid cell's centre.
	DensityColumns = []string{"generation", "model", "x", "y", "density"}
	// ModesColumns are modes.csv's columns: a real mode's index and centre.
	ModesColumns = []string{"mode", "x", "y"}
	// RewardGridColumns are reward_grid.csv's columns: a population's true
	// reward at a plot grid cell's centre.
	RewardGridColumns = []string{"population", "x", "y", "reward"}

	// WorldRealColumns are world_real.csv's columns: the real q(token|context).
	WorldRealColumns = []string{"context", "token", "prob"}
	// SequencesColumns are sequences.csv's: a sequence's index and its
	// tokens, space-separated, position 0 first.
	SequencesColumns = []string{"token", "sequence"}
	// WorldContextColumns are world_context.csv's columns: the weight of a
	// context.
	WorldContextColumns = []string{"context", "weight"}
	// WorldRewardsColumns are world_rewards.csv's columns: kind is
	// RewardKindTrue or RewardKindCurator.
	WorldRewardsColumns = []string{"population", "kind", "context", "token", "value"}
	// WorldGridColumns are world_grid.csv's columns: a theory grid cell by its
	// token index, column ix and row iy, centre and edges.
	WorldGridColumns = []string{"token", "ix", "iy", "x", "y", "x_lo", "x_hi", "y_lo", "y_hi"}

	// ComparisonColumns are comparison.csv's columns (see ComparisonRow).
	ComparisonColumns = []string{"generation", "model", "metric", "mean", "ci_low", "ci_high", "predicted", "abs_error",
		"seeds", "diff", "diff_ci_low", "diff_ci_high", "diff_p", "sd", "diff_sd", "predicted_sd", "predicted_finite"}
	// InfluenceColumns are influence.csv's columns (see InfluenceRow).
	InfluenceColumns = []string{"knob", "model", "population", "predicted", "isolated", "measured", "ci_low", "ci_high", "verdict",
		"label", "measured_label", "seeds", "sd", "sign", "p_sign", "seeds_to_resolve", "inside", "p_inside"}

	// SweepColumns are sweep.csv's columns after one column per swept key.
	SweepColumns = []string{"seed", "generation", "model", "metric", "value"}
	// SummaryColumns are summary.csv's columns after one column per swept key.
	SummaryColumns = []string{"generation", "model", "metric", "n", "mean", "stderr", "ci_low", "ci_high"}
	// CellsColumns are cells.csv's first columns; one column per swept key
	// and seed follow.
	CellsColumns = []string{"index", "name"}
)

// The kinds of rows in world_rewards.csv.
const (
	RewardKindTrue    = "true"    // a population's true reward
	RewardKindCurator = "curator" // its learned curator as fitted before generation 0
)
