package train

import (
	"context"
	"errors"
	"github.com/selfconsume/selfconsume/config"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/selfconsume/selfconsume/data"
	"github.com/selfconsume/selfconsume/runfolder"
)

// ringPair is a small 2-D loop of two flows that consume each other's raw and
// curated samples, curated by a learned reward model refitted every
// generation: every stream of the loop is used.
const ringPair = `
name: ring-pair
seed: 5
generations: 2
data:
  kind: planar
  heldout: 600
  plane: {shape: ring, count: 8, radius: 2, std: 0.2, resolution: 8, plot_resolution: 8, eval: 600, plotted: 20}
populations:
  - {name: right, reward: distance, point: [2, 0], gamma: 1, r_min: 0.2}
  - {name: left, reward: negate, of: right}
reward_model: {use: learned, hidden: [16], steps: 40, batch: 64, lr: 0.005, refit: true, refit_steps: 10}
curation: {k: 3, tau: 0.5}
theory: {predict: false}
models:
  - {name: p, population: right, hidden: [16], depth: 2, n: 512, epochs: 1, batch: 128, lr: 0.003, init_steps: 40,
     mix: {real: 0.5, curated: {p: 0.25, q: 0.25}}}
  - {name: q, population: left, hidden: [16], depth: 2, n: 512, epochs: 1, batch: 128, lr: 0.003, init_steps: 40,
     mix: {real: 0.25, raw: {p: 0.25}, curated: {q: 0.5}}}
`

// minimalMetricSet is the metric set config.MetricsMinimal documents for one model
// at generation t.
func minimalMetricSet(cfg config.Config, t int) []string {
	var out []string
	for _, p := range cfg.Populations {
		out = append(out, "reward/"+p.Name)
	}
	if cfg.Data.Kind != "planar" {
		out = append(out, "kl_real")
	}
	if t > 0 {
		out = append(out, "param_delta", "curation_entropy", "curation_gap")
		if cfg.Theory.Predict {
			out = append(out, "tv_pred")
		}
	}
	for _, s := range data.Sources() {
		out = append(out, "share/"+s.String())
	}
	slices.Sort(out)
	return out
}

type rowKey struct {
	gen           int
	model, metric string
}

// checkMinimal runs cfg with metrics full and minimal and checks that the
// minimal run's rows are exactly the documented set, each equal (==) to the
// full run's value: the training trajectory did not change.
func checkMinimal(t *testing.T, cfg config.Config, minOpt Options) (full, minimal *Result) {
	t.Helper()
	cfg.Metrics = config.MetricsFull
	full = run(t, cfg, Options{})
	cfg.Metrics = config.MetricsMinimal
	minimal = run(t, cfg, minOpt)

	fv := map[rowKey]float64{}
	for _, r := range full.Rows {
		fv[rowKey{r.Generation, r.Model, r.Metric}] = r.Value
	}
	got := map[rowKey]float64{}
	for _, r := range minimal.Rows {
		k := rowKey{r.Generation, r.Model, r.Metric}
		if _, dup := got[k]; dup {
			t.Errorf("minimal run has %v twice", k)
		}
		got[k] = r.Value
	}
	for g := 0; g <= cfg.Generations; g++ {
		want := minimalMetricSet(cfg, g)
		for _, m := range cfg.Models {
			var have []string
			for k := range got {
				if k.gen == g && k.model == m.Name {
					have = append(have, k.metric)
				}
			}
			slices.Sort(have)
			if !slices.Equal(have, want) {
				t.Errorf("generation %d, model %s: minimal metrics %v, want %v", g, m.Name, have, want)
			}
			for _, p := range cfg.Populations {
				k := rowKey{g, m.Name, "reward/" + p.Name}
				a, okF := fv[k]
				b, okM := got[k]
				if !okF || !okM || a != b {
					t.Errorf("%v: full %v (%v), minimal %v (%v): want identical", k, a, okF, b, okM)
				}
			}
		}
	}
	// Every other number minimal keeps (param_delta, the curation stats,
	// the training set's make-up) is the same too.
	for _, k := range slices.SortedFunc(maps.Keys(got), func(a, b rowKey) int {
		return cmpRowKey(a, b)
	}) {
		if a, ok := fv[k]; !ok || math.Float64bits(a) != math.Float64bits(got[k]) {
			t.Errorf("%v: minimal %v, full %v (present %v)", k, got[k], a, ok)
		}
	}
	if len(full.Rows) <= len(minimal.Rows) {
		t.Errorf("full run has %d rows, minimal %d: full should measure more", len(full.Rows), len(minimal.Rows))
	}
	return full, minimal
}

func cmpRowKey(a, b rowKey) int {
	if a.gen != b.gen {
		return a.gen - b.gen
	}
	if a.model != b.model {
		if a.model < b.model {
			return -1
		}
		return 1
	}
	if a.metric < b.metric {
		return -1
	}
	if a.metric > b.metric {
		return 1
	}
	return 0
}

