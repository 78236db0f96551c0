package report

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// fixture options: which kind of run folder to build.
type fixture struct {
	planar bool // 2-D models (samples, density, modes) instead of tables
	gens   int  // generations 0..gens-1
	seeds  int  // 0: metrics.csv only
}

// The fixture's analytic shape: every curve relaxes like rho^t, except the
// changes between generations, which shrink at each model's realised rate.
const fixtureRho = 0.7

var realisedRate = []float64{0.68, 0.75}

// tvFloor is each model's tv_prev noise floor, measured (tv_prev tends to
// it at the realised rate) and predicted (finite/tv_prev, in the
// categorical fixture, tends to it at fixtureRho).
var tvFloor = struct{ measured, predicted []float64 }{[]float64{0.015, 0.02}, []float64{0.0125, 0.02}}

func g(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// csvFile accumulates a CSV file.
type csvFile struct{ strings.Builder }

func newCSV(header string) *csvFile {
	c := &csvFile{}
	c.WriteString(header + "\n")
	return c
}

func (c *csvFile) row(fields ...any) {
	s := make([]string, len(fields))
	for i, f := range fields {
		switch f := f.(type) {
		case float64:
			s[i] = g(f)
		default:
			s[i] = fmt.Sprint(f)
		}
	}
	c.WriteString(strings.Join(s, ",") + "\n")
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// fixtureModels returns the model names and their curating populations.
func (f fixture) models() (names, pops []string) {
	if f.planar {
		return []string{"flowA", "flowB"}, []string{"p", "q"}
	}
	return []string{"alpha", "beta"}, []string{"p", "q"}
}

// trajectory is the noiseless value of a metric for model i at generation t;
// ok is false for metrics a generation does not have.
func (f fixture) trajectory(i int, metric string, t int) (float64, bool) {
	s := 1 - math.Pow(fixtureRho, float64(t)) // 0 -> 1
	sign := []float64{1, -1}[i]
	switch metric {
	case "reward/p":
		return 0.3 + sign*0.25*s, true
	case "reward/q":
		return 0.5 - sign*0.2*s, true
	case "reward_model":
		return 0.4 + 0.3*s, true
	case "kl_real":
		return 0.05 + (0.2+0.1*float64(i))*s, true
	case "tv_real":
		return 0.08 + (0.15+0.05*float64(i))*s, true
	case "entropy":
		return 2.0 - (0.4+0.2*float64(i))*s, true
	case "zero_mass":
		return (0.05 + 0.05*float64(i)) * s, true
	case "param_delta":
		return 0.5 * math.Pow(realisedRate[i], float64(t)), t >= 1
	case "tv_prev":
		return tvFloor.measured[i] + 0.2*math.Pow(realisedRate[i], float64(t)), t >= 1
	case "train_nll":
		return 1.5 - 0.2*s, true
	case "heldout_nll":
		return 1.6 - 0.1*s, true
	case "curation_entropy":
		return 1.2 - 0.3*s, true
	case "curation_gap":
		return 0.3 + 0.2*s, true
	case "fit_gap":
		return 0.02 + 0.01*float64(i), t >= 1
	case "sample_gap":
		return 0.03, t >= 1
	}
	return 0, false
}

var fixtureMetrics = []string{"reward/p", "reward/q", "reward_model", "kl_real", "tv_real", "entropy", "zero_mass",
	"param_delta", "tv_prev", "train_nll", "heldout_nll", "curation_entropy", "curation_gap", "fit_gap", "sample_gap"}

// modeWeights gives model i's share of mode k at generation t: uniform at
// first, collapsing onto modes 0 and 1 for model 0 and onto 4 for model 1.
func modeWeights(i, t, modes int) []float64 {
	s := 1 - math.Pow(fixtureRho, float64(t))
	w := make([]float64, modes)
	for k := range w {
		w[k] = 1 / float64(modes) * (1 - s)
	}
	if i == 0 {
		w[0] += s / 2
		w[1] += s / 2
	} else {
		w[4] += s
	}
	return w
}

// write builds the run folder.
func (f fixture) write(t *testing.T, dir string) {
	t.Helper()
	models, pops := f.models()
	rng := rand.New(rand.NewPCG(7, 11))
	const modes = 8

	cfg := fmt.Sprintf("name: fixture\nseed: 7\ngenerations: %d\nregime: replace\ndata:\n  kind: %s\n  contexts: 4\n  tokens: 6\npopulations:\n  - name: p\n    reward: random\n  - name: q\n    reward: negate\n    of: p\ncuration:\n  k: 4\n  tau: 1\nmodels:\n",
		f.gens-1, map[bool]string{false: "categorical", true: "ring"}[f.planar])
	for i, m := range models {
		other := models[1-i]
		cfg += fmt.Sprintf("  - name: %s\n    population: %s\n    n: 2048\n    mix:\n      real: 0.5\n      curated:\n        %s: 0.25\n        %s: 0.25\n", m, pops[i], m, other)
	}
	cfg += "theory:\n  tol: 0.001\n  knob:\n    model: " + models[0] + "\n"
	writeFile(t, filepath.Join(dir, "config.yaml"), cfg)

	seedMetrics := func() string {
		c := newCSV("generation,model,metric,value")
		for gen := 0; gen < f.gens; gen++ {
			for i, m := range models {
				for _, k := range fixtureMetrics {
					v, ok := f.trajectory(i, k, gen)
					if !ok {
						continue
					}
					c.row(gen, m, k, v*(1+0.02*rng.NormFloat64()))
				}
				c.row(gen, m, "tv_pred", 0.02+0.005*math.Abs(rng.NormFloat64()))
				if f.planar {
					for k, w := range modeWeights(i, gen, modes) {
						c.row(gen, m, "mode/"+strconv.Itoa(k), math.Max(0, w+0.01*rng.NormFloat64()))
					}
					c.row(gen, m, "energy_distance", 0.1*math.Pow(fixtureRho, float64(gen))+0.01)
				}
			}
		}
		return c.String()
	}
	if f.seeds == 0 {
		writeFile(t, filepath.Join(dir, "metrics.csv"), seedMetrics())
	}
	for s := 1; s <= f.seeds; s++ {
		m := seedMetrics()
		writeFile(t, filepath.Join(dir, "seeds", "seed-"+strconv.Itoa(s), "metrics.csv"), m)
		if s == 1 {
			writeFile(t, filepath.Join(dir, "metrics.csv"), m)
		}
	}

	pred := newCSV("generation,model,metric,value")
	for gen := 0; gen < f.gens; gen++ {
		for i, m := range models {
			for _, k := range []string{"reward/p", "reward/q", "kl_real", "tv_real", "entropy", "zero_mass"} {
				v, _ := f.trajectory(i, k, gen)
				pred.row(gen, m, k, v*0.98)
			}
			if !f.planar && gen >= 1 {
				pred.row(gen, m, "finite/tv_prev", tvFloor.predicted[i]+0.2*math.Pow(fixtureRho, float64(gen)))
			}
		}
	}
	writeFile(t, filepath.Join(dir, "prediction.csv"), pred.String())

	fixed := map[string]map[string]float64{}
	for i, m := range models {
		fixed[m] = map[string]float64{}
		for _, k := range []string{"reward/p", "reward/q"} {
			v, _ := f.trajectory(i, k, 1000)
			fixed[m][k] = v * 0.98
		}
	}
	theory := map[string]any{
		"spectral_radius":    fixtureRho,
		"rate":               fixtureRho,
		"generations_to_tol": math.Log(1e-3) / math.Log(fixtureRho),
		"tol":                1e-3,
		"contraction":        map[string]any{"bound": 0.95, "holds": true},
		"fixed_point":        fixed,
		"influence": []map[string]any{
			{"knob": models[0], "model": models[0], "population": "p", "predicted": 0.12, "isolated": 0.2, "label": "dampened"},
			{"knob": models[0], "model": models[1], "population": "q", "predicted": -0.05, "isolated": 0.03, "label": "backfire"},
		},
	}
	b, err := json.MarshalIndent(theory, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "theory.json"), string(b))

	inf := newCSV("knob,model,population,predicted,isolated,measured,ci_low,ci_high,verdict,label,measured_label")
	inf.row(models[0], models[0], "p", 0.12, 0.2, 0.1, 0.06, 0.14, "agree", "dampened", "dampened")
	inf.row(models[0], models[1], "q", -0.05, 0.03, -0.02, -0.06, 0.02, "sign unresolved", "backfire", "unresolved")
	writeFile(t, filepath.Join(dir, "influence.csv"), inf.String())

	cmp := newCSV("generation,model,metric,mean,ci_low,ci_high,predicted,abs_error")
	for gen := 0; gen < f.gens; gen++ {
		for i, m := range models {
			v, _ := f.trajectory(i, "reward/p", gen)
			cmp.row(gen, m, "reward/p", v, v-0.01, v+0.01, v*0.98, v*0.02)
		}
	}
	writeFile(t, filepath.Join(dir, "comparison.csv"), cmp.String())

	rm := newCSV("population,metric,value")
	for _, p := range pops {
		rm.row(p, "final_loss", 0.45)
		rm.row(p, "pair_agreement", 0.82)
		rm.row(p, "spearman", 0.9)
	}
	writeFile(t, filepath.Join(dir, "reward_models.csv"), rm.String())

	if f.planar {
		f.writePlanar(t, dir, rng, modes)
		return
	}
	tabs := newCSV("generation,model,context,token,prob")
	ptabs := newCSV("generation,model,context,token,prob")
	for i, m := range models {
		for c := 0; c < 4; c++ {
			// The table sharpens onto token (c+2i) mod 6 over generations.
			row := func(gen float64) []float64 {
				s := 1 - math.Pow(fixtureRho, gen)
				p := make([]float64, 6)
				for y := range p {
					p[y] = (1 - 0.8*s) / 6
				}
				p[(c+2*i)%6] += 0.8 * s
				return p
			}
			for gen := 0; gen < f.gens; gen++ {
				for y, v := range row(float64(gen)) {
					tabs.row(gen, m, c, y, v)
				}
			}
			for y, v := range row(1000) {
				ptabs.row(-1, m, c, y, v)
			}
		}
	}
	writeFile(t, filepath.Join(dir, "tables.csv"), tabs.String())
	writeFile(t, filepath.Join(dir, "prediction_tables.csv"), ptabs.String())
}

// writePlanar adds samples, densities, modes and reward grids on the 8-mode
// ring of radius 2.
func (f fixture) writePlanar(t *testing.T, dir string, rng *rand.Rand, modes int) {
	t.Helper()
	models, _ := f.models()
	centre := func(k int) (float64, float64) {
		a := 2 * math.Pi * float64(k) / float64(modes)
		return 2 * math.Cos(a), 2 * math.Sin(a)
	}
	mc := newCSV("mode,x,y")
	for k := 0; k < modes; k++ {
		x, y := centre(k)
		mc.row(k, x, y)
	}
	writeFile(t, filepath.Join(dir, "modes.csv"), mc.String())

	gens := []int{0, f.gens / 2, f.gens - 1}
	samples := newCSV("generation,model,x,y")
	density := newCSV("generation,model,x,y,density")
	const n, cells, std = 2000, 40, 0.25
	for i, m := range models {
		for _, gen := range gens {
			w := modeWeights(i, gen, modes)
			for j := 0; j < n; j++ {
				u, k := rng.Float64(), 0
				for k < modes-1 && u > w[k] {
					u -= w[k]
					k++
				}
				x, y := centre(k)
				samples.row(gen, m, x+std*rng.NormFloat64(), y+std*rng.NormFloat64())
			}
			for a := 0; a < cells; a++ {
				for b := 0; b < cells; b++ {
					x, y := -3+6*(float64(a)+0.5)/cells, -3+6*(float64(b)+0.5)/cells
					d := 0.0
					for k := 0; k < modes; k++ {
						cx, cy := centre(k)
						d += w[k] * math.Exp(-((x-cx)*(x-cx)+(y-cy)*(y-cy))/(2*std*std)) / (2 * math.Pi * std * std)
					}
					density.row(gen, m, x, y, d)
				}
			}
		}
	}
	writeFile(t, filepath.Join(dir, "samples.csv"), samples.String())
	writeFile(t, filepath.Join(dir, "density.csv"), density.String())

	rg := newCSV("population,x,y,reward")
	for a := 0; a < 30; a++ {
		for b := 0; b < 30; b++ {
			x, y := -3+6*float64(a)/29, -3+6*float64(b)/29
			rg.row("p", x, y, x)
			rg.row("q", x, y, -x+0.5*y)
		}
	}
	writeFile(t, filepath.Join(dir, "reward_grid.csv"), rg.String())
}
