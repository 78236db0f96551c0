package report

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/selfconsume/selfconsume/runfolder"
	"github.com/selfconsume/selfconsume/train/stats"
	"github.com/selfconsume/selfconsume/train/sweep"
)

// sweepFixture builds a collected sweep folder without running anything:
// sweep.yaml, cells.csv, the cells' markers and a summary.csv whose final
// values follow a known shape.
type sweepFixture struct {
	spec   string   // sweep.yaml, without base and base_seed
	keys   []string // the swept keys, in grid order
	seeds  int
	gens   int          // generations 0..gens-1
	failed map[int]bool // cell indices marked FAILED (left out of summary.csv)
	noSpec bool         // write summary.csv alone
	config string       // the first cell's config.yaml ("" for none)
	models []string     // default a, b
	pops   []string     // default p, q
	value  func(pt map[string]string, model, metric string, seed int) float64
}

// sweepValue is the fixture's default shape: rewards grow with log2 k,
// faster for the second model; the other metrics move with k and tau.
func sweepValue(pt map[string]string, model, metric string, seed int) float64 {
	k := 2.0
	if v, ok := pt["curation.k"]; ok {
		k = map[string]float64{"2": 2, "4": 4, "8": 8, "16": 16}[v]
	}
	shift := 0.0
	if pt["data.real"] == "zipf" {
		shift = 0.15
	}
	if v, ok := pt["lr"]; ok {
		shift += map[string]float64{"0.001": -0.1, "0.01": 0, "0.1": 0.05}[v]
	}
	if pt["curation.tau"] == "2" {
		shift -= 0.05
	}
	m := 1.0
	if model == "b" {
		m = 1.6
	}
	noise := 0.03 * math.Sin(float64(7*seed)+k+m)
	switch metric {
	case "reward/p":
		return 0.1 + 0.08*m*math.Log2(k) + shift + noise
	case "reward/q":
		return 0.5 - 0.05*m*math.Log2(k) + shift + noise
	case "kl_real":
		return 0.05 * m * k * (1 + shift) * (1 + noise)
	case "entropy":
		return 2.0 - 0.1*m*math.Log2(k) + noise
	case "zero_mass":
		return math.Min(1, 0.02*m*k+noise/10+0.03)
	}
	return noise
}

func (f sweepFixture) write(t *testing.T, dir string) {
	t.Helper()
	if f.models == nil {
		f.models = []string{"a", "b"}
	}
	if f.pops == nil {
		f.pops = []string{"p", "q"}
	}
	if f.value == nil {
		f.value = sweepValue
	}
	specText := "base: " + filepath.Join(dir, "base.yaml") + "\n" + f.spec + "base_seed: 1\n"
	writeFile(t, filepath.Join(dir, runfolder.SpecFile), specText)
	spec, err := sweep.LoadSpec(filepath.Join(dir, runfolder.SpecFile))
	if err != nil {
		t.Fatal(err)
	}
	cells, err := spec.Cells()
	if err != nil {
		t.Fatal(err)
	}
	if f.noSpec {
		os.Remove(filepath.Join(dir, runfolder.SpecFile))
	}
	metrics := []string{"reward_model", "kl_real", "tv_real", "entropy", "zero_mass"}
	for _, p := range f.pops {
		metrics = append(metrics, "reward/"+p)
	}
	sum := newCSV(strings.Join(append(slices.Clone(f.keys), runfolder.SummaryColumns...), ","))
	for i, c := range cells {
		cd := filepath.Join(dir, runfolder.CellsDir, c.Name)
		switch {
		case f.failed[i]:
			writeFile(t, filepath.Join(cd, runfolder.FailedFile), "models.solo.mix: the shares sum to 1.5\n  (want 1)\n")
		case !f.noSpec:
			writeFile(t, filepath.Join(cd, runfolder.DoneFile), "")
		}
		if i == 0 && f.config != "" {
			writeFile(t, filepath.Join(cd, runfolder.ConfigFile), f.config)
		}
		if c.Seed != *spec.BaseSeed { // one summary block per grid point
			continue
		}
		pt := map[string]string{}
		var keyCols []any
		for _, kv := range c.Keys {
			pt[kv.Key] = kv.Value
			keyCols = append(keyCols, kv.Value)
		}
		for gen := 0; gen < f.gens; gen++ {
			for _, m := range f.models {
				for _, metric := range metrics {
					var vs []float64
					for sd := 0; sd < f.seeds; sd++ {
						if f.failed[c.Index+sd] {
							continue
						}
						v := f.value(pt, m, metric, sd)
						if gen < f.gens-1 {
							v *= float64(gen) / float64(f.gens) // earlier generations differ
						}
						vs = append(vs, v)
					}
					if len(vs) == 0 {
						continue
					}
					s := stats.Summarize(vs)
					se := s.SE
					if s.N < 2 {
						se = 0
					}
					row := append(slices.Clone(keyCols), gen, m, metric, s.N, s.Mean, se, s.Mean-s.Half(), s.Mean+s.Half())
					sum.row(row...)
				}
			}
		}
	}
	writeFile(t, filepath.Join(dir, runfolder.SummaryCSV), sum.String())
}

