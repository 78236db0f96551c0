package config

import (
	"reflect"
	"strings"
	"testing"
)

// A config of another version: unknown keys at the top, in a section and
// in a model, and a value of the wrong type are dropped, each listed once
// with its key; the rest is read as Parse reads it, the defaults fill what
// is absent, and FileTree holds only what the file set.
func TestParseLenient(t *testing.T) {
	raw := []byte(`
seed: 4
generations: lots
legacy_knob: 3
curation: {k: 3, shape: wide}
populations:
  - {name: p, reward: random}
models:
  - {name: m, population: p, n: 100, dropout: 0.1, mix: {real: 1}}
`)
	r, err := ParseLenient(raw)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"curation.shape: unknown key", "generations = lots: want a whole number", "legacy_knob: unknown key", "models.0.dropout: unknown key"}
	if len(r.Ignored) != len(want) {
		t.Fatalf("ignored %q, want %q", r.Ignored, want)
	}
	for i, w := range want {
		if r.Ignored[i] != w {
			t.Errorf("ignored[%d] = %q, want %q", i, r.Ignored[i], w)
		}
	}
	c := r.Config
	def := Defaults()
	if c.Seed != 4 || c.Curation.K != 3 || c.Models[0].N != 100 || c.Models[0].Mix.Real != 1 {
		t.Errorf("kept values lost: seed %d, k %d, n %d, real %g", c.Seed, c.Curation.K, c.Models[0].N, c.Models[0].Mix.Real)
	}
	if c.Generations != def.Generations || c.Curation.Tau != def.Curation.Tau || c.Models[0].LR != ModelDefaults().LR {
		t.Errorf("defaults not filled: generations %d, tau %g, lr %g", c.Generations, c.Curation.Tau, c.Models[0].LR)
	}
	strict, err := Parse([]byte("seed: 4\ncuration: {k: 3}\npopulations:\n  - {name: p, reward: random}\nmodels:\n  - {name: m, population: p, n: 100, mix: {real: 1}}\n"), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(strict, c) {
		t.Errorf("lenient read of the kept keys differs from Parse's:\n%+v\n%+v", c, strict)
	}
	tree, err := r.FileTree()
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := tree["generations"]; ok {
		t.Error("FileTree has the defaulted generations")
	}
	cur, _ := tree["curation"].(map[string]any)
	if len(cur) != 1 || cur["k"] != 3 {
		t.Errorf("FileTree curation = %v, want only k: 3", tree["curation"])
	}
	m0 := tree["models"].([]any)[0].(map[string]any)
	if _, ok := m0["lr"]; ok || m0["n"] != 100 {
		t.Errorf("FileTree model = %v, want n and no defaulted lr", m0)
	}
	if r, err := ParseLenient([]byte("models:\n  - {name: Big, population: P}\n")); err != nil || r.Config.Models[0].Name != "Big" || r.Config.Models[0].Population != "P" {
		t.Errorf("names not kept as spelled: %+v, %v", r.Config.Models, err)
	}
	if _, err := ParseLenient([]byte("- a\n- b\n")); err == nil {
		t.Error("a list at the top level was accepted")
	}
}

// ParseLenient reads any bytes without panicking: an error has a message,
// and what it reads has a FileTree and, names folded, parses strictly to
// the same config unless it is refused there for names that differ only in
// case.
func FuzzParseLenient(f *testing.F) {
	shippedConfigs(f, func(b []byte) { f.Add(b) })
	f.Add([]byte("seed: x\nlegacy: 1\nmodels: [{name: A, depth: q, mix: {real: 1}}]\n"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		r, err := ParseLenient(raw)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("an error without a message")
			}
			return
		}
		if _, err := r.FileTree(); err != nil {
			t.Fatalf("FileTree: %v", err)
		}
		y, err := r.Config.YAML()
		if err != nil {
			t.Fatalf("YAML: %v", err)
		}
		if _, err := Parse(y, nil, nil); err != nil && !strings.Contains(err.Error(), "case-insensitive") {
			t.Fatalf("what ParseLenient read does not parse strictly: %v\n%s", err, y)
		}
	})
}
