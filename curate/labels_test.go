package curate

import (
	"math"
	"testing"

	"github.com/selfconsume/selfconsume/data"
)

// Token a beats b with probability sigmoid((r_a - r_b)/T), then flips with
// probability Noise: the observed win rate is within 4 standard errors.
func TestLabellerBradleyTerry(t *testing.T) {
	truth := data.NewTable(1, 2)
	truth.P[0], truth.P[1] = 1.0, 0.2
	for _, c := range []struct{ temp, noise float64 }{{1, 0}, {0.5, 0}, {1, 0.2}, {0, 0.1}} {
		l := Labeller{Truth: truth, Temperature: c.temp, Noise: c.noise}
		p := 1.0
		if c.temp > 0 {
			p = 1 / (1 + math.Exp(-(0.8)/c.temp))
		}
		p = p*(1-c.noise) + (1-p)*c.noise
		rng := data.Stream(4, data.PurposeLabels)
		const n = 50000
		wins := 0
		for i := 0; i < n; i++ {
			if l.Label(rng, 0, 0, 1).Winner == 0 {
				wins++
			}
		}
		se := math.Sqrt(p * (1 - p) / n)
		if got := float64(wins) / n; math.Abs(got-p) > 4*se+1e-12 {
			t.Errorf("T %g noise %g: token 0 wins %.4f, want %.4f +- %.4f", c.temp, c.noise, got, p, 4*se)
		}
	}
}

func TestSpearmanAndPairAgreement(t *testing.T) {
	if r := Spearman([]float64{1, 2, 3, 4}, []float64{10, 20, 30, 40}); r != 1 {
		t.Fatalf("monotone: %g", r)
	}
	if r := Spearman([]float64{1, 2, 3, 4}, []float64{4, 3, 2, 1}); r != -1 {
		t.Fatalf("reversed: %g", r)
	}
	truth := &data.Table{C: 1, V: 3, P: []float64{0, 1, 2}}
	learned := &data.Table{C: 1, V: 3, P: []float64{0, 2, 1}} // orders 2 of 3 pairs right
	if a := PairAgreement(learned, truth, []float64{1}); math.Abs(a-2.0/3) > 1e-15 {
		t.Fatalf("pair agreement %g, want 2/3", a)
	}
}

// A reward model fitted to Bradley-Terry labels orders held-out pairs like
// the true reward: pair agreement >= 0.85 (chance is 0.5) and rank
// correlation >= 0.8 on a 4 x 12 table.
func TestRewardModelLearnsTheTruth(t *testing.T) {
	const C, V = 4, 12
	truth := RandomReward(data.Stream(5, data.PurposeReward), C, V, 1)
	rm, err := NewRewardModel(C, V, RewardModelConfig{Hidden: []int{32, 32}, Batch: 128, LR: 3e-3}, data.Stream(5, data.PurposeRewardModel))
	if err != nil {
		t.Fatal(err)
	}
	defer rm.Close()
	rng := data.Stream(5, data.PurposeLabels)
	lab := Labeller{Truth: truth, Temperature: 1}
	if _, err := rm.Fit(400, func() Pair { return lab.Label(rng, rng.IntN(C), rng.IntN(V), rng.IntN(V)) }); err != nil {
		t.Fatal(err)
	}
	learned := rm.Table()
	agree := PairAgreement(learned, truth, data.UniformContext(C))
	rho := Spearman(learned.P, truth.P)
	t.Logf("pair agreement %.3f, Spearman %.3f", agree, rho)
	if agree < 0.85 || rho < 0.8 {
		t.Fatalf("pair agreement %.3f, Spearman %.3f: want >= 0.85 and >= 0.8", agree, rho)
	}
}
