package compare

import (
	"bytes"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/selfconsume/selfconsume/runfolder"
	"github.com/selfconsume/selfconsume/train/stats"
)

// meanTheory averages the seeds' theory.json numbers (labels from the first
// seed).
func meanTheory(runs []cellRun) runfolder.Theory {
	ts := runs[0].theory
	n := runfolder.Float(len(runs))
	avg := func(get func(t *runfolder.Theory) *runfolder.Float) {
		s := runfolder.Float(0)
		for i := range runs {
			s += *get(&runs[i].theory)
		}
		*get(&ts) = s / n
	}
	avg(func(t *runfolder.Theory) *runfolder.Float { return &t.SpectralRadius })
	avg(func(t *runfolder.Theory) *runfolder.Float { return &t.GenerationsToTol })
	avg(func(t *runfolder.Theory) *runfolder.Float { return &t.GenerationsToTolMap })
	avg(func(t *runfolder.Theory) *runfolder.Float { return &t.PredictedConvergence })
	ts.Rate = ts.SpectralRadius
	ts.Seeds = len(runs)
	fp := map[string]map[string]runfolder.Float{}
	for _, r := range runs {
		for m, js := range r.theory.FixedPoint {
			if fp[m] == nil {
				fp[m] = map[string]runfolder.Float{}
			}
			for k, v := range js {
				fp[m][k] += v / n
			}
		}
	}
	ts.FixedPoint = fp
	ts.Influence = append([]runfolder.TheoryInfluence(nil), runs[0].theory.Influence...)
	for k := range ts.Influence {
		var p, iso, fd runfolder.Float
		for _, r := range runs {
			if k < len(r.theory.Influence) {
				p += r.theory.Influence[k].Predicted / n
				iso += r.theory.Influence[k].Isolated / n
				fd += r.theory.Influence[k].FiniteDifference / n
			}
		}
		ts.Influence[k].Predicted, ts.Influence[k].Isolated, ts.Influence[k].FiniteDifference = p, iso, fd
	}
	for c := range ts.Components {
		s := runfolder.Float(0)
		for _, r := range runs {
			if c < len(r.theory.Components) {
				s += r.theory.Components[c].SpectralRadius / n
			}
		}
		ts.Components[c].SpectralRadius = s
	}
	return ts
}

// write puts the aggregated files at the top of the comparison folder.
func (r *Result) write(main []cellRun) error {
	y, err := r.Config.YAML()
	if err != nil {
		return err
	}
	if err := runfolder.WriteFileAtomic(filepath.Join(r.Dir, runfolder.ConfigFile), y); err != nil {
		return err
	}
	if err := runfolder.WriteComparison(filepath.Join(r.Dir, runfolder.ComparisonFile), r.Comparison); err != nil {
		return err
	}
	if err := runfolder.WriteJSON(filepath.Join(r.Dir, runfolder.TheoryFile), r.Theory); err != nil {
		return err
	}
	if err := meanCSV(r.Dir, runfolder.PredictionFile, runfolder.MetricsColumns, main); err != nil {
		return err
	}
	if err := meanCSV(r.Dir, runfolder.PredictionTablesFile, runfolder.TablesColumns, main); err != nil {
		return err
	}
	for _, run := range main {
		seedDir := runfolder.SeedDir(r.Dir, run.seed)
		if err := os.MkdirAll(seedDir, 0o755); err != nil {
			return err
		}
		if err := copyFile(filepath.Join(run.dir, runfolder.MetricsFile), filepath.Join(seedDir, runfolder.MetricsFile)); err != nil {
			return err
		}
	}
	if err := copyFile(filepath.Join(main[0].dir, runfolder.TablesFile), filepath.Join(r.Dir, runfolder.TablesFile)); err != nil && !os.IsNotExist(err) {
		return err
	}
	if len(r.Influence) > 0 {
		return writeInfluence(r.Dir, r.Config.Theory.Knob.Model, r.Influence)
	}
	return nil
}

// writeInfluence writes influence.csv: one row per influence of the knob
// model's curated share, with its checks' verdicts. Columns: the prediction
// (predicted, isolated, label), the measurement (measured, its 95% t
// interval ci_low, ci_high, sd, seeds, measured_label), the sign check
// (sign: agree, disagree, unresolved or empty when not made; p_sign:
// Holm-adjusted; seeds_to_resolve: for an unresolved sign, the seeds at the
// observed sd), the agreement check (inside, p_inside), and verdict, one
// phrase for both.
func writeInfluence(dir, knob string, rows []Influence) error {
	out := make([]runfolder.InfluenceRow, len(rows))
	for i, in := range rows {
		out[i] = runfolder.InfluenceRow{Knob: knob, Model: in.Model, Population: in.Population,
			Predicted: in.Predicted, Isolated: in.Isolated, Label: in.Label,
			Measured: in.Measured, CILow: in.Measured - in.Half, CIHigh: in.Measured + in.Half, SD: in.SD,
			Seeds: in.Seeds, MeasuredLabel: in.MeasuredLabel, Verdict: in.verdict(),
			Sign: in.SignVerdict, PSign: in.PSign, SeedsToResolve: in.SeedsToResolve,
			Inside: in.InsideVerdict, PInside: in.PInside}
	}
	return runfolder.WriteInfluence(filepath.Join(dir, runfolder.InfluenceFile), out)
}

// verdict sums up an influence's checks in one phrase.
func (in Influence) verdict() string {
	inside := in.InsideVerdict == stats.Disagree
	switch {
	case in.SignVerdict == stats.Disagree:
		return "sign differs"
	case inside && in.SignVerdict == stats.Agree:
		return "sign agrees, measured differs from predicted"
	case inside:
		return "measured differs from predicted"
	case in.SignVerdict == stats.Unresolved:
		return "sign unresolved"
	case in.InsideVerdict == stats.Unresolved:
		return "unresolved"
	}
	return "agrees"
}

// meanCSV averages the last of the columns cols of a CSV over the seeds'
// copies, keyed by the other columns (non-numbers and NaN left out).
func meanCSV(dir, name string, cols []string, runs []cellRun) error {
	keyCols, valCol := cols[:len(cols)-1], cols[len(cols)-1]
	var order []string
	keys := map[string][]string{}
	sum := map[string]float64{}
	count := map[string]int{}
	for _, run := range runs {
		path := filepath.Join(run.dir, name)
		found, err := runfolder.Read(path, cols, func(r runfolder.Record) error {
			v, err := r.Float(valCol)
			if err != nil || math.IsNaN(v) {
				return nil
			}
			rec := r.Fields(keyCols)
			k := csvKey(rec)
			if _, ok := sum[k]; !ok {
				order = append(order, k)
				keys[k] = rec
			}
			sum[k] += v
			count[k]++
			return nil
		})
		if err := runfolder.Found(path, found, err); err != nil {
			return err
		}
	}
	recs := make([][]string, len(order))
	for i, k := range order {
		recs[i] = append(keys[k], runfolder.FormatFloat(sum[k]/float64(count[k])))
	}
	return runfolder.WriteCSV(filepath.Join(dir, name), cols, recs)
}

// csvKey joins fields into a map key no two different field lists share.
func csvKey(fields []string) string { return strings.Join(fields, "\x00") }

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	var buf bytes.Buffer
	if _, err := io.Copy(&buf, in); err != nil {
		return err
	}
	return runfolder.WriteFileAtomic(dst, buf.Bytes())
}
