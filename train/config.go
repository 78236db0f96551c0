package train

// Config is one experiment: everything a run needs, seed included. Its YAML
// keys are the names users write in config files and --set overrides.
type Config struct {
	Name        string             `yaml:"name"`
	Seed        uint64             `yaml:"seed"`
	WorldSeed   uint64             `yaml:"world_seed"` // real data and true rewards; 0 = seed. Fix it to vary only the training randomness across seeds
	Generations int                `yaml:"generations"`
	Regime      string             `yaml:"regime"`  // replace | accumulate | accumulate-subsample
	Workers     int                `yaml:"workers"` // models trained at once; 0 = number of CPUs
	Metrics     string             `yaml:"metrics"` // full | minimal: what is measured each generation (MetricsFull, MetricsMinimal)
	Data        DataConfig         `yaml:"data"`
	Populations []PopulationConfig `yaml:"populations"`
	RewardModel RewardModelConfig  `yaml:"reward_model"`
	Curation    CurationConfig     `yaml:"curation"`
	Models      []ModelConfig      `yaml:"models"`
	Theory      TheoryConfig       `yaml:"theory"`
}

// DataConfig describes the real distribution q(y|c) and its contexts.
type DataConfig struct {
	Kind          string  `yaml:"kind"` // categorical | planar
	Contexts      int     `yaml:"contexts"`
	Tokens        int     `yaml:"tokens"`
	Real          string  `yaml:"real"`          // dirichlet | zipf | table
	Concentration float64 `yaml:"concentration"` // dirichlet
	Exponent      float64 `yaml:"exponent"`      // zipf
	File          string  `yaml:"file"`          // table: CSV, one row per context (relative to the config file)
	Heldout       int     `yaml:"heldout"`       // held-out real samples for heldout_nll
	// Context is the context distribution: uniform, zipf (p(c) proportional
	// to 1/(c+1)^context_exponent) or weights (context_weights, normalised).
	Context         string      `yaml:"context"`
	ContextExponent float64     `yaml:"context_exponent"`
	ContextWeights  []float64   `yaml:"context_weights"`
	Plane           PlaneConfig `yaml:"plane"` // planar: the real distribution on R^2 and its grid
}

// PlaneConfig describes a real distribution on R^2 and the grid on which the
// theory, the grid metrics and the density plots evaluate densities.
type PlaneConfig struct {
	Shape          string    `yaml:"shape"`           // ring | grid | moons
	Count          int       `yaml:"count"`           // ring: number of Gaussians
	Radius         float64   `yaml:"radius"`          // ring
	Std            float64   `yaml:"std"`             // ring, grid
	Rows           int       `yaml:"rows"`            // grid
	Cols           int       `yaml:"cols"`            // grid
	Spacing        float64   `yaml:"spacing"`         // grid
	Noise          float64   `yaml:"noise"`           // moons
	Bounds         []float64 `yaml:"bounds"`          // [xmin, xmax, ymin, ymax]; empty: around the modes
	Resolution     int       `yaml:"resolution"`      // theory grid: cells per side
	PlotResolution int       `yaml:"plot_resolution"` // density.csv: cells per side
	Eval           int       `yaml:"eval"`            // samples (fixed noise) for Monte Carlo metrics
	Plotted        int       `yaml:"plotted"`         // samples per model and generation in samples.csv
}

// PopulationConfig is one "human" population and its true reward.
type PopulationConfig struct {
	Name   string  `yaml:"name"`
	Reward string  `yaml:"reward"` // random | table | negate
	Scale  float64 `yaml:"scale"`  // random: standard deviation of the entries
	Of     string  `yaml:"of"`     // negate: the population whose reward is negated
	File   string  `yaml:"file"`   // table: CSV, contexts x tokens
	// On the plane: linear (weights), quadratic and distance (point, gamma,
	// r_min): r = w.x, -gamma |x - point|^2, -gamma max(0, |x - point| - r_min).
	Weights []float64 `yaml:"weights"`
	Point   []float64 `yaml:"point"`
	Gamma   float64   `yaml:"gamma"`
	RMin    float64   `yaml:"r_min"`
}

// RewardModelConfig says how each population's reward model is learned.
type RewardModelConfig struct {
	Use              string  `yaml:"use"` // learned | true (curate with the true reward)
	Hidden           []int   `yaml:"hidden"`
	Batch            int     `yaml:"batch"` // pairs per Adam step
	Steps            int     `yaml:"steps"`
	LR               float64 `yaml:"lr"`
	LabelTemperature float64 `yaml:"label_temperature"`
	LabelNoise       float64 `yaml:"label_noise"`
	Pairs            string  `yaml:"pairs"` // uniform | real: where compared tokens are drawn from
	Refit            bool    `yaml:"refit"` // refit every generation on pairs from the current models
	RefitSteps       int     `yaml:"refit_steps"`
	// MinAgreement is the least pair agreement a fitted reward model may
	// have (the share of within-context pairs it orders like the truth;
	// 0.5 is chance): below it the run stops after the fit.
	MinAgreement float64 `yaml:"min_agreement"`
}

// CurationConfig is the K-choice Luce curator.
type CurationConfig struct {
	K    int     `yaml:"k"`
	Tau  float64 `yaml:"tau"`  // 0 = best-of-K
	Pool int     `yaml:"pool"` // curated samples each model produces per generation (at least what consumers need)
}

