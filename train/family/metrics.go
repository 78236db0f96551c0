package family

import (
	"math"

	"github.com/selfconsume/selfconsume/data"
	"github.com/selfconsume/selfconsume/runfolder"
)

// ZeroMassFloor is the probability, as a fraction of the uniform 1/V, below
// which a model is said to have dropped a token: zero_mass is the real mass
// q(c, y) on cells where p(y|c) < ZeroMassFloor / V.
const ZeroMassFloor = 0.01

// TableMetrics are the exact metrics of a model table against the real one:
// kl_real = E_c KL(q(.|c) || p(.|c)), tv_real = E_c TV, entropy = E_c H(p(.|c))
// (nats), and zero_mass.
func TableMetrics(p, q *data.Table, ctx []float64) (kl, tv, ent, zero float64) {
	floor := ZeroMassFloor / float64(p.V)
	for c := 0; c < p.C; c++ {
		pr, qr := p.Row(c), q.Row(c)
		var k, t, h, z float64
		for y, pv := range pr {
			qv := qr[y]
			if qv > 0 {
				k += qv * math.Log(qv/pv)
			}
			t += math.Abs(pv - qv)
			if pv > 0 {
				h -= pv * math.Log(pv)
			}
			if pv < floor {
				z += qv
			}
		}
		kl += ctx[c] * k
		tv += ctx[c] * t / 2
		ent += ctx[c] * h
		zero += ctx[c] * z
	}
	return
}

// TV returns the context-weighted total variation distance between two tables.
func TV(a, b *data.Table, ctx []float64) float64 { return a.TV(ctx, b) }

// KL returns the context-weighted divergence sum_c w(c) KL(a(.|c) || b(.|c))
// in nats (+Inf where b is 0 on a cell a charges); see data.Table.KL.
func KL(a, b *data.Table, ctx []float64) float64 { return a.KL(ctx, b) }

// EmpiricalLaw is the law of a categorical set: per context the token
// frequencies, and the context frequencies (rows of unseen contexts are
// left 0 and weigh 0).
func EmpiricalLaw(set data.Set, c, v int) (*data.Table, []float64) {
	e := data.NewTable(c, v)
	ctx := make([]float64, c)
	for _, x := range set {
		e.P[int(x.Context)*v+int(x.Token)]++
		ctx[x.Context]++
	}
	for k := 0; k < c; k++ {
		if ctx[k] > 0 {
			row := e.Row(k)
			for y := range row {
				row[y] /= ctx[k]
			}
		}
		ctx[k] /= float64(len(set))
	}
	return e, ctx
}

// RewardModelsCSV is reward_models.csv: how well each learned curator
// matches its population's truth.
func RewardModelsCSV(stats []RewardModelStats) []byte {
	var rows []runfolder.RewardModelRow
	for _, s := range stats {
		rows = append(rows, runfolder.RewardModelRow{Population: s.Population, Metric: "final_loss", Value: s.FinalLoss},
			runfolder.RewardModelRow{Population: s.Population, Metric: "pair_agreement", Value: s.PairAgreement},
			runfolder.RewardModelRow{Population: s.Population, Metric: "spearman", Value: s.Spearman})
	}
	return runfolder.RewardModelsCSV(rows)
}
