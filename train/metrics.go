package train

import (
	"math"

	"github.com/selfconsume/selfconsume/data"
	"github.com/selfconsume/selfconsume/runfolder"
)

// Row is one number of a run: the tidy metrics.csv line
// generation,model,metric,value (runfolder.Row).
type Row = runfolder.Row

// ZeroMassFloor is the probability, as a fraction of the uniform 1/V, below
// which a model is said to have dropped a token: zero_mass is the real mass
// q(c, y) on cells where p(y|c) < ZeroMassFloor / V.
const ZeroMassFloor = 0.01

// tableMetrics are the exact metrics of a model table against the real one:
// kl_real = E_c KL(q(.|c) || p(.|c)), tv_real = E_c TV, entropy = E_c H(p(.|c))
// (nats), and zero_mass.
func tableMetrics(p, q *data.Table, ctx []float64) (kl, tv, ent, zero float64) {
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

// nll is the mean negative log-likelihood of a sample set under p.
func nll(p *data.Table, set data.Set) float64 {
	if len(set) == 0 {
		return math.NaN()
	}
	s := 0.0
	for _, x := range set {
		s -= math.Log(p.At(int(x.Context), int(x.Token)))
	}
	return s / float64(len(set))
}

// relChange is |a - b| / |b| over parameter vectors.
func relChange(a, b []float64) float64 {
	var d, n float64
	for i := range a {
		x := float64(a[i]) - float64(b[i])
		d += x * x
		n += float64(b[i]) * float64(b[i])
	}
	if n == 0 {
		return math.Inf(1)
	}
	return math.Sqrt(d / n)
}
