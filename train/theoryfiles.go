package train

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"

	"github.com/selfconsume/selfconsume/config"
	"github.com/selfconsume/selfconsume/train/stats"
)

// The analytic files of a run or comparison folder.
const (
	PredictionFile       = "prediction.csv"
	PredictionTablesFile = "prediction_tables.csv"
	TheoryFile           = "theory.json"
)

// Float is a number that encodes as null in JSON when it is NaN or
// infinite (JSON has no such numbers).
type Float float64

// MarshalJSON writes the number, or null.
func (f Float) MarshalJSON() ([]byte, error) {
	v := float64(f)
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return []byte("null"), nil
	}
	return json.Marshal(v)
}

// UnmarshalJSON reads a number, or null as NaN.
func (f *Float) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*f = Float(math.NaN())
		return nil
	}
	var v float64
	err := json.Unmarshal(b, &v)
	*f = Float(v)
	return err
}

// ReadTheory reads a theory.json.
func ReadTheory(path string) (TheorySummary, error) {
	var ts TheorySummary
	b, err := os.ReadFile(path)
	if err != nil {
		return ts, err
	}
	if err := json.Unmarshal(b, &ts); err != nil {
		return ts, fmt.Errorf("%s: %w", path, err)
	}
	return ts, nil
}

// TheorySummary is theory.json: the prediction's headline numbers, averaged
// over the seeds' predictions when there are several (each seed has its own
// learned curator and generation-0 tables).
//
// Two convergence numbers: GenerationsToTolMap follows the map itself from
// generation 0 and counts the generations until the distance to the fixed
// point (System.TV: the largest over models of the context-weighted TV) is
// at most tol times its generation-0 value; GenerationsToTol is
// log(tol)/log(spectral radius), the asymptotic estimate that ignores the
// transient. FixedPoint holds, per model, J at the fixed point only from
// the seeds where the model's component is attracting or neutral
// (FixedPointStability).
type TheorySummary struct {
	Seeds                int                         `json:"seeds"`
	Curator              string                      `json:"curator"`
	SpectralRadius       Float                       `json:"spectral_radius"`
	Rate                 Float                       `json:"rate"`
	GenerationsToTol     Float                       `json:"generations_to_tol"`
	GenerationsToTolMap  Float                       `json:"generations_to_tol_map"`
	PredictedConvergence Float                       `json:"predicted_convergence_generation"`
	Tol                  Float                       `json:"tol"`
	Contraction          ContractionSummary          `json:"contraction"`
	FixedPoint           map[string]map[string]Float `json:"fixed_point"`
	FixedPointResidual   Float                       `json:"fixed_point_residual"`
	FixedPointFailures   int                         `json:"fixed_point_failures"`
	// FixedPointStability is per model "attracting", "neutral" or
	// "repelling" (theory.Stable), with ", boundary" when the model lost
	// support (most common over seeds).
	FixedPointStability map[string]string `json:"fixed_point_stability"`
	// FixedPointEmptied is per model the real mass on the cells where the
	// model's fixed-point mass is below a millionth of the real table's.
	FixedPointEmptied map[string]Float   `json:"fixed_point_emptied"`
	Components        []ComponentSummary `json:"components"`
	// StationarySD is per model and reward/<population> the standard
	// deviation of the reward at the fixed point in the stationary regime of
	// the finite loop (Spread.StationarySD), mean over the seeds where the
	// model's fixed point is attracting.
	StationarySD map[string]map[string]Float `json:"stationary_sd,omitempty"`
	// SpreadError says why the prediction has no finite-sample spread
	// (planar data, an accumulating regime, refitted reward models, or a
	// system too large for the budget).
	SpreadError     string             `json:"spread_error,omitempty"`
	Influence       []InfluenceSummary `json:"influence,omitempty"`
	InfluenceErrors []string           `json:"influence_errors,omitempty"`
}

// ContractionSummary is the global contraction condition (see
// theory.Contraction; worst case over seeds).
type ContractionSummary struct {
	Bound      Float  `json:"bound"`       // max_i (sum_j w_ij^S + sum_j w_ij^H L_pop(j)) with the proven L
	BoundLower Float  `json:"bound_lower"` // the same with probed lower bounds on L
	Holds      bool   `json:"holds"`
	Verdict    string `json:"verdict"`
}

// ComponentSummary is the convergence rate of one group of interacting
// models (mean over seeds).
type ComponentSummary struct {
	Models              []string `json:"models"`
	SpectralRadius      Float    `json:"spectral_radius"`
	GenerationsToTol    Float    `json:"generations_to_tol"`     // log(tol)/log(spectral radius)
	GenerationsToTolMap Float    `json:"generations_to_tol_map"` // along the map's trajectory
}

