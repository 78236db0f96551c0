package config

// The values of the metrics key: how much is measured each generation. The
// choice never changes the random streams, so the training trajectory (and
// every metric both sets share) is the same bit for bit.
const (
	// MetricsFull measures everything the family has: exact metrics on the
	// support or grid, Monte Carlo metrics, likelihoods, mode shares.
	MetricsFull = "full"
	// MetricsMinimal measures only what the fixed benchmark workloads
	// ask for. Per model and generation it keeps
	//   - reward/<population> for every population: categorical, exact
	//     expected true reward; planar, the mean true reward of the
	//     data.plane.eval fixed-noise samples;
	//   - kl_real, categorical only (exact on the table, which the loop has
	//     anyway);
	//   - the loop's bookkeeping: share/<source>, curation_entropy and
	//     curation_gap (generations >= 1), param_delta (generations >= 1);
	//   - tv_pred (generations >= 1), only when theory.predict is on: the
	//     prediction needs the planar grid tables, which are then computed as
	//     under full.
	// It drops reward_model, tv_real, entropy, zero_mass, tv_prev, train_nll,
	// heldout_nll, the fit-gap metrics (fit_gap, fit_progress, fit_reward_gap,
	// sample_gap, fit_excess) and, on the plane, kl_real, mode/<k>, energy_distance and
	// (without theory.predict) the grid tables. Run-folder files other than
	// metrics.csv (tables.csv; density.csv, samples.csv) are still written.
	MetricsMinimal = "minimal"
)

// MinimalMetrics reports whether the run measures only the minimal set.
func (c Config) MinimalMetrics() bool { return c.Metrics == MetricsMinimal }

// The data regimes: what a model's training set is made of.
const (
	RegimeReplace             = "replace"              // only this generation's mixture
	RegimeAccumulate          = "accumulate"           // every generation's mixture so far
	RegimeAccumulateSubsample = "accumulate-subsample" // n samples drawn from everything so far
)

// The values of theory.curator: the curator in the analytic map.
const (
	CuratorLearned = "learned" // the learned reward models' tables, as in the run
	CuratorTrue    = "true"    // the true rewards: separates reward-model error from loop error
)
