package train

import (
	"errors"
	"path/filepath"
	"testing"

	"github.com/selfconsume/selfconsume/config"
)

// Each family checks the keys only it reads, naming the key: after the
// common checks of config.Config.Validate, which know no family.
func TestFamiliesValidateTheirOwnKeys(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nope.csv")
	for _, c := range []struct {
		name string
		base string
		sets []string
		key  string
	}{
		{"unknown kind", "../configs/quickstart.yaml", []string{"data.kind=bogus"}, "data.kind"},
		{"table size", "../configs/quickstart.yaml", []string{"data.contexts=5000", "data.tokens=5000"}, "data.contexts"},
		{"missing real table", "../configs/quickstart.yaml", []string{"data.real=table", "data.file=" + missing}, "data.file"},
		{"context weights", "../configs/quickstart.yaml", []string{"data.context=weights", "data.context_weights=[1]"}, "data.context_weights"},
		{"plane reward on tables", "../configs/quickstart.yaml", []string{"populations.alice.reward=linear"}, "populations.0.reward"},
		{"table reward on the plane", "../configs/ring-2d.yaml", []string{"populations.0.reward=random"}, "populations.0.reward"},
		{"plane shape", "../configs/ring-2d.yaml", []string{"data.plane.shape=square"}, "data.plane.shape"},
		{"flow depth", "../configs/ring-2d.yaml", []string{"models.0.depth=0"}, "models.0.depth"},
		{"sequences per prompt", "../configs/sequence-quickstart.yaml", []string{"data.tokens=32"}, "data.sequence.length"},
		{"table reward on sequences", "../configs/sequence-quickstart.yaml", []string{"populations.alice.reward=linear"}, "populations.0.reward"},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg, err := config.Load(c.base, c.sets, nil)
			if err != nil {
				t.Fatalf("the common checks refused it already: %v", err)
			}
			err = CheckConfig(cfg)
			var ce *config.Error
			if !errors.As(err, &ce) || ce.Key != c.key {
				t.Fatalf("want an error naming %s, got %v", c.key, err)
			}
			if err := Validate(cfg); err == nil {
				t.Fatal("Validate let it through")
			}
		})
	}
	for _, path := range []string{"../configs/quickstart.yaml", "../configs/ring-2d.yaml", "../configs/sequence-quickstart.yaml"} {
		cfg, err := config.Load(path, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := CheckConfig(cfg); err != nil {
			t.Errorf("%s: %v", path, err)
		}
	}
}
