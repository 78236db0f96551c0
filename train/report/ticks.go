package report

import (
	"math"
	"strconv"

	"gonum.org/v1/plot"
)

// intTicks marks whole numbers only (generations, indices).
type intTicks struct{}

// Ticks implements plot.Ticker.
func (intTicks) Ticks(lo, hi float64) []plot.Tick {
	a, b := math.Ceil(lo), math.Floor(hi)
	if b-a <= 10 {
		var ts []plot.Tick
		for v := a; v <= b; v++ {
			ts = append(ts, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', -1, 64)})
		}
		return ts
	}
	var ts []plot.Tick
	for _, t := range (plot.DefaultTicks{}).Ticks(lo, hi) {
		if t.Value != math.Trunc(t.Value) {
			continue
		}
		ts = append(ts, t)
	}
	return ts
}

// logTicks marks powers of ten on a log axis, labelling 2 and 5 times them
// too when the range spans less than two decades, and every other power
// when it spans more than ten.
type logTicks struct{}

// Ticks implements plot.Ticker.
func (logTicks) Ticks(lo, hi float64) []plot.Tick {
	if lo <= 0 || hi <= 0 || lo > hi {
		return nil
	}
	e0, e1 := int(math.Floor(math.Log10(lo))), int(math.Ceil(math.Log10(hi)))
	in := func(v float64) bool { return v >= lo*(1-1e-9) && v <= hi*(1+1e-9) }
	powers := 0
	for e := e0; e <= e1; e++ {
		if in(math.Pow10(e)) {
			powers++
		}
	}
	labelled := map[int]bool{1: true}
	if powers < 2 {
		labelled[2], labelled[5] = true, true
	}
	every := 1
	if powers > 10 {
		every = 2
	}
	var ts []plot.Tick
	for e := e0; e <= e1; e++ {
		for i := 1; i < 10; i++ {
			v := float64(i) * math.Pow10(e)
			if !in(v) {
				continue
			}
			t := plot.Tick{Value: v}
			if labelled[i] && (i != 1 || e%every == 0) {
				t.Label = strconv.FormatFloat(v, 'g', 3, 64)
			}
			ts = append(ts, t)
		}
	}
	return ts
}

// labelTicks names the whole positions 0..len(labels)-1, thinned to at most
// max labels.
type labelTicks struct {
	labels []string
	max    int
}

// Ticks implements plot.Ticker.
func (l labelTicks) Ticks(lo, hi float64) []plot.Tick {
	step := 1
	if l.max > 0 && len(l.labels) > l.max {
		step = (len(l.labels) + l.max - 1) / l.max
	}
	var ts []plot.Tick
	for i, s := range l.labels {
		if float64(i) < lo-1e-9 || float64(i) > hi+1e-9 {
			continue
		}
		t := plot.Tick{Value: float64(i)}
		if i%step == 0 {
			t.Label = s
		}
		ts = append(ts, t)
	}
	return ts
}

// log10Ticks marks an axis whose values are base-10 logarithms with the
// ticks of logTicks, labelled with the values themselves.
type log10Ticks struct{}

// Ticks implements plot.Ticker.
func (log10Ticks) Ticks(lo, hi float64) []plot.Tick {
	ts := logTicks{}.Ticks(math.Pow(10, lo), math.Pow(10, hi))
	for i := range ts {
		ts[i].Value = math.Log10(ts[i].Value)
	}
	return ts
}
