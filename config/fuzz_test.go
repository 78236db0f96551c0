package config

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// shippedConfigs adds every configs/*.yaml to a fuzz target's seed corpus
// through add.
func shippedConfigs(f *testing.F, add func(raw []byte)) {
	f.Helper()
	paths, err := filepath.Glob(filepath.Join("..", "configs", "*.yaml"))
	if err != nil || len(paths) == 0 {
		f.Fatalf("no shipped configs: %v", err)
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		add(b)
	}
}

// Load never panics on any bytes; a config it accepts validates and
// survives its own YAML.
func FuzzLoad(f *testing.F) {
	shippedConfigs(f, func(b []byte) { f.Add(b) })
	f.Add([]byte("models: [{name: a, mix: {real: 1}}]"))
	f.Add([]byte("- 1\n- 2"))
	path := filepath.Join(f.TempDir(), "c.yaml") // one per worker process; its runs are sequential
	f.Fuzz(func(t *testing.T, raw []byte) {
		if err := os.WriteFile(path, raw, 0o644); err != nil {
			t.Fatal(err)
		}
		cfg, err := Load(path, nil, nil)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("an error without a message")
			}
			return
		}
		checkAccepted(t, cfg)
	})
}

// checkAccepted asserts what holds of every accepted config: it validates,
// and its resolved YAML parses back to the same YAML.
func checkAccepted(t *testing.T, cfg Config) {
	t.Helper()
	if err := cfg.Validate(); err != nil {
		t.Fatalf("accepted, then Validate: %v", err)
	}
	y, err := cfg.YAML()
	if err != nil {
		t.Fatalf("accepted, then YAML: %v", err)
	}
	again, err := Parse(y, nil, nil)
	if err != nil {
		t.Fatalf("its own YAML does not parse: %v\n%s", err, y)
	}
	y2, err := again.YAML()
	if err != nil || !bytes.Equal(y, y2) {
		t.Fatalf("its own YAML parses to another config (%v):\n%s\n---\n%s", err, y, y2)
	}
}

// A --set override never panics, on any shipped config.
func FuzzSet(f *testing.F) {
	sets := []string{"curation.k=8", "models.0.lr=0.01", "models.solo.mix.real=0.5", "populations.0.name=x", "a.b.c=[1, 2]",
		"generations=", "=3", "models.9.n=1", "data.plane.count=-1", "theory.knob.shift=1e400"}
	shippedConfigs(f, func(b []byte) {
		for _, s := range sets {
			f.Add(b, s)
		}
	})
	f.Fuzz(func(t *testing.T, raw []byte, set string) {
		cfg, err := Parse(raw, []string{set}, nil)
		if err != nil {
			return
		}
		if cfg.Validate() == nil {
			checkAccepted(t, cfg)
		}
	})
}

// An environment override never panics, on any shipped config.
func FuzzEnv(f *testing.F) {
	shippedConfigs(f, func(b []byte) {
		f.Add(b, EnvPrefix+"CURATION_K", "8")
		f.Add(b, EnvPrefix+"MODELS_0_MIX_REAL", "0.5")
		f.Add(b, EnvPrefix+"SEED", "-1")
		f.Add(b, EnvPrefix+"DATA", "{}")
	})
	f.Fuzz(func(t *testing.T, raw []byte, key, value string) {
		cfg, err := Parse(raw, nil, []string{key + "=" + value})
		if err != nil {
			return
		}
		if cfg.Validate() == nil {
			checkAccepted(t, cfg)
		}
	})
}
