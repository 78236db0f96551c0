package flow

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/selfconsume/selfconsume/data"
)

// fitCase is a training budget for the 8-Gaussian ring.
type fitCase struct {
	name       string
	cfg        Config
	steps      int     // at cfg.LR
	decaySteps int     // then at cfg.LR/4
	maxGap     float64 // allowed held-out NLL minus the true entropy, nats
	seed       uint64  // data, initialisation and minibatch order
}

// fitRing trains a flow on 20,000 ring points and returns it with its
// held-out NLL (10,000 points from a separate stream) and the ring's entropy.
func fitRing(t *testing.T, tc fitCase) (f *Flow, nll, entropy float64) {
	t.Helper()
	ring := ring8(t)
	x, held := data.TrainHeldOut(ring, tc.seed, 20000, 10000)
	f = newFlow(t, tc.cfg, tc.seed)
	rng := data.Stream(tc.seed, data.PurposeTrain)
	start := time.Now()
	if _, err := f.Steps(x, tc.steps, rng); err != nil {
		t.Fatal(err)
	}
	if tc.decaySteps > 0 {
		if err := f.SetLR(tc.cfg.LR / 4); err != nil {
			t.Fatal(err)
		}
		if _, err := f.Steps(x, tc.decaySteps, rng); err != nil {
			t.Fatal(err)
		}
	}
	nll, entropy = heldOutNLL(f, held), ring.Entropy()
	t.Logf("%s, seed %d: %d+%d steps in %v: held-out NLL %.4f, entropy %.4f, gap %.4f",
		tc.name, tc.seed, tc.steps, tc.decaySteps, time.Since(start).Round(time.Millisecond), nll, entropy, nll-entropy)
	return f, nll, entropy
}

// TestFitRingWithinPointThreeNats is the full check (skipped with -short): on
// the 8-Gaussian ring (radius 2, std 0.2, entropy 1.698 nats) the held-out
// NLL comes within 0.3 nats of the entropy, for a depth-8 width-64 flow and
// for bench-2d's sizes, each with 1000 Adam steps at its learning rate and 500
// at a quarter of it. A single fit's gap varies with the seed, and with the
// rounding of the multiplies: at bench-2d's sizes, seeds 21-26 gave
// 0.17-0.33 (mean 0.25, sd 0.05), so that case asserts the mean of three
// seeds (sd of the mean about 0.03) and no single fit above 0.4. The
// depth-8 width-64 flow measured 0.14-0.17 and is checked on one seed.
// The fitted density also integrates to 1 within 1%, and every mode gets
// between 1/16 and 3/16 of the samples (1/8 each in truth).
func TestFitRingWithinPointThreeNats(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("full fit (about 25 s on 2 cores); TestFitRingShort is the quick check")
	}
	for _, tc := range []struct {
		fitCase
		seeds   []uint64
		maxEach float64
	}{
		{fitCase{"depth 8 width 64", Config{Depth: 8, Hidden: 64, Batch: 256, LR: 2e-3, MaxLogScale: 2, Float32: true}, 1000, 500, 0.3, 0}, []uint64{21}, 0.3},
		{fitCase{"bench-2d sizes", DefaultConfig(), 1000, 500, 0.3, 0}, []uint64{21, 22, 23}, 0.4},
	} {
		t.Run(strings.ReplaceAll(tc.name, " ", "_"), func(t *testing.T) {
			gaps := make([]float64, len(tc.seeds))
			t.Run("seeds", func(t *testing.T) { // returns when its parallel subtests are done
				for i, seed := range tc.seeds {
					t.Run(fmt.Sprint(seed), func(t *testing.T) {
						t.Parallel()
						fc := tc.fitCase
						fc.seed = seed
						gaps[i] = checkRingFit(t, fc)
					})
				}
			})
			mean := 0.0
			for i, g := range gaps {
				mean += g / float64(len(gaps))
				if !(g <= tc.maxEach) {
					t.Errorf("seed %d: held-out NLL is %.4f nats above the entropy; want <= %g", tc.seeds[i], g, tc.maxEach)
				}
			}
			if !(mean <= tc.maxGap) {
				t.Errorf("mean gap over seeds %v is %.4f nats; want <= %g", tc.seeds, mean, tc.maxGap)
			}
		})
	}
}

// checkRingFit fits the ring, checks the fitted density's mass and modes,
// and returns the held-out NLL's gap to the entropy.
func checkRingFit(t *testing.T, tc fitCase) float64 {
	f, nll, h := fitRing(t, tc)
	s := f.Sample(data.Stream(tc.seed, data.PurposeEval, 1), 20000)
	in, out := gridMass(f, 5, 0.04, s)
	if math.Abs(in+out-1) > 0.01 {
		t.Errorf("seed %d: fitted density integrates to %.4f + %.4f outside, want 1 +- 0.01", tc.seed, in, out)
	}
	counts := data.ModeCounts(ring8(t), s)
	for k, c := range counts {
		if w := float64(c) / 20000; w < 1.0/16 || w > 3.0/16 {
			t.Errorf("seed %d: mode %d has weight %.3f, want within [1/16, 3/16]", tc.seed, k, w)
		}
	}
	t.Logf("seed %d: mode counts of 20000 samples: %v", tc.seed, counts)
	return nll - h
}

// TestFitRingShort is the quick, weaker fit check: a depth-6 width-32 flow
// after 250 steps at 3e-3 and 250 at 7.5e-4 comes within 0.8 nats of the
// ring's entropy (measured 0.37; a standard normal is 2.2 nats off).
func TestFitRingShort(t *testing.T) {
	t.Parallel()
	_, nll, h := fitRing(t, fitCase{"depth 6 width 32", smallConfig(true), 250, 250, 0.8, 21})
	if gap := nll - h; !(gap <= 0.8) {
		t.Errorf("held-out NLL %.4f is %.4f nats above the entropy %.4f; want <= 0.8", nll, gap, h)
	}
}

// TestNonFiniteLossNamesTheStep forces an overflowing shift and checks that
// training stops with an error naming the step and keeps the parameters.
func TestNonFiniteLossNamesTheStep(t *testing.T) {
	t.Parallel()
	for _, f32 := range []bool{false, true} {
		f := newFlow(t, smallConfig(f32), 22)
		x := ring8(t).Sample(data.Stream(22, data.PurposeEval), 512)
		if _, err := f.Steps(x, 3, data.Stream(22, data.PurposeTrain)); err != nil {
			t.Fatal(err)
		}
		p := f.Params()
		h := f.Config().Hidden
		bm := 2*h + h*h + h + h // offset of coupling 0's bm
		p[bm] = 1e30
		if !f32 {
			p[bm] = 1e200
		}
		if err := f.SetParams(p); err != nil {
			t.Fatal(err)
		}
		p = f.Params() // as stored (rounded to float32)
		_, err := f.Steps(x, 5, data.Stream(22, data.PurposeTrain))
		if err == nil || !strings.Contains(err.Error(), "step 4") {
			t.Errorf("float32=%v: error %v, want one naming step 4", f32, err)
		}
		if d := maxAbsDiff(p, f.Params()); d != 0 {
			t.Errorf("float32=%v: the failed step changed the parameters by %g", f32, d)
		}
		if f.StepsTaken() != 3 {
			t.Errorf("float32=%v: %d steps counted, want 3", f32, f.StepsTaken())
		}
	}
}
