package config

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
	Kind          string  `yaml:"kind"` // categorical | planar | sequence
	Contexts      int     `yaml:"contexts"`
	Tokens        int     `yaml:"tokens"`
	Real          string  `yaml:"real"`          // dirichlet | zipf | table
	Concentration float64 `yaml:"concentration"` // dirichlet
	Exponent      float64 `yaml:"exponent"`      // zipf
	File          string  `yaml:"file"`          // table: CSV, one row per context (relative to the config file)
	Heldout       int     `yaml:"heldout"`       // held-out real samples for heldout_nll
	// Context is the context distribution: uniform, zipf (p(c) proportional
	// to 1/(c+1)^context_exponent) or weights (context_weights, normalised).
	Context         string    `yaml:"context"`
	ContextExponent float64   `yaml:"context_exponent"`
	ContextWeights  []float64 `yaml:"context_weights"`
	// The families' own sections: only data.kind's is resolved (and
	// written); the others are nil (see familySections).
	Plane *PlaneConfig `yaml:"plane,omitempty"` // planar: the real distribution on R^2 and its grid
	// Sequence: sequences of length sequence.length over the data.tokens
	// tokens, one law per prompt (data.contexts prompts).
	Sequence *SequenceConfig `yaml:"sequence,omitempty"`
}

// SequenceConfig describes the real source of token sequences (data.kind
// sequence) and the learned reward models' features on them.
type SequenceConfig struct {
	Length        int     `yaml:"length"`        // tokens per sequence
	Source        string  `yaml:"source"`        // markov | file
	Successors    int     `yaml:"successors"`    // markov: tokens that may follow each token
	Concentration float64 `yaml:"concentration"` // markov: Dirichlet concentration of the first token and the transitions
	File          string  `yaml:"file"`          // file: CSV of sequences, rows "prompt, token_1, ..., token_L"
	Features      string  `yaml:"features"`      // learned reward models' input: positions | bag
	Distinct      int     `yaml:"distinct"`      // sequences per sample of the distinct-n metrics
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
	Reward string  `yaml:"reward"` // random | table | negate; planar: linear | quadratic | distance; sequence: random | features | table
	Scale  float64 `yaml:"scale"`  // random: standard deviation of the entries
	Of     string  `yaml:"of"`     // negate: the population whose reward is negated
	File   string  `yaml:"file"`   // table: CSV, contexts x tokens
	// On the plane: linear (weights), quadratic and distance (point, gamma,
	// r_min): r = w.x, -gamma |x - point|^2, -gamma max(0, |x - point| - r_min).
	Weights []float64 `yaml:"weights"`
	Point   []float64 `yaml:"point"`
	Gamma   float64   `yaml:"gamma"`
	RMin    float64   `yaml:"r_min"`
	// On sequences (reward features): a weighted sum of sequence features.
	Features []FeatureConfig `yaml:"features"`
}

// FeatureConfig is one feature of a sequence reward and its weight: at
// (token at position), motif (contains the motif's tokens in a row),
// ends_with (last token), count (share of positions holding token), stop
// (position of the first token, as a share of the length; the length when
// absent).
type FeatureConfig struct {
	Kind     string  `yaml:"kind"`
	Weight   float64 `yaml:"weight"`
	Token    int     `yaml:"token"`
	Position int     `yaml:"position"`
	Motif    []int   `yaml:"motif"`
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
	Name       string  `yaml:"name"`
	Population string  `yaml:"population"` // who curates this model's outputs
	Hidden     []int   `yaml:"hidden"`
	N          int     `yaml:"n"` // training samples per generation
	Epochs     int     `yaml:"epochs"`
	Batch      int     `yaml:"batch"`
	LR         float64 `yaml:"lr"`
	WarmStart  *bool   `yaml:"warm_start"`
	InitSteps  int     `yaml:"init_steps"` // generation 0: Adam steps on real data
	// The families' own model keys: resolved (and written) only when
	// data.kind names the family (see familySections).
	Depth       int       `yaml:"depth,omitempty"`         // planar: affine couplings of the flow
	MaxLogScale float64   `yaml:"max_log_scale,omitempty"` // planar: bound on every coupling's log-scale
	Window      *int      `yaml:"window,omitempty"`        // sequence: previous tokens the generator sees (>= length-1: the whole prefix)
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

// KnobConfig names the curation knob lambda: the model whose curated share
// is raised (its self/cross split kept), taken from its real share.
type KnobConfig struct {
	Model string  `yaml:"model"` // empty: no influence analysis
	Shift float64 `yaml:"shift"` // lambda - lambda0: moved from the model's real share to its curated block
}

// EffectiveWorldSeed is the seed of the real data, the true rewards and the
// held-out set: world_seed, or seed when world_seed is 0.
func (c Config) EffectiveWorldSeed() uint64 {
	if c.WorldSeed != 0 {
		return c.WorldSeed
	}
	return c.Seed
}

// WarmStarts reports whether the model keeps its parameters between generations.
func (m ModelConfig) WarmStarts() bool { return m.WarmStart == nil || *m.WarmStart }
