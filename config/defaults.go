package config

// DefaultNegligible is theory.negligible's default: 0.01 reward per unit
// of curated share. The shipped rewards have a spread of order 1 over
// tokens, so moving the whole real share into curation (lambda from 0 to
// 1) would change the alignment by under 1% of that spread; and with 6 to
// 8 seeds the measured influences' 95% intervals are a few hundredths
// wide, so a smaller effect could not be told from 0 anyway.
const DefaultNegligible = 0.01

// Defaults returns the config every file starts from.
func Defaults() Config {
	return Config{
		Name: "experiment", Seed: 1, Generations: 10, Regime: RegimeReplace, Metrics: MetricsFull,
		Data: DataConfig{Kind: "categorical", Contexts: 8, Tokens: 16, Real: "dirichlet", Concentration: 1, Exponent: 1.1, Heldout: 4096,
			Context: "uniform", ContextExponent: 1},
		RewardModel: RewardModelConfig{Use: "learned", Hidden: []int{64, 64}, Batch: 256, Steps: 300, LR: 1e-3,
			LabelTemperature: 1, Pairs: "uniform", RefitSteps: 50, MinAgreement: DefaultMinAgreement},
		Curation: CurationConfig{K: 4, Tau: 1},
		Theory:   TheoryConfig{Predict: true, Curator: CuratorLearned, Tol: 1e-3, Delta: 0.05, Negligible: DefaultNegligible, Solver: "auto"},
	}
}

// PlaneDefaults is data.plane's defaults (data.kind planar).
func PlaneDefaults() PlaneConfig {
	return PlaneConfig{Shape: "ring", Count: 8, Radius: 2, Std: 0.2, Rows: 3, Cols: 3, Spacing: 2, Noise: 0.1,
		Resolution: 16, PlotResolution: 64, Eval: 4096, Plotted: 500}
}

// SequenceDefaults is data.sequence's defaults (data.kind sequence).
func SequenceDefaults() SequenceConfig {
	return SequenceConfig{Length: 4, Source: "markov", Successors: 2, Concentration: 1, Features: "positions", Distinct: 100}
}

// familySections are the keys that belong to one data.kind: its section
// of data and its models' own keys. A config resolves those of its kind
// (the keys it leaves out take their defaults: the section's, and
// ModelDefaults) and drops the others, which its run does not read
// (config.yaml files written before the sections were per family list
// them all).
var familySections = []struct {
	kind, key string
	defaults  func() any
	modelKeys []string
}{
	{"planar", "plane", func() any { return PlaneDefaults() }, []string{"depth", "max_log_scale"}},
	{"sequence", "sequence", func() any { return SequenceDefaults() }, []string{"window"}},
}

// fillSections resolves data.kind's section of data and drops the others.
func fillSections(tree any, src Sources) {
	top, _ := tree.(map[string]any)
	d, _ := top["data"].(map[string]any)
	if d == nil {
		return
	}
	kind, _ := d["kind"].(string)
	for _, s := range familySections {
		if s.kind != kind {
			delete(d, s.key)
			continue
		}
		m, _ := d[s.key].(map[string]any)
		if m == nil {
			m = map[string]any{}
			d[s.key] = m
		}
		def, _ := toTree(s.defaults())
		dm, _ := def.(map[string]any)
		for k, v := range dm {
			if m[k] == nil {
				m[k] = v
				src.record("data."+s.key+"."+k, SourceDefault)
			}
		}
	}
}

// ModelDefaults holds the values a model takes for the keys it leaves out
// (modelDefaulted). A key given explicitly, 0 included, is kept as given.
func ModelDefaults() ModelConfig {
	window := 16
	return ModelConfig{Hidden: []int{64, 64}, N: 2048, Epochs: 2, Batch: 256, LR: 1e-3, InitSteps: 200, Depth: 6, MaxLogScale: 2, Window: &window}
}

// modelDefaulted are the model keys every family reads that have a
// default (a family's own model keys are in familySections).
var modelDefaulted = []string{"hidden", "n", "epochs", "batch", "lr", "init_steps"}