// finalMeanCI is the fixture's final mean and half-width at a grid point,
// as the report table shows them.
func (f sweepFixture) finalMeanCI(pt map[string]string, model, metric string) string {
	var vs []float64
	for sd := 0; sd < f.seeds; sd++ {
		vs = append(vs, sweepValue(pt, model, metric, sd))
	}
	mean, half, _ := stats.MeanCI(vs)
	return fmtMeanCI(mean, half)
}

var (
	stack3 = size{900, 1500}
	wide3  = size{1350, 1500} // two columns of three rows
)

// sweepFigures lists the sweep figures of a key with the given size for
// every key metric of the fixture.
func sweepFigures(want map[string]size, key string, sz size, metrics ...string) {
	for _, m := range metrics {
		want["plots/sweep-"+key+"-"+fileSafe(m)+".png"] = sz
	}
}

var sweepMetrics = []string{"reward/p", "reward/q", "kl_real", "entropy", "zero_mass"}

func TestWriteSweepTwoKeys(t *testing.T) {
	dir := t.TempDir()
	f := sweepFixture{
		spec:   "grid:\n  curation.k: [2, 4, 8]\n  data.real: [dirichlet, zipf]\nseeds: 3\n",
		keys:   []string{"curation.k", "data.real"},
		seeds:  3,
		gens:   4,
		failed: map[int]bool{5: true},
		config: "seed: 1\npopulations:\n  - {name: p}\n  - {name: q}\nmodels:\n  - {name: a, population: p}\n  - {name: b, population: q}\n",
	}
	f.write(t, dir)
	want := map[string]size{}
	sweepFigures(want, "curation.k", stack2, sweepMetrics...)
	sweepFigures(want, "data.real", stack3, sweepMetrics...)
	sum := checkRun(t, dir, want)
	md := readReport(t, sum)
	for _, s := range []string{
		"# Sweep report: ",
		"| `curation.k` | 2, 4, 8 | numeric |",
		"| `data.real` | dirichlet, zipf | categories |",
		"Grid mode product: 6 grid points × 3 seeds (seed = 1 + s)",
		"**Cells: 18: 17 done, 1 failed, 0 pending.**",
		"- `0005-curation.k=2-data.real=zipf-seed=3`: models.solo.mix: the shares sum to 1.5 (want 1)",
		"## Final values (generation 3)",
		"| `curation.k` | `data.real` | model | seeds | `reward/p` | `reward/q` | `kl_real` | `entropy` | `zero_mass` |",
		"| 8 | zipf | b | 3 | " + f.finalMeanCI(map[string]string{"curation.k": "8", "data.real": "zipf"}, "b", "reward/p") + " | ",
		"| 2 | zipf | a | 2 | ",
		"### Against curation.k",
		"### Against data.real",
		"One panel per value of data.real, on a common y axis.",
		"Markers are the means over each grid point's seeds, bars their 95% Student-t intervals",
		"`cells/0000-curation.k=2-data.real=dirichlet-seed=1/config.yaml` | read (model order and colours)",
	} {
		if !strings.Contains(md, s) {
			t.Errorf("report.md lacks %q", s)
		}
	}
	if strings.Contains(md, "tv_real") || strings.Contains(md, "reward_model") {
		t.Errorf("report.md shows metrics other than the key ones:\n%s", md)
	}
}

func TestWriteSweepThreeKeys(t *testing.T) {
	dir := t.TempDir()
	f := sweepFixture{
		spec:  "grid:\n  lr: [0.001, 0.01, 0.1]\n  curation.k: [2, 4, 8]\n  curation.tau: [0.5, 2]\nseeds: 2\n",
		keys:  []string{"lr", "curation.k", "curation.tau"},
		seeds: 2,
		gens:  2,
		pops:  []string{"p"},
	}
	f.write(t, dir)
	want := map[string]size{}
	metrics := []string{"reward/p", "kl_real", "entropy", "zero_mass"}
	sweepFigures(want, "lr", wide3, metrics...)                                        // 6 panels: 3 rows of 2
	sweepFigures(want, "curation.k", wide3, metrics...)                                // 6 panels
	sweepFigures(want, "curation.tau", size{1350, pixels(stackHeight(5))}, metrics...) // 9 panels: 5 rows
	sum := checkRun(t, dir, want)
	md := readReport(t, sum)
	for _, s := range []string{"| `lr` | 0.001, 0.01, 0.1 | numeric, log scale |", "The x axis is logarithmic.", "One panel per value of curation.k and curation.tau"} {
		if !strings.Contains(md, s) {
			t.Errorf("report.md lacks %q", s)
		}
	}
}

