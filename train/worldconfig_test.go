package train

import (
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/selfconsume/selfconsume/config"
	"github.com/selfconsume/selfconsume/train/categorical"
)

func TestLoadResolvesTableFiles(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "q.csv"), []byte("1,2,3,4,0\n0,0,1,0,0\n5,5,5,5,5\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "c.yaml")
	if err := os.WriteFile(path, []byte(twoModels+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(path, []string{"data.real=table", "data.file=q.csv"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	w, err := categorical.NewWorld(cfg)
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
	w, err := categorical.NewWorld(cfg)
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
	bad, err := config.Parse([]byte(twoModels), []string{"theory.knob.model=b", "theory.knob.shift=0.1"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckConfig(bad); err == nil || !strings.Contains(err.Error(), "theory.knob.model = b") {
		t.Fatalf("a shift on a model without curated data must fail validation, got %v", err)
	}
}

func TestWorldSeedFixesTheWorldAcrossSeeds(t *testing.T) {
	a, _ := categorical.NewWorld(mustParse(t, twoModels, "seed=1", "world_seed=5"))
	b, _ := categorical.NewWorld(mustParse(t, twoModels, "seed=2", "world_seed=5"))
	c, _ := categorical.NewWorld(mustParse(t, twoModels, "seed=5"))
	d, _ := categorical.NewWorld(mustParse(t, twoModels, "seed=6"))
	if !slices.Equal(a.Real.P, b.Real.P) || !slices.Equal(a.Truth[0].P, c.Truth[0].P) {
		t.Fatal("world_seed does not fix the real data and rewards")
	}
	if slices.Equal(c.Real.P, d.Real.P) {
		t.Fatal("different seeds gave the same world")
	}
}

func TestContextDistributions(t *testing.T) {
	w, err := categorical.NewWorld(mustParse(t, twoModels, "data.context=weights", "data.context_weights=[1, 0, 3]"))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(w.Context, []float64{0.25, 0, 0.75}) {
		t.Fatalf("context %v, want [0.25 0 0.75]", w.Context)
	}
	z, _ := categorical.NewWorld(mustParse(t, twoModels, "data.context=zipf", "data.context_exponent=1"))
	// 1, 1/2, 1/3 normalised by 11/6.
	if math.Abs(z.Context[0]-6.0/11) > 1e-15 || math.Abs(z.Context[2]-2.0/11) > 1e-15 {
		t.Fatalf("zipf context %v", z.Context)
	}
	bad, _ := config.Parse([]byte(twoModels), []string{"data.context=weights", "data.context_weights=[1, 2]"}, nil)
	if err := CheckConfig(bad); err == nil || !strings.Contains(err.Error(), "data.context_weights") {
		t.Fatalf("wrong number of weights: %v", err)
	}
}