// metrics: minimal on the plane keeps only reward/<population> (and the
// loop's bookkeeping), skips the grid tables, and trains the same flows: the
// rewards equal full's bit for bit. The minimal run writes its folder and
// checkpoint (no grid tables in it) and resumes to the same metrics.
func TestMinimalMetricsPlanarSameTrajectory(t *testing.T) {
	cfg := mustParse(t, ringPair)
	dir := filepath.Join(t.TempDir(), "minimal")
	_, minimal := checkMinimal(t, cfg, Options{Out: dir})
	if minimal.Tables != nil {
		t.Errorf("minimal planar run without theory.predict kept %d generations of grid tables", len(minimal.Tables))
	}
	for _, f := range []string{runfolder.MetricsFile, "density.csv", "samples.csv", runfolder.CheckpointFile} {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
			t.Errorf("minimal run folder: %s missing or empty (%v)", f, err)
		}
	}

	// Interrupted after generation 1 and resumed: the same metrics.csv.
	cfg.Metrics = config.MetricsMinimal
	cut := filepath.Join(t.TempDir(), "cut")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, err := Run(ctx, cfg, Options{Out: cut, Observe: func(r GenerationReport) {
		if r.Generation == 1 {
			cancel()
		}
	}})
	if !errors.Is(err, ErrInterrupted) {
		t.Fatalf("want ErrInterrupted, got %v", err)
	}
	run(t, cfg, Options{Out: cut, Resume: true})
	a, _ := os.ReadFile(filepath.Join(dir, runfolder.MetricsFile))
	b, _ := os.ReadFile(filepath.Join(cut, runfolder.MetricsFile))
	if len(a) == 0 || string(a) != string(b) {
		t.Errorf("metrics.csv differs after resume (%d vs %d bytes)", len(a), len(b))
	}
}

// With theory.predict on, minimal still computes the grid tables the
// prediction needs and keeps tv_pred; the trajectory is again full's.
func TestMinimalMetricsPlanarWithPrediction(t *testing.T) {
	cfg := mustParse(t, ringPair, "theory.predict=true", "generations=1")
	_, minimal := checkMinimal(t, cfg, Options{})
	if len(minimal.Tables) != cfg.Generations+1 {
		t.Errorf("minimal run with theory.predict kept %d generations of grid tables, want %d", len(minimal.Tables), cfg.Generations+1)
	}
}

// metrics: minimal on categorical data keeps reward/<population> and
// kl_real, with and without the prediction, and trains the same models.
func TestMinimalMetricsCategoricalSameTrajectory(t *testing.T) {
	for _, predict := range []string{"false", "true"} {
		t.Run("predict="+predict, func(t *testing.T) {
			cfg := mustParse(t, twoModels, "theory.predict="+predict, "generations=3", "models.a.init_steps=50",
				"models.b.init_steps=50", "reward_model.steps=40", "reward_model.hidden=[8]",
				"reward_model.refit=true", "reward_model.refit_steps=10")
			checkMinimal(t, cfg, Options{Out: filepath.Join(t.TempDir(), "minimal")})
		})
	}
}

// predict starts from generation 0's grid tables, which a planar run under
// metrics minimal (and without theory.predict) does not keep by itself.
func TestMinimalMetricsPredictExperimentPlanar(t *testing.T) {
	cfg := mustParse(t, ringPair, "metrics=minimal")
	p, _, err := PredictExperiment(context.Background(), cfg, t.TempDir(), config.CuratorLearned)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Trajectory) != cfg.Generations+1 {
		t.Fatalf("predicted %d generations, want %d", len(p.Trajectory), cfg.Generations+1)
	}
}

// A run folder from before the metrics key (its config.yaml has none)
// measured everything: it resumes under the default, full.
func TestResumeRunFolderWithoutMetricsKey(t *testing.T) {
	cfg := mustParse(t, twoModels, "generations=1", "models.a.init_steps=20", "models.b.init_steps=20",
		"reward_model.steps=20", "reward_model.hidden=[8]")
	dir := filepath.Join(t.TempDir(), "old")
	run(t, cfg, Options{Out: dir})
	path := filepath.Join(dir, runfolder.ConfigFile)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	old := strings.Replace(string(b), "metrics: full\n", "", 1)
	if old == string(b) {
		t.Fatalf("config.yaml has no %q line:\n%s", "metrics: full", b)
	}
	if err := os.WriteFile(path, []byte(old), 0o644); err != nil {
		t.Fatal(err)
	}
	run(t, cfg, Options{Out: dir, Resume: true})
	cfg.Metrics = config.MetricsMinimal
	if _, err := Run(context.Background(), cfg, Options{Out: dir, Resume: true}); err == nil || !strings.Contains(err.Error(), "differs") {
		t.Fatalf("resuming a full run with metrics minimal: want a config mismatch, got %v", err)
	}
}
