package train

import (
	"math"
	"path/filepath"
	"sort"
	"strconv"

	"github.com/selfconsume/selfconsume/config"
	"github.com/selfconsume/selfconsume/runfolder"
	"github.com/selfconsume/selfconsume/train/stats"
)

// summarize averages predictions over seeds.
func summarize(cfg config.Config, preds []*Prediction, worlds []*World) runfolder.Theory {
	ts := runfolder.Theory{Seeds: len(preds), Tol: runfolder.Float(cfg.Theory.Tol), FixedPoint: map[string]map[string]runfolder.Float{},
		FixedPointStability: map[string]string{}, FixedPointEmptied: map[string]runfolder.Float{}}
	if len(preds) == 0 {
		return ts
	}
	ts.Curator = preds[0].Curator
	var rho, gens, gensMap, conv, resid []float64
	ts.Contraction.Holds = true
	attracting := make([]int, len(cfg.Models))
	stability := make([]map[string]int, len(cfg.Models))
	emptied := make([][]float64, len(cfg.Models))
	for i := range stability {
		stability[i] = map[string]int{}
	}
	for s, p := range preds {
		rho = append(rho, p.Rho())
		gens = append(gens, p.GenerationsToTol())
		gensMap = append(gensMap, generations(p.GenerationsMap))
		if g := p.PredictedConvergence(worlds[s].Context); g >= 0 {
			conv = append(conv, float64(g))
		} else {
			conv = append(conv, math.NaN())
		}
		ct := p.Contraction
		ts.Contraction.Bound = runfolder.Float(math.Max(float64(ts.Contraction.Bound), ct.Max))
		ts.Contraction.BoundLower = runfolder.Float(math.Max(float64(ts.Contraction.BoundLower), ct.MaxLower))
		if ct.Verdict != "contraction" {
			ts.Contraction.Holds = false
		}
		if s == 0 || ct.Verdict != ts.Contraction.Verdict && ts.Contraction.Verdict == "contraction" {
			ts.Contraction.Verdict = ct.Verdict
		}
		if p.Fixed == nil {
			ts.FixedPointFailures++
			continue
		}
		resid = append(resid, p.Fixed.Residual)
		for i, m := range cfg.Models {
			stability[i][p.Stability(i)]++
			emptied[i] = append(emptied[i], p.Fixed.Emptied[i])
			if !p.Predicted(i) {
				continue
			}
			attracting[i]++
			if ts.FixedPoint[m.Name] == nil {
				ts.FixedPoint[m.Name] = map[string]runfolder.Float{}
			}
			for a, pop := range cfg.Populations {
				ts.FixedPoint[m.Name]["reward/"+pop.Name] += runfolder.Float(p.Fixed.J[i][a])
			}
		}
		if p.InfluenceErr != nil {
			ts.InfluenceErrors = append(ts.InfluenceErrors, p.InfluenceErr.Error())
		}
	}
	for i, m := range cfg.Models {
		for k := range ts.FixedPoint[m.Name] {
			ts.FixedPoint[m.Name][k] /= runfolder.Float(attracting[i])
		}
		if len(emptied[i]) > 0 {
			ts.FixedPointStability[m.Name] = mostCommon(stability[i])
			ts.FixedPointEmptied[m.Name] = runfolder.Float(mean(emptied[i]))
		}
	}
	ts.SpectralRadius = runfolder.Float(mean(rho))
	ts.Rate = ts.SpectralRadius
	ts.GenerationsToTol = runfolder.Float(mean(gens))
	ts.GenerationsToTolMap = runfolder.Float(mean(gensMap))
	ts.PredictedConvergence = runfolder.Float(mean(conv))
	ts.FixedPointResidual = runfolder.Float(maxOf(resid))
	ts.Influence = influenceSummary(cfg, preds)
	ts.Components = componentSummary(cfg, preds)
	ts.StationarySD = stationarySummary(cfg, preds)
	if err := preds[0].SpreadErr; err != nil {
		ts.SpreadError = err.Error()
	}
	return ts
}

// generations converts a generation count with -1 for "never" to a float
// with NaN for it.
func generations(g int) float64 {
	if g < 0 {
		return math.NaN()
	}
	return float64(g)
}

