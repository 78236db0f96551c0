package train

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/selfconsume/selfconsume/config"
	"github.com/selfconsume/selfconsume/data"
	"github.com/selfconsume/selfconsume/models"
	"github.com/selfconsume/selfconsume/runfolder"
	"github.com/selfconsume/selfconsume/train/categorical"
	"github.com/selfconsume/selfconsume/train/family"
)

// small is a fast config: 4 contexts, 8 tokens, the true rewards curate.
const small = `
name: small
seed: 11
generations: 6
data: {contexts: 4, tokens: 8, concentration: 2, heldout: 1000}
populations:
  - {name: alice, reward: random, scale: 1}
reward_model: {use: "true"}
curation: {k: 4, tau: 0.5}
models:
  - name: m
    population: alice
    hidden: [32]
    n: 4000
    lr: 0.01
    epochs: 3
    init_steps: 300
    mix: {curated: {m: 1.0}}
`

// twoModels is the config package's small two-model config.
var twoModels = func() string {
	b, err := os.ReadFile("../config/testdata/two-models.yaml")
	if err != nil {
		panic(err)
	}
	return string(b)
}()

func mustParse(t *testing.T, y string, sets ...string) config.Config {
	t.Helper()
	cfg, err := config.Parse([]byte(y), sets, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := Validate(cfg); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// series returns metric values of one model by generation.
func series(rows []Row, model, metric string) []float64 {
	var out []float64
	for _, r := range rows {
		if r.Model == model && r.Metric == metric {
			out = append(out, r.Value)
		}
	}
	return out
}

func run(t *testing.T, cfg config.Config, opt Options) *Result {
	t.Helper()
	res, err := Run(context.Background(), cfg, opt)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// One curated model with no real data raises its true reward every
// generation and loses entropy (Ferbach et al.); with half real data it keeps
// the whole support of q.
func TestCurationWithoutRealDataCollapsesTowardsReward(t *testing.T) {
	res := run(t, mustParse(t, small), Options{})
	r := series(res.Rows, "m", "reward/alice")
	h := series(res.Rows, "m", "entropy")
	// The population map raises E[r] strictly each generation; the per-step
	// rise here is about 0.2, far above the sampling noise of one
	// generation (sd(r)/sqrt(n) = 0.016).
	for g := 1; g < len(r); g++ {
		if r[g] <= r[g-1] {
			t.Errorf("reward fell from %.4f to %.4f at generation %d", r[g-1], r[g], g)
		}
	}
	if r[len(r)-1]-r[0] < 0.5 || h[len(h)-1] > h[0]-0.5 {
		t.Errorf("reward %.3f -> %.3f, entropy %.3f -> %.3f: want reward +0.5 and entropy -0.5 nats", r[0], r[len(r)-1], h[0], h[len(h)-1])
	}

	anchored := run(t, mustParse(t, small, "models.m.mix={real: 0.5, curated: {m: 0.5}}"), Options{})
	zm := series(anchored.Rows, "m", "zero_mass")
	if last := zm[len(zm)-1]; last > 0.002 {
		t.Errorf("with half real data zero_mass = %.4f at the end, want < 0.002 (support kept)", last)
	}
	ra := series(anchored.Rows, "m", "reward/alice")
	if ra[len(ra)-1] <= ra[0] || ra[len(ra)-1] >= r[len(r)-1] {
		t.Errorf("anchored reward %.3f -> %.3f should rise, but less than the unanchored %.3f", ra[0], ra[len(ra)-1], r[len(r)-1])
	}
}

// With K = 1 the curator keeps a uniformly random candidate: retraining on
// one's own samples leaves the expected reward where it was, up to sampling
// noise. Resampling n points moves E[r] by a zero-mean step of variance
// v = E_c Var_{p(.|c)}(r) / n per generation, so over T generations the drift
// d has sd sqrt(T v). Over S seeds: |mean d| < 3 sd / sqrt(S), and the
// spread of d is at most twice the sampling sd (fitting noise included).
func TestNoCurationDriftsOnlyBySamplingNoise(t *testing.T) {
	const S = 8
	var drifts []float64
	var sd float64
	for s := 0; s < S; s++ {
		cfg := mustParse(t, small, "curation.k=1", fmt.Sprintf("seed=%d", 100+s))
		res := run(t, cfg, Options{})
		r := series(res.Rows, "m", "reward/alice")
		drifts = append(drifts, r[len(r)-1]-r[0])
		p0, truth := res.Tables[0][0], res.World.Truth[0]
		v := 0.0
		for c := 0; c < p0.C; c++ {
			m, m2 := 0.0, 0.0
			for y, p := range p0.Row(c) {
				m += p * truth.At(c, y)
				m2 += p * truth.At(c, y) * truth.At(c, y)
			}
			v += res.World.Context[c] * (m2 - m*m)
		}
		sd += math.Sqrt(float64(cfg.Generations)*v/float64(cfg.Models[0].N)) / S
	}
	mean, spread := 0.0, 0.0
	for _, d := range drifts {
		mean += d / S
	}
	for _, d := range drifts {
		spread += (d - mean) * (d - mean) / (S - 1)
	}
	spread = math.Sqrt(spread)
	t.Logf("drift mean %.4f sd %.4f; predicted sd %.4f", mean, spread, sd)
	if math.Abs(mean) > 3*sd/math.Sqrt(S) || spread > 2*sd {
		t.Fatalf("K=1 drift over seeds: mean %.4f, sd %.4f; sampling noise predicts mean 0 +- %.4f, sd %.4f (drifts %.3f)",
			mean, spread, 3*sd/math.Sqrt(S), sd, drifts)
	}
}

func TestSameSeedSameNumbersWhateverTheWorkers(t *testing.T) {
	cfg := mustParse(t, twoModels, "generations=2", "models.a.init_steps=20", "models.b.init_steps=20", "reward_model.steps=20", "reward_model.hidden=[8]")
	var files [][]byte
	for _, workers := range []int{1, 3} {
		cfg.Workers = workers
		dir := filepath.Join(t.TempDir(), "run")
		run(t, cfg, Options{Out: dir})
		b, err := os.ReadFile(filepath.Join(dir, runfolder.MetricsFile))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, b)
	}
	if string(files[0]) != string(files[1]) {
		t.Fatal("metrics.csv differs between 1 and 3 workers")
	}
}

// A run cancelled after generation 2 and resumed ends with the same files as
// a run that never stopped.
func TestResumeGivesTheSameNumbers(t *testing.T) {
	for _, regime := range []string{config.RegimeReplace, config.RegimeAccumulateSubsample} {
		t.Run(regime, func(t *testing.T) {
			cfg := mustParse(t, twoModels, "generations=4", "regime="+regime, "reward_model.steps=20", "reward_model.hidden=[8]",
				"reward_model.refit=true", "reward_model.refit_steps=5")
			whole := filepath.Join(t.TempDir(), "whole")
			run(t, cfg, Options{Out: whole})

			cut := filepath.Join(t.TempDir(), "cut")
			ctx, cancel := context.WithCancel(context.Background())
			_, err := Run(ctx, cfg, Options{Out: cut, Observe: func(r GenerationReport) {
				if r.Generation == 2 {
					cancel()
				}
			}})
			if !errors.Is(err, ErrInterrupted) {
				t.Fatalf("want ErrInterrupted, got %v", err)
			}
			if _, err := Run(context.Background(), cfg, Options{Out: cut}); err == nil {
				t.Fatal("a second run into the same folder without --resume must fail")
			}
			var seen []string // what the observer is told on the resumed run
			run(t, cfg, Options{Out: cut, Resume: true, Observe: func(r GenerationReport) {
				seen = append(seen, fmt.Sprintf("%d/%d", r.Generation, r.Generations))
			}})
			if got := strings.Join(seen, " "); got != "3/4 4/4" {
				t.Errorf("resumed run observed generations %q, want \"3/4 4/4\"", got)
			}
			for _, f := range []string{runfolder.MetricsFile, runfolder.TablesFile, runfolder.RewardModelsFile} {
				a, _ := os.ReadFile(filepath.Join(whole, f))
				b, _ := os.ReadFile(filepath.Join(cut, f))
				if len(a) == 0 || string(a) != string(b) {
					t.Errorf("%s differs after resume (%d vs %d bytes)", f, len(a), len(b))
				}
			}
			other := cfg
			other.Seed++
			if _, err := Run(context.Background(), other, Options{Out: cut, Resume: true}); err == nil || !strings.Contains(err.Error(), fmt.Sprintf("seed: %d != %d", cfg.Seed, other.Seed)) {
				t.Errorf("resume with a different seed must fail naming the key, got %v", err)
			}
		})
	}
}

// failingModel is a model whose training steps fail, as a non-finite loss
// does (learning rates are bounded, so a config cannot make one diverge on
// purpose).
type failingModel struct{ family.Trainable }

func (failingModel) FitContext(context.Context, data.Set, int, int, *rand.Rand) (models.FitStats, error) {
	return models.FitStats{Steps: 3}, &models.StepError{Step: 3, Err: errors.New("loss is NaN")}
}

func TestNonFiniteLossStopsWithModelGenerationAndStep(t *testing.T) {
	cfg := mustParse(t, small, "models.m.init_steps=5")
	l, start, err := begin(context.Background(), cfg, Options{}, categorical.Kind.New)
	if err != nil {
		t.Fatal(err)
	}
	defer l.close()
	l.models[0] = failingModel{l.models[0]}
	err = l.generation(start)
	var ne *NaNError
	if !errors.As(err, &ne) {
		t.Fatalf("want a NaNError, got %v", err)
	}
	if ne.Model != "m" || ne.Generation != 1 || ne.Step != 3 {
		t.Fatalf("error does not locate the failure: %+v", ne)
	}
}

// The training set of every model is mixed in exactly the configured counts.
func TestMixCountsAreExact(t *testing.T) {
	cfg := mustParse(t, twoModels, "generations=1", "models.a.n=203", "reward_model.steps=10", "reward_model.hidden=[8]")
	res := run(t, cfg, Options{})
	// Quotas 101.5, 50.75, 50.75: floors 101, 50, 50, and the two largest
	// remainders (0.75) take the last two samples.
	want := map[string]float64{"share/real": 101.0 / 203, "share/self-curated": 51.0 / 203, "share/cross-curated": 51.0 / 203}
	for metric, v := range want {
		got := series(res.Rows, "a", metric)
		if len(got) != 2 || got[1] != v {
			t.Errorf("%s = %v, want %g at generation 1", metric, got, v)
		}
	}
}