// TestWriteSweepSummaryOnly reads a summary.csv without sweep.yaml: the
// keys come from its header, and a zipped grid is drawn in one panel.
func TestWriteSweepSummaryOnly(t *testing.T) {
	dir := t.TempDir()
	f := sweepFixture{
		spec:   "grid:\n  curation.k: [2, 4, 8, 16]\n  curation.tau: [0.5, 1, 2, 4]\nmode: zip\nseeds: 2\n",
		keys:   []string{"curation.k", "curation.tau"},
		seeds:  2,
		gens:   3,
		noSpec: true,
		models: []string{"b", "a"},
		value: func(pt map[string]string, model, metric string, seed int) float64 {
			if metric == "kl_real" { // over three decades: a log axis
				k, _ := strconv.ParseFloat(pt["curation.k"], 64)
				return k * k * k / 1000 * (1 + 0.1*float64(seed))
			}
			return sweepValue(pt, model, metric, seed)
		},
	}
	f.write(t, dir)
	want := map[string]size{}
	sweepFigures(want, "curation.k", single, sweepMetrics...)
	sweepFigures(want, "curation.tau", single, sweepMetrics...)
	sum := checkRun(t, dir, want)
	md := readReport(t, sum)
	for _, s := range []string{"_No `sweep.yaml` in the folder", "curation.tau change together with curation.k (zipped grid)", "| `summary.csv` | read |", "The y axis is logarithmic."} {
		if !strings.Contains(md, s) {
			t.Errorf("report.md lacks %q", s)
		}
	}
}

func TestWriteSweepNotCollected(t *testing.T) {
	dir := t.TempDir()
	sweepFixture{spec: "grid:\n  curation.k: [2, 4]\n", keys: []string{"curation.k"}, seeds: 1, gens: 2}.write(t, dir)
	os.Remove(filepath.Join(dir, runfolder.SummaryCSV))
	if _, err := Write(dir); err == nil || !strings.Contains(err.Error(), "selfconsume sweep collect "+dir) {
		t.Errorf("Write on an uncollected sweep: %v, want an error saying to collect it", err)
	}

	// Collected, but no cell finished: a report without figures.
	writeFile(t, filepath.Join(dir, runfolder.SummaryCSV), "curation.k,"+strings.Join(runfolder.SummaryColumns, ",")+"\n")
	sum := checkRun(t, dir, map[string]size{})
	md := readReport(t, sum)
	for _, s := range []string{"_`summary.csv` has no rows: no cell has finished._", "no cell has finished", "2 of 2 grid points have no finished cell"} {
		if !strings.Contains(md, s) {
			t.Errorf("report.md lacks %q:\n%s", s, md)
		}
	}
}

func TestWriteSweepMalformed(t *testing.T) {
	head := "curation.k," + strings.Join(runfolder.SummaryColumns, ",") + "\n"
	for _, tc := range []struct {
		name, file, content, want string
	}{
		{"bad mean", runfolder.SummaryCSV, head + "2,0,a,kl_real,2,0.5,0.1,0.3,0.7\n4,0,a,kl_real,2,half,0.1,0.3,0.7\n", "summary.csv:3: column \"mean\": \"half\" is not a number"},
		{"bad n", runfolder.SummaryCSV, head + "2,0,a,kl_real,two,0.5,0.1,0.3,0.7\n", "summary.csv:2: column \"n\""},
		{"no key column", runfolder.SummaryCSV, strings.Join(runfolder.SummaryColumns, ",") + "\n0,a,kl_real,2,0.5,0.1,0.3,0.7\n", "summary.csv:1: the header has no column \"curation.k\""},
		{"no mean column", runfolder.SummaryCSV, "curation.k,generation,model,metric,n\n2,0,a,kl_real,2\n", "summary.csv:1: the header has no column \"mean\""},
		{"field count", runfolder.SummaryCSV, head + "2,0,a,kl_real,2,0.5,0.1,0.3\n", "summary.csv:2: wrong number of fields"},
		{"sweep.yaml", runfolder.SpecFile, "base: /x.yaml\ngrid:\n  curation.k: [2, 4\n", "sweep.yaml"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			sweepFixture{spec: "grid:\n  curation.k: [2, 4]\n", keys: []string{"curation.k"}, seeds: 2, gens: 2}.write(t, dir)
			writeFile(t, filepath.Join(dir, tc.file), tc.content)
			_, err := Write(dir)
			if err == nil {
				t.Fatalf("Write succeeded on a malformed %s", tc.file)
			}
			if !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), filepath.Join(dir, tc.file)) {
				t.Errorf("error %q, want it to name %s and contain %q", err, filepath.Join(dir, tc.file), tc.want)
			}
			if _, err := os.Stat(filepath.Join(dir, runfolder.ReportFile)); err == nil {
				t.Errorf("report.md written despite the error")
			}
		})
	}
}

