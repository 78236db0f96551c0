package train

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const twoModels = `
name: t
seed: 3
generations: 2
data: {contexts: 3, tokens: 5}
reward_model: {min_agreement: 0} # the tests' 10-step fits order pairs near chance
populations:
  - {name: alice, reward: random, scale: 1}
  - {name: bob, reward: negate, of: alice}
models:
  - name: a
    population: alice
    hidden: [8]
    n: 200
    mix: {real: 0.5, curated: {a: 0.25, b: 0.25}}
  - name: b
    population: bob
    hidden: [8]
    n: 200
    mix: {real: 0.5, raw: {a: 0.5}}
`

func TestConfigOverrides(t *testing.T) {
	cfg, err := Parse([]byte(twoModels),
		[]string{"curation.k=7", "models.b.lr=0.5", "models.0.hidden=[3,4]", "models.a.warm_start=false"},
		[]string{"SELFCONSUME_CURATION_TAU=0.25", "SELFCONSUME_CURATION_K=2", "SELFCONSUME_SEED=9", "OTHER=1"})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Curation.K != 7 { // --set beats the environment
		t.Errorf("curation.k = %d, want 7", cfg.Curation.K)
	}
	if cfg.Curation.Tau != 0.25 || cfg.Seed != 9 {
		t.Errorf("environment overrides not applied: tau %g seed %d", cfg.Curation.Tau, cfg.Seed)
	}
	if cfg.Models[1].LR != 0.5 || len(cfg.Models[0].Hidden) != 2 || cfg.Models[0].Hidden[1] != 4 {
		t.Errorf("model overrides not applied: %+v", cfg.Models)
	}
	if cfg.Models[0].WarmStarts() || !cfg.Models[1].WarmStarts() {
		t.Error("warm_start override not applied")
	}
	if cfg.Models[1].Epochs != 2 || cfg.Models[1].InitSteps != 200 {
		t.Errorf("model defaults not filled: %+v", cfg.Models[1])
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestConfigErrorsNameTheKey(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		name string
		sets []string
		key  string // must appear in the error
	}{
		{"shares do not sum to 1", []string{"models.a.mix.real=0.4"}, "models.0.mix"},
		{"negative share", []string{"models.b.mix.raw.a=-0.5", "models.b.mix.real=1.5"}, "models.1.mix.raw.a"},
		{"K below 1", []string{"curation.k=0"}, "curation.k"},
		{"negative tau", []string{"curation.tau=-1"}, "curation.tau"},
		{"unknown source model", []string{"models.b.mix.raw={zz: 0.5}"}, "models.1.mix.raw.zz"},
		{"unknown population", []string{"models.a.population=carol"}, "models.0.population"},
		{"negate of unknown", []string{"populations.bob.of=carol"}, "populations.1.of"},
		{"negative n", []string{"models.a.n=-5"}, "models.0.n"},
		{"negative generations", []string{"generations=-1"}, "generations"},
		{"missing file", []string{"data.real=table", "data.file=" + filepath.Join(dir, "nope.csv")}, "data.file"},
		{"bad regime", []string{"regime=sometimes"}, "regime"},
		{"duplicate model", []string{"models.1.name=a"}, "models.1.name"},
		{"label noise", []string{"reward_model.label_noise=0.7"}, "reward_model.label_noise"},
		{"knob model", []string{"theory.knob.model=zz"}, "theory.knob.model"},
		{"knob model without curated data", []string{"theory.knob.model=b"}, "theory.knob.model"},
		{"negative negligible", []string{"theory.negligible=-0.01"}, "theory.negligible"},
		{"NaN negligible", []string{"theory.negligible=.nan"}, "theory.negligible"},
		{"unknown solver", []string{"theory.solver=lu"}, "theory.solver"},
		{"bad metrics", []string{"metrics=some"}, "metrics"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg, err := Parse([]byte(twoModels), c.sets, nil)
			if err == nil {
				err = cfg.Validate()
			}
			var ce *ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("want a ConfigError naming %s, got %v", c.key, err)
			}
			if ce.Key != c.key {
				t.Fatalf("error names %q, want %q (%v)", ce.Key, c.key, err)
			}
		})
	}
}

func TestConfigRejectsUnknownKeysAndBadSets(t *testing.T) {
	for _, c := range []struct {
		yaml string
		sets []string
		want string
	}{
		{twoModels + "\nepochs: 3\n", nil, `unknown key "epochs"`},
		{twoModels, []string{"models.0.lrr=1"}, `unknown key "models.0.lrr"`},
		{twoModels, []string{"models.7.lr=1"}, "out of range"},
		{twoModels, []string{"models.zed.lr=1"}, `no item named "zed"`},
		{twoModels, []string{"curation.k"}, "want key=value"},
		{twoModels, []string{"curation.k=abc"}, "curation.k"},
	} {
		_, err := Parse([]byte(c.yaml), c.sets, nil)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("sets %v: error %v, want it to contain %q", c.sets, err, c.want)
		}
	}
}