// InfluenceSummary is one entry of the influence of the knob on a model's
// alignment.
type InfluenceSummary struct {
	Knob             string `json:"knob"`
	Model            string `json:"model"`
	Population       string `json:"population"`
	Predicted        Float  `json:"predicted"`
	Isolated         Float  `json:"isolated"`
	FiniteDifference Float  `json:"finite_difference"`
	Label            string `json:"label"`
}

// summarize averages predictions over seeds.
func summarize(cfg config.Config, preds []*Prediction, worlds []*World) TheorySummary {
	ts := TheorySummary{Seeds: len(preds), Tol: Float(cfg.Theory.Tol), FixedPoint: map[string]map[string]Float{},
		FixedPointStability: map[string]string{}, FixedPointEmptied: map[string]Float{}}
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
		ts.Contraction.Bound = Float(math.Max(float64(ts.Contraction.Bound), ct.Max))
		ts.Contraction.BoundLower = Float(math.Max(float64(ts.Contraction.BoundLower), ct.MaxLower))
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
				ts.FixedPoint[m.Name] = map[string]Float{}
			}
			for a, pop := range cfg.Populations {
				ts.FixedPoint[m.Name]["reward/"+pop.Name] += Float(p.Fixed.J[i][a])
			}
		}
		if p.InfluenceErr != nil {
			ts.InfluenceErrors = append(ts.InfluenceErrors, p.InfluenceErr.Error())
		}
	}
	for i, m := range cfg.Models {
		for k := range ts.FixedPoint[m.Name] {
			ts.FixedPoint[m.Name][k] /= Float(attracting[i])
		}
		if len(emptied[i]) > 0 {
			ts.FixedPointStability[m.Name] = mostCommon(stability[i])
			ts.FixedPointEmptied[m.Name] = Float(mean(emptied[i]))
		}
	}
	ts.SpectralRadius = Float(mean(rho))
	ts.Rate = ts.SpectralRadius
	ts.GenerationsToTol = Float(mean(gens))
	ts.GenerationsToTolMap = Float(mean(gensMap))
	ts.PredictedConvergence = Float(mean(conv))
	ts.FixedPointResidual = Float(maxOf(resid))
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
func influenceSummary(cfg config.Config, preds []*Prediction) []InfluenceSummary {
	var out []InfluenceSummary
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
		out = append(out, InfluenceSummary{Knob: "curated share of " + cfg.Theory.Knob.Model, Model: m.Name,
			Population: m.Population, Predicted: Float(mean(tot)), Isolated: Float(mean(iso)), FiniteDifference: Float(mean(fd)), Label: mostCommon(labels)})
	}
	return out
}

// componentSummary averages each component's rate and generations over
// the seeds.
func componentSummary(cfg config.Config, preds []*Prediction) []ComponentSummary {
	var out []ComponentSummary
	for k := range preds[0].Components {
		var rho, gens []float64
		for _, p := range preds {
			if k < len(p.Components) {
				rho = append(rho, p.Components[k].Rho)
				gens = append(gens, generations(p.Components[k].GenerationsMap))
			}
		}
		r := mean(rho)
		out = append(out, ComponentSummary{Models: preds[0].Components[k].Models, SpectralRadius: Float(r),
			GenerationsToTol: Float(preds[0].generationsTo(r)), GenerationsToTolMap: Float(mean(gens))})
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
func writeTheoryFiles(dir string, cfg config.Config, preds []*Prediction, worlds []*World) (TheorySummary, error) {
	ts := summarize(cfg, preds, worlds)
	b, err := json.MarshalIndent(ts, "", "  ")
	if err != nil {
		return ts, err
	}
	if err := WriteFileAtomic(filepath.Join(dir, TheoryFile), append(b, '\n')); err != nil {
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
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write(metricsHeader)
	for _, k := range order {
		writeRows(w, []Row{{Generation: k.g, Model: k.model, Metric: k.metric, Value: mean(acc[k])}})
	}
	if w.Flush(); w.Error() != nil {
		return ts, w.Error()
	}
	if err := WriteFileAtomic(filepath.Join(dir, PredictionFile), buf.Bytes()); err != nil {
		return ts, err
	}
	buf.Reset()
	w = csv.NewWriter(&buf)
	w.Write([]string{"generation", "model", "context", "token", "prob"})
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
			w.Write([]string{"-1", m.Name, strconv.Itoa(k / V), strconv.Itoa(k % V), fmtFloat(v / float64(n))})
		}
	}
	if w.Flush(); w.Error() != nil {
		return ts, w.Error()
	}
	return ts, WriteFileAtomic(filepath.Join(dir, PredictionTablesFile), buf.Bytes())
}
