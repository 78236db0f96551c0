package config

import (
	"errors"
	"os"
	"strings"
	"testing"
)

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
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("want a Error naming %s, got %v", c.key, err)
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

// The metrics key defaults to full; an unknown value is a Error that
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
		var ce *Error
		if !errors.As(err, &ce) || ce.Key != "metrics" {
			t.Fatalf("metrics=%s: want a Error naming metrics, got %v", v, err)
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

// twoModels is a small valid config: two models on two populations, one
// curating and one negating the other.
var twoModels = readFixture("testdata/two-models.yaml")

func readFixture(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// mustParse resolves y with the overrides sets and validates it.
func mustParse(t *testing.T, y string, sets ...string) Config {
	t.Helper()
	cfg, err := Parse([]byte(y), sets, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	return cfg
}