func TestLoadResolvesTableFiles(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "q.csv"), []byte("1,2,3,4,0\n0,0,1,0,0\n5,5,5,5,5\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "c.yaml")
	if err := os.WriteFile(path, []byte(twoModels+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := Load(path, []string{"data.real=table", "data.file=q.csv"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	w, err := NewWorld(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if got := w.Real.At(0, 3); got != 0.4 {
		t.Fatalf("q(3|0) = %g, want 0.4", got)
	}
	if got := w.Real.At(1, 2); got != 1 {
		t.Fatalf("q(2|1) = %g, want 1", got)
	}
}

func TestKnobShiftMovesRealToCuratedKeepingTheSplit(t *testing.T) {
	cfg := mustParse(t, twoModels, "theory.knob.model=a", "theory.knob.shift=0.1")
	w, err := NewWorld(cfg)
	if err != nil {
		t.Fatal(err)
	}
	got := w.Weights[0] // real, raw a, raw b, curated a, curated b
	want := []float64{0.4, 0, 0, 0.3, 0.3}
	for i := range want {
		if d := got[i] - want[i]; d > 1e-12 || d < -1e-12 {
			t.Fatalf("weights %v, want %v", got, want)
		}
	}
	bad, err := Parse([]byte(twoModels), []string{"theory.knob.model=b", "theory.knob.shift=0.1"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := bad.Validate(); err == nil || !strings.Contains(err.Error(), "theory.knob.model = b") {
		t.Fatalf("a shift on a model without curated data must fail validation, got %v", err)
	}
}

// A knob on a model without curated data has nothing to scale: the config
// check names the key, the value, and the models that would do.
func TestKnobModelNeedsCuratedData(t *testing.T) {
	cfg, err := Parse([]byte(twoModels), []string{"theory.knob.model=b"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = cfg.Validate()
	want := "theory.knob.model = b: model b has no curated data (mix.curated), so the knob (its curated share) has nothing to scale; allowed: a"
	if err == nil || err.Error() != want {
		t.Fatalf("got %v\nwant %s", err, want)
	}
	if cfg.Theory.Negligible != DefaultNegligible {
		t.Errorf("theory.negligible defaults to %g, want %g", cfg.Theory.Negligible, DefaultNegligible)
	}
	ok := mustParse(t, twoModels, "theory.knob.model=a", "theory.negligible=0")
	if err := ok.Validate(); err != nil {
		t.Fatalf("knob on a model with curated data, negligible 0: %v", err)
	}
}

func TestWorldSeedFixesTheWorldAcrossSeeds(t *testing.T) {
	a, _ := NewWorld(mustParse(t, twoModels, "seed=1", "world_seed=5"))
	b, _ := NewWorld(mustParse(t, twoModels, "seed=2", "world_seed=5"))
	c, _ := NewWorld(mustParse(t, twoModels, "seed=5"))
	d, _ := NewWorld(mustParse(t, twoModels, "seed=6"))
	if !slices.Equal(a.Real.P, b.Real.P) || !slices.Equal(a.Truth[0].P, c.Truth[0].P) {
		t.Fatal("world_seed does not fix the real data and rewards")
	}
	if slices.Equal(c.Real.P, d.Real.P) {
		t.Fatal("different seeds gave the same world")
	}
}

func TestContextDistributions(t *testing.T) {
	w, err := NewWorld(mustParse(t, twoModels, "data.context=weights", "data.context_weights=[1, 0, 3]"))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(w.Context, []float64{0.25, 0, 0.75}) {
		t.Fatalf("context %v, want [0.25 0 0.75]", w.Context)
	}
	z, _ := NewWorld(mustParse(t, twoModels, "data.context=zipf", "data.context_exponent=1"))
	// 1, 1/2, 1/3 normalised by 11/6.
	if math.Abs(z.Context[0]-6.0/11) > 1e-15 || math.Abs(z.Context[2]-2.0/11) > 1e-15 {
		t.Fatalf("zipf context %v", z.Context)
	}
	bad, _ := Parse([]byte(twoModels), []string{"data.context=weights", "data.context_weights=[1, 2]"}, nil)
	if err := bad.Validate(); err == nil || !strings.Contains(err.Error(), "data.context_weights") {
		t.Fatalf("wrong number of weights: %v", err)
	}
}

// The metrics key defaults to full; an unknown value is a ConfigError that
// names the key and value and lists the allowed values.
func TestMetricsKeyValues(t *testing.T) {
	if cfg := mustParse(t, twoModels); cfg.Metrics != MetricsFull {
		t.Fatalf("default metrics = %q, want %q", cfg.Metrics, MetricsFull)
	}
	if cfg := mustParse(t, twoModels, "metrics=minimal"); cfg.Metrics != MetricsMinimal {
		t.Fatalf("metrics = %q, want %q", cfg.Metrics, MetricsMinimal)
	}
	for _, v := range []string{"some", `""`, "Full"} {
		cfg, err := Parse([]byte(twoModels), []string{"metrics=" + v}, nil)
		if err == nil {
			err = cfg.Validate()
		}
		var ce *ConfigError
		if !errors.As(err, &ce) || ce.Key != "metrics" {
			t.Fatalf("metrics=%s: want a ConfigError naming metrics, got %v", v, err)
		}
		msg := err.Error()
		for _, want := range []string{"metrics = ", "full", "minimal"} {
			if !strings.Contains(msg, want) {
				t.Errorf("metrics=%s: error %q lacks %q", v, msg, want)
			}
		}
		t.Log(msg)
	}
}