// ModelConfig is one generator and the mixture it retrains on.
type ModelConfig struct {
	Name        string    `yaml:"name"`
	Population  string    `yaml:"population"` // who curates this model's outputs
	Hidden      []int     `yaml:"hidden"`
	N           int       `yaml:"n"` // training samples per generation
	Epochs      int       `yaml:"epochs"`
	Batch       int       `yaml:"batch"`
	LR          float64   `yaml:"lr"`
	WarmStart   *bool     `yaml:"warm_start"`
	InitSteps   int       `yaml:"init_steps"`    // generation 0: Adam steps on real data
	Depth       int       `yaml:"depth"`         // planar: affine couplings of the flow
	MaxLogScale float64   `yaml:"max_log_scale"` // planar: bound on every coupling's log-scale
	Mix         MixConfig `yaml:"mix"`
}

// MixConfig gives a model's training mixture: real share, and raw and curated
// shares from each source model (by name). All shares sum to 1.
type MixConfig struct {
	Real    float64            `yaml:"real"`
	Raw     map[string]float64 `yaml:"raw"`
	Curated map[string]float64 `yaml:"curated"`
}

// TheoryConfig sets the prediction and the influence knob.
type TheoryConfig struct {
	Predict bool       `yaml:"predict"` // run the analytic map beside the loop: prediction files and tv_pred
	Curator string     `yaml:"curator"` // learned | true: the curator in the analytic map
	BurnIn  int        `yaml:"burn_in"` // generations skipped before averaging J for influence estimates (0 = half)
	Tol     float64    `yaml:"tol"`     // convergence tolerance (TV between generations)
	Knob    KnobConfig `yaml:"knob"`
	Delta   float64    `yaml:"delta"` // half-width of the paired lambda runs
	// Negligible is the size, in reward units per unit of the knob
	// (dJ/dlambda), under which an influence is labelled "negligible"
	// rather than given a direction (DefaultNegligible).
	Negligible float64 `yaml:"negligible"`
	// Solver is the linear algebra of the prediction (spectral radius,
	// Newton steps, influence): auto (dense while the eigen work
	// C (n(V-1))^3 is at most 1e9, matrix-free above), dense or matrixfree.
	Solver string `yaml:"solver"`
}

// DefaultNegligible is theory.negligible's default: 0.01 reward per unit
// of curated share. The shipped rewards have a spread of order 1 over
// tokens, so moving the whole real share into curation (lambda from 0 to
// 1) would change the alignment by under 1% of that spread; and with 6 to
// 8 seeds the measured influences' 95% intervals are a few hundredths
// wide, so a smaller effect could not be told from 0 anyway.
const DefaultNegligible = 0.01

// KnobConfig names the curation knob lambda: the model whose curated share
// is raised (its self/cross split kept), taken from its real share.
type KnobConfig struct {
	Model string  `yaml:"model"` // empty: no influence analysis
	Shift float64 `yaml:"shift"` // lambda - lambda0: moved from the model's real share to its curated block
}

// EffectiveWorldSeed is the seed of the real data, the true rewards and the
// held-out set: world_seed, or seed when world_seed is 0.
func (c Config) EffectiveWorldSeed() uint64 { return c.worldSeed() }

// worldSeed is the seed of the real data, the true rewards and the
// held-out set.
func (c Config) worldSeed() uint64 {
	if c.WorldSeed != 0 {
		return c.WorldSeed
	}
	return c.Seed
}

// WarmStarts reports whether the model keeps its parameters between generations.
func (m ModelConfig) WarmStarts() bool { return m.WarmStart == nil || *m.WarmStart }

// Defaults returns the config every file starts from.
func Defaults() Config {
	return Config{
		Name: "experiment", Seed: 1, Generations: 10, Regime: RegimeReplace, Metrics: MetricsFull,
		Data: DataConfig{Kind: "categorical", Contexts: 8, Tokens: 16, Real: "dirichlet", Concentration: 1, Exponent: 1.1, Heldout: 4096,
			Context: "uniform", ContextExponent: 1,
			Plane: PlaneConfig{Shape: "ring", Count: 8, Radius: 2, Std: 0.2, Rows: 3, Cols: 3, Spacing: 2, Noise: 0.1,
				Resolution: 16, PlotResolution: 64, Eval: 4096, Plotted: 500}},
		RewardModel: RewardModelConfig{Use: "learned", Hidden: []int{64, 64}, Batch: 256, Steps: 300, LR: 1e-3,
			LabelTemperature: 1, Pairs: "uniform", RefitSteps: 50, MinAgreement: DefaultMinAgreement},
		Curation: CurationConfig{K: 4, Tau: 1},
		Theory:   TheoryConfig{Predict: true, Curator: CuratorLearned, Tol: 1e-3, Delta: 0.05, Negligible: DefaultNegligible, Solver: "auto"},
	}
}

// ModelDefaults holds the values a model takes for the keys it leaves out
// (modelDefaulted). A key given explicitly, 0 included, is kept as given.
func ModelDefaults() ModelConfig {
	return ModelConfig{Hidden: []int{64, 64}, N: 2048, Epochs: 2, Batch: 256, LR: 1e-3, InitSteps: 200, Depth: 6, MaxLogScale: 2}
}

// modelDefaulted are the model keys that have a default.
var modelDefaulted = []string{"hidden", "n", "epochs", "batch", "lr", "init_steps", "depth", "max_log_scale"}

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

// minimalMetrics reports whether the run measures only the minimal set.
func (c Config) minimalMetrics() bool { return c.Metrics == MetricsMinimal }

// The data regimes: what a model's training set is made of.
const (
	RegimeReplace             = "replace"              // only this generation's mixture
	RegimeAccumulate          = "accumulate"           // every generation's mixture so far
	RegimeAccumulateSubsample = "accumulate-subsample" // n samples drawn from everything so far
)