// TestWriteSweepReal runs a tiny real sweep (about a second) and reports it.
func TestWriteSweepReal(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: no real sweep")
	}
	tmp := t.TempDir()
	base, err := filepath.Abs("../sweep/testdata/tiny.yaml")
	if err != nil {
		t.Fatal(err)
	}
	specPath := filepath.Join(tmp, "k.yaml")
	writeFile(t, specPath, "base: "+base+"\ngrid:\n  curation.k: [2, 4]\nseeds: 2\n")
	spec, err := sweep.LoadSpec(specPath)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(tmp, "k")
	if err := sweep.Prepare(dir, spec); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	st, err := sweep.RunLocal(context.Background(), dir, 2, nil)
	if err != nil || st.Done != 4 {
		t.Fatalf("sweep: %v, %+v", err, st)
	}
	if err := sweep.Collect(dir); err != nil {
		t.Fatal(err)
	}
	t.Logf("tiny sweep: %v", time.Since(start))
	want := map[string]size{}
	sweepFigures(want, "curation.k", single, "reward/alice", "kl_real", "entropy", "zero_mass")
	sum := checkRun(t, dir, want)
	md := readReport(t, sum)
	for _, s := range []string{"**Cells: 4: 4 done, 0 failed, 0 pending.**", "| 2 | solo | 2 | ", "| 4 | anchored | 2 | "} {
		if !strings.Contains(md, s) {
			t.Errorf("report.md lacks %q:\n%s", s, md)
		}
	}
}

func TestValueTicks(t *testing.T) {
	vt := valueTicks{pos: []float64{2, 4, 8}, labels: []string{"2", "4", "8"}, fallback: labelTicks{labels: []string{"fallback"}}}
	var got []string
	for _, tk := range vt.Ticks(1.7, 8.3) {
		got = append(got, tk.Label)
	}
	if !slices.Equal(got, []string{"2", "4", "8"}) {
		t.Errorf("grid values: %v", got)
	}
	// Two labels that would overlap: the fallback ticker.
	vt.pos, vt.labels = []float64{0, 0.01, 1}, []string{"0", "0.01", "1"}
	got = nil
	for _, tk := range vt.Ticks(-0.05, 1.05) {
		got = append(got, tk.Label)
	}
	if !slices.Equal(got, []string{"fallback"}) {
		t.Errorf("crowded grid values: %v, want the fallback", got)
	}
}

// TestSweepDemo renders the sweep fixtures into -demo for a look.
func TestSweepDemo(t *testing.T) {
	if *demo == "" {
		t.Skip("no -demo folder")
	}
	for name, f := range map[string]sweepFixture{
		"sweep-two-keys": {spec: "grid:\n  curation.k: [2, 4, 8]\n  data.real: [dirichlet, zipf]\nseeds: 3\n",
			keys: []string{"curation.k", "data.real"}, seeds: 3, gens: 4, failed: map[int]bool{5: true}},
		"sweep-three-keys": {spec: "grid:\n  lr: [0.001, 0.01, 0.1]\n  curation.k: [2, 4, 8]\n  curation.tau: [0.5, 2]\nseeds: 2\n",
			keys: []string{"lr", "curation.k", "curation.tau"}, seeds: 2, gens: 2, pops: []string{"p"}},
	} {
		dir := filepath.Join(*demo, name)
		if err := os.RemoveAll(dir); err != nil {
			t.Fatal(err)
		}
		f.write(t, dir)
		if _, err := Write(dir); err != nil {
			t.Fatal(err)
		}
	}
}

// TestWriteComparisonFolder checks that a comparison folder, a sweep folder
// whose cells are aggregated into run files, keeps the run report.
func TestWriteComparisonFolder(t *testing.T) {
	dir := t.TempDir()
	fixture{gens: 3, seeds: 2}.write(t, dir)
	writeFile(t, filepath.Join(dir, runfolder.SpecFile), "base: /x.yaml\nseeds: 2\nbase_seed: 1\n")
	writeFile(t, filepath.Join(dir, runfolder.SummaryCSV), strings.Join(runfolder.SummaryColumns, ",")+"\n")
	sum := checkRun(t, dir, categoricalFigures())
	if md := readReport(t, sum); !strings.HasPrefix(md, "# Run report: ") {
		t.Errorf("a comparison folder got:\n%s", md)
	}
}
