package config

import (
	"errors"
	"strings"
	"testing"
)

// An override that gives a mapping or a list whole replaces what the file
// has there (README's --set models.x.mix='{...}'); one that gives a single
// key merges with the rest. A later override inside a value given whole
// changes that value.
func TestWholeValuesReplaceSingleKeysMerge(t *testing.T) {
	cfg := mustParse(t, twoModels, "models.a.mix={real: 0.5, raw: {b: 0.5}}")
	if m := cfg.Models[0].Mix; m.Real != 0.5 || len(m.Curated) != 0 || m.Raw["b"] != 0.5 {
		t.Fatalf("mix given whole: %+v, want real 0.5, raw b 0.5 and nothing curated", m)
	}
	cfg = mustParse(t, twoModels, "models.a.mix.real=0.25", "models.a.mix.curated.a=0.5")
	if m := cfg.Models[0].Mix; m.Real != 0.25 || m.Curated["a"] != 0.5 || m.Curated["b"] != 0.25 {
		t.Fatalf("mix by keys: %+v, want real 0.25, curated a 0.5 and b 0.25", m)
	}
	cfg = mustParse(t, twoModels, "models=[{name: z, population: alice, mix: {real: 1}}]", "models.z.lr=0.5", "models.0.hidden=[4, 4]", "models.z.hidden.1=2")
	if len(cfg.Models) != 1 || cfg.Models[0].LR != 0.5 || cfg.Models[0].Hidden[0] != 4 || cfg.Models[0].Hidden[1] != 2 || cfg.Models[0].N != ModelDefaults().N {
		t.Fatalf("models given whole, then changed: %+v", cfg.Models)
	}
	// null is no value: a model key takes its default again.
	cfg = mustParse(t, twoModels, "models.a.n=null")
	if cfg.Models[0].N != ModelDefaults().N {
		t.Fatalf("n=null gave %d, want the default %d", cfg.Models[0].N, ModelDefaults().N)
	}
}

// Model and population names are case-insensitive: an override or a mix
// source may spell them in any case, and the config keeps them in lower
// case. Two names that differ only in case are refused, naming both.
func TestNamesAreCaseInsensitive(t *testing.T) {
	y := strings.NewReplacer("name: a\n", "name: Solo\n", "{a: 0.25, b: 0.25}", "{SOLO: 0.25, b: 0.25}",
		"{real: 0.5, raw: {a: 0.5}}", "{real: 0.5, raw: {solo: 0.5}}", "name: alice", "name: Alice").Replace(twoModels)
	r, err := parse([]byte(y), []string{"models.SOLO.lr=0.5", "populations.ALICE.scale=2"}, []string{"SELFCONSUME_MODELS_SOLO_EPOCHS=3"})
	if err != nil {
		t.Fatal(err)
	}
	cfg := r.Config
	for path, want := range map[string]string{"models.0.mix.curated.solo": SourceFile, "models.0.lr": SourceSet, "models.0.epochs": "env SELFCONSUME_MODELS_SOLO_EPOCHS"} {
		if got := r.Sources.Of(path); got != want {
			t.Errorf("source of %s = %q, want %q", path, got, want)
		}
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	m := cfg.Models[0]
	if m.Name != "solo" || m.LR != 0.5 || m.Epochs != 3 || m.Mix.Curated["solo"] != 0.25 || cfg.Models[1].Mix.Raw["solo"] != 0.5 {
		t.Fatalf("model: %+v", m)
	}
	if p := cfg.Populations[0]; p.Name != "alice" || p.Scale != 2 || m.Population != "alice" || cfg.Populations[1].Of != "alice" {
		t.Fatalf("populations %+v, model population %q", cfg.Populations, m.Population)
	}
	for _, c := range []struct {
		sets []string
		key  string
		want string
	}{
		{[]string{"models.b.name=A"}, "models.1.name", "models.0.name is a"},
		{[]string{"populations.bob.name=ALICE"}, "populations.1.name", "populations.0.name is alice"},
		{[]string{"models.b.mix={real: 0.5, raw: {a: 0.25, A: 0.25}}"}, "models.1.mix.raw.a", "models.1.mix.raw.A names the same model"},
	} {
		_, err := Parse([]byte(twoModels), c.sets, nil)
		var ce *Error
		if !errors.As(err, &ce) || ce.Key != c.key || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: want an error naming %s and %q, got %v", c.sets, c.key, c.want, err)
		}
	}
	// A config built in code is held to the same rule.
	built := mustParse(t, twoModels)
	built.Models[1].Name = "A"
	var ce *Error
	if err := built.Validate(); !errors.As(err, &ce) || ce.Key != "models.1.name" || !strings.Contains(err.Error(), "models.0.name is a") {
		t.Fatalf("models a and A: %v", err)
	}
	// Keys other than names keep their case, and a wrong case is unknown.
	if _, err := Parse([]byte(twoModels), []string{"models.a.LR=1"}, nil); err == nil || !strings.Contains(err.Error(), `unknown key "models.0.LR"`) {
		t.Fatalf("models.a.LR: %v", err)
	}
	if _, err := Parse([]byte(twoModels+"Seed: 4\n"), nil, nil); err == nil || !strings.Contains(err.Error(), `unknown key "Seed"`) {
		t.Fatalf("Seed in the file: %v", err)
	}
}
