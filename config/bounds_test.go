package config

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
)

// The oversized values users hit (out of memory, endless loops) are config
// errors naming the key, the value and the bound, before anything is built.
func TestOversizedValuesAreRefusedWithTheBound(t *testing.T) {
	for _, c := range []struct {
		set, key, bound string
	}{
		{"data.contexts=1000000000", "data.contexts", "10000"},
		{"data.contexts=1e6", "data.contexts", "10000"},
		{"data.tokens=1e9", "data.tokens", "100000"},
		{"models.solo.n=1e12", "models.0.n", "100000000"},
		{"generations=4611686018427387904", "generations", "100000"},
		{"models.solo.epochs=9223372036854775807", "models.0.epochs", "100000"},
		{"models.solo.lr=1e10", "models.0.lr", "<= 1"},
		{"reward_model.lr=1e6", "reward_model.lr", "<= 1"},
		{"curation.k=1e5", "curation.k", "1024"},
		{"reward_model.hidden=[64, 100000]", "reward_model.hidden.1", "4096"},
		{"data.plane.resolution=1e4", "data.plane.resolution", "256"},
	} {
		t.Run(c.set, func(t *testing.T) {
			sets := []string{c.set}
			if strings.HasPrefix(c.set, "data.plane.") {
				sets = append(sets, "data.kind=planar") // the section of planar data only
			}
			_, err := Load("../configs/quickstart.yaml", sets, nil)
			var ce *Error
			if !errors.As(err, &ce) || ce.Key != c.key {
				t.Fatalf("want a Error naming %s, got %v", c.key, err)
			}
			if !strings.Contains(err.Error(), c.bound) {
				t.Fatalf("error %q does not state the bound %s", err, c.bound)
			}
		})
	}
}

// A whole number written as a float (YAML reads 1e1 as 10.0) is taken as
// that integer; a fraction is refused.
func TestWholeFloatsAreIntegers(t *testing.T) {
	cfg := mustParse(t, twoModels, "generations=1e1", "models.a.n=2.0e2")
	if cfg.Generations != 10 || cfg.Models[0].N != 200 {
		t.Fatalf("generations %d, n %d: want 10 and 200", cfg.Generations, cfg.Models[0].N)
	}
	_, err := Parse([]byte(twoModels), []string{"generations=1.5"}, nil)
	if err == nil || !strings.Contains(err.Error(), "generations = 1.5: want a whole number") {
		t.Fatalf("generations=1.5: %v", err)
	}
}

// A model key left out takes its default; given as 0 it stays 0 and
// validation refuses it, naming the key.
func TestZeroIsNotUnset(t *testing.T) {
	cfg := mustParse(t, twoModels)
	d := ModelDefaults()
	if m := cfg.Models[1]; m.LR != d.LR || m.Epochs != d.Epochs || m.Batch != d.Batch || m.InitSteps != d.InitSteps {
		t.Fatalf("absent keys not defaulted: %+v", m)
	}
	for _, c := range []struct{ set, key string }{
		{"models.a.lr=0", "models.0.lr"},
		{"models.b.n=0", "models.1.n"},
		{"models.b.epochs=0", "models.1.epochs"},
		{"models.a.batch=0", "models.0.batch"},
		{"reward_model.steps=0", "reward_model.steps"},
		{"reward_model.lr=0", "reward_model.lr"},
	} {
		cfg, err := Parse([]byte(twoModels), []string{c.set}, nil)
		if err == nil {
			err = cfg.Validate()
		}
		var ce *Error
		if !errors.As(err, &ce) || ce.Key != c.key {
			t.Errorf("%s: want a Error naming %s, got %v", c.set, c.key, err)
		}
	}
	// init_steps 0 is meaningful (generation 0 untrained) and is kept.
	if cfg := mustParse(t, twoModels, "models.a.init_steps=0"); cfg.Models[0].InitSteps != 0 {
		t.Fatalf("init_steps 0 replaced by %d", cfg.Models[0].InitSteps)
	}
	// A null value is unset.
	if cfg := mustParse(t, twoModels+"    lr: null\n"); cfg.Models[1].LR != d.LR {
		t.Fatalf("lr: null gave %g, want the default %g", cfg.Models[1].LR, d.LR)
	}
}

func TestNamesAreIdentifiers(t *testing.T) {
	for _, c := range []struct{ set, key string }{
		{`models.a.name=a,b`, "models.0.name"},
		{`models.a.name='x"y'`, "models.0.name"},
		{`models.a.name=1st`, "models.0.name"},
		{`models.a.name=""`, "models.0.name"},
		{`populations.alice.name=al ice`, "populations.0.name"},
	} {
		cfg, err := Parse([]byte(twoModels), []string{c.set}, nil)
		if err == nil {
			err = cfg.Validate()
		}
		var ce *Error
		if !errors.As(err, &ce) || ce.Key != c.key || !strings.Contains(err.Error(), "starts with a letter") {
			t.Errorf("%s: want a Error naming %s and the charset, got %v", c.set, c.key, err)
		}
	}
	// Letters, digits, '-' and '_' pass the charset (renaming leaves the mix
	// naming the old name, which is the error then).
	if _, err := Load("../configs/ring-2d.yaml", []string{"models.0.name=Curated_only-2"}, nil); err == nil || strings.Contains(err.Error(), "starts with a letter") {
		t.Fatalf("Curated_only-2 is an identifier: %v", err)
	}
}

func TestMinAgreementRange(t *testing.T) {
	for _, v := range []string{"-0.1", "1.5", ".nan"} {
		cfg, err := Parse([]byte(twoModels), []string{"reward_model.min_agreement=" + v}, nil)
		if err == nil {
			err = cfg.Validate()
		}
		var ce *Error
		if !errors.As(err, &ce) || ce.Key != "reward_model.min_agreement" {
			t.Errorf("min_agreement=%s: %v", v, err)
		}
	}
}

// README's bounds table is Bounds, row for row.
func TestReadmeStatesEveryBound(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, bd := range Bounds {
		k := "`" + bd.Key + "`"
		if bd.Count {
			k += " (items)"
		}
		if row := fmt.Sprintf("| %s | %s | %s |", k, fmtBound(bd.Max), bd.Why); !strings.Contains(string(b), row) {
			t.Errorf("README lacks the row %s", row)
		}
	}
}
