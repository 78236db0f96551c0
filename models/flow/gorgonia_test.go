package flow

import (
	"testing"

	G "gorgonia.org/gorgonia"
)

// gorgoniaLogProb runs a forward-only gorgonia graph of the flow's current
// parameters, built from gorgonia's own ops, on the points x (pairs) and
// returns log p per point.
func gorgoniaLogProb(t testing.TB, f *Flow, x []float64) []float64 {
	t.Helper()
	n := len(x) / 2
	cfg := f.Config()
	p := f.Params()
	vals := make([][]float64, 0, cfg.Depth*perCoupling)
	shapes := paramShapes(cfg.Hidden)
	off := 0
	for i := 0; i < cfg.Depth*perCoupling; i++ {
		s := shapes[i%perCoupling]
		vals = append(vals, p[off:off+s[0]*s[1]])
		off += s[0] * s[1]
	}
	gr, err := build(cfg, n, vals, false, unfused(G.Rectify))
	if err != nil {
		t.Fatal(err)
	}
	defer gr.vm.Close()
	rows := make([]int, n)
	for i := range rows {
		rows[i] = i
	}
	gr.fill(x, rows)
	if err := gr.vm.RunAll(); err != nil {
		t.Fatal(err)
	}
	out := column(gr.logp)
	gr.vm.Reset()
	return out
}
