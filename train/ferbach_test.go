package train

import (
	"context"
	"github.com/selfconsume/selfconsume/config"
	"math"
	"testing"

	"github.com/selfconsume/selfconsume/curate"
	"github.com/selfconsume/selfconsume/train/categorical"
)

// configs/classics/ferbach-tilt.yaml approximates Ferbach et al.'s K ->
// infinity limit (the exponential tilt) by K = 64, since curation.k is a
// count. On that config's world, iterating the K = 64 law and the tilt from
// the real table for its 8 generations stays within a context-weighted TV
// of 0.01 and an expected-reward difference of 0.01 at every generation
// (measured 0.0071 and 0.0079, at generations 6 and 3). The error is
// O(1/K): at K = 128 the largest TV is half of K = 64's (ratio within
// 2 +- 0.3), so the K = 64 number is the approximation's error, not a
// numerical artefact. The loop and its prediction both use K = 64, so
// compare's checks do not see this error; it only bounds how far the
// classic is from the published K -> infinity statement.
func TestFerbachTiltApproximation(t *testing.T) {
	cfg, err := config.Load("../configs/classics/ferbach-tilt.yaml", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	w, err := categorical.NewWorld(cfg)
	if err != nil {
		t.Fatal(err)
	}
	r := w.Truth[0] // reward_model.use: true: the curator is the true reward
	// worst is the largest TV and reward difference over the generations
	// between the K-choice law's trajectory and the tilt's.
	worst := func(k int) (tv, dr float64) {
		finite := curate.Law{K: k, Tau: cfg.Curation.Tau}
		tilt := curate.Law{Tau: cfg.Curation.Tau, Infinite: true}
		pk, pi := w.Real, w.Real
		for g := 1; g <= cfg.Generations; g++ {
			pk, pi = finite.ApplyTable(pk, r), tilt.ApplyTable(pi, r)
			rk, ri := pk.Expect(w.Context, r), pi.Expect(w.Context, r)
			t.Logf("K = %d, generation %d: TV to the tilt %.5f, reward %.4f vs %.4f", k, g, pk.TV(w.Context, pi), rk, ri)
			tv, dr = math.Max(tv, pk.TV(w.Context, pi)), math.Max(dr, math.Abs(rk-ri))
		}
		return tv, dr
	}
	tv, dr := worst(cfg.Curation.K)
	if cfg.Curation.K != 64 || tv > 0.01 || dr > 0.01 {
		t.Errorf("K = %d against the tilt: TV up to %.4f, reward difference up to %.4f; want K = 64 and both <= 0.01",
			cfg.Curation.K, tv, dr)
	}
	if tv2, _ := worst(2 * cfg.Curation.K); math.Abs(tv/tv2-2) > 0.3 {
		t.Errorf("TV to the tilt %.5f at K = %d, %.5f at K = %d: ratio %.3g, want 2 +- 0.3 (O(1/K))",
			tv, cfg.Curation.K, tv2, 2*cfg.Curation.K, tv/tv2)
	}
}

// ferbach-tilt.yaml fits each generation full-batch so that the fit is the
// maximum-likelihood table of its curated sample, which the published
// statement and the finite-sample spread assume. Over its first 4
// generations (seed 1) fit_excess, KL(sample's table || fit), stays below
// 2e-4 (measured at most 5.3e-5; the minibatch fit of 256 samples and 5
// epochs it replaced measured 1.1e-3 to 2.6e-3, and its spread check
// disagreed).
func TestFerbachTiltFitsItsSample(t *testing.T) {
	cfg, err := config.Load("../configs/classics/ferbach-tilt.yaml", []string{"generations=4", "theory.predict=false"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Run(context.Background(), cfg, Options{})
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, r := range res.Rows {
		if r.Metric != MetricFitExcess {
			continue
		}
		seen++
		t.Logf("generation %d: fit_excess %.3g", r.Generation, r.Value)
		if !(r.Value < 2e-4) {
			t.Errorf("generation %d: fit_excess %.3g, want < 2e-4 (the fit is its sample's count table)", r.Generation, r.Value)
		}
	}
	if seen != cfg.Generations {
		t.Errorf("%d fit_excess rows, want %d", seen, cfg.Generations)
	}
}