// influenceSummary averages every model's alignment influence over seeds.
func influenceSummary(cfg config.Config, preds []*Prediction) []runfolder.TheoryInfluence {
	var out []runfolder.TheoryInfluence
	for i, m := range cfg.Models {
		var tot, iso, fd []float64
		labels := map[string]int{}
		for _, p := range preds {
			if p.Influence == nil {
				continue
			}
			tot = append(tot, p.Influence.Alignment[i])
			iso = append(iso, p.Influence.AlignmentIsolated[i])
			labels[p.Influence.Labels[i]]++
			if p.InfluenceFD != nil {
				fd = append(fd, p.InfluenceFD[i][p.System.Models[i].Pop])
			}
		}
		if len(tot) == 0 {
			continue
		}
		out = append(out, runfolder.TheoryInfluence{Knob: "curated share of " + cfg.Theory.Knob.Model, Model: m.Name,
			Population: m.Population, Predicted: runfolder.Float(mean(tot)), Isolated: runfolder.Float(mean(iso)), FiniteDifference: runfolder.Float(mean(fd)), Label: mostCommon(labels)})
	}
	return out
}

// componentSummary averages each component's rate and generations over
// the seeds.
func componentSummary(cfg config.Config, preds []*Prediction) []runfolder.TheoryComponent {
	var out []runfolder.TheoryComponent
	for k := range preds[0].Components {
		var rho, gens []float64
		for _, p := range preds {
			if k < len(p.Components) {
				rho = append(rho, p.Components[k].Rho)
				gens = append(gens, generations(p.Components[k].GenerationsMap))
			}
		}
		r := mean(rho)
		out = append(out, runfolder.TheoryComponent{Models: preds[0].Components[k].Models, SpectralRadius: runfolder.Float(r),
			GenerationsToTol: runfolder.Float(preds[0].generationsTo(r)), GenerationsToTolMap: runfolder.Float(mean(gens))})
	}
	return out
}

func mean(v []float64) float64 {
	m, _, _ := stats.MeanCI(v)
	return m
}

func maxOf(v []float64) float64 {
	m := math.NaN()
	for _, x := range v {
		if math.IsNaN(m) || x > m {
			m = x
		}
	}
	return m
}

func mostCommon(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	best := ""
	for _, k := range keys {
		if best == "" || m[k] > m[best] {
			best = k
		}
	}
	return best
}

// writeTheoryFiles writes theory.json, prediction.csv (the seeds' mean
// predicted trajectory) and prediction_tables.csv (the mean predicted fixed
// point, generation -1, per model over the seeds where it is a prediction)
// into dir.
func writeTheoryFiles(dir string, cfg config.Config, preds []*Prediction, worlds []*World) (runfolder.Theory, error) {
	ts := summarize(cfg, preds, worlds)
	if err := runfolder.WriteJSON(filepath.Join(dir, runfolder.TheoryFile), ts); err != nil {
		return ts, err
	}
	type key struct {
		g             int
		model, metric string
	}
	acc := map[key][]float64{}
	var order []key
	for s, p := range preds {
		for _, r := range p.Rows(cfg, worlds[s]) {
			k := key{r.Generation, r.Model, r.Metric}
			if _, ok := acc[k]; !ok {
				order = append(order, k)
			}
			acc[k] = append(acc[k], r.Value)
		}
	}
	rows := make([]Row, len(order))
	for i, k := range order {
		rows[i] = Row{Generation: k.g, Model: k.model, Metric: k.metric, Value: mean(acc[k])}
	}
	if err := runfolder.WriteFileAtomic(filepath.Join(dir, runfolder.PredictionFile), runfolder.RowsCSV(rows)); err != nil {
		return ts, err
	}
	var recs [][]string
	for i, m := range cfg.Models {
		var sum []float64
		n := 0
		for _, p := range preds {
			if p.Fixed == nil || !p.Predicted(i) {
				continue
			}
			if sum == nil {
				sum = make([]float64, len(p.Fixed.P[i].P))
			}
			for k, v := range p.Fixed.P[i].P {
				sum[k] += v
			}
			n++
		}
		if n == 0 {
			continue
		}
		V := preds[0].System.Real.V
		for k, v := range sum {
			recs = append(recs, []string{"-1", m.Name, strconv.Itoa(k / V), strconv.Itoa(k % V), runfolder.FormatFloat(v / float64(n))})
		}
	}
	return ts, runfolder.WriteCSV(filepath.Join(dir, runfolder.PredictionTablesFile), runfolder.TablesColumns, recs)
}
