package compare

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/selfconsume/selfconsume/train"
	"github.com/selfconsume/selfconsume/train/stats"
)

// InfluenceFile is influence.csv: measured against predicted influence.
const InfluenceFile = "influence.csv"

// meanTheory averages the seeds' theory.json numbers (labels from the first
// seed).
func meanTheory(runs []cellRun) train.TheorySummary {
	ts := runs[0].theory
	n := train.Float(len(runs))
	avg := func(get func(t *train.TheorySummary) *train.Float) {
		s := train.Float(0)
		for i := range runs {
			s += *get(&runs[i].theory)
		}
		*get(&ts) = s / n
	}
	avg(func(t *train.TheorySummary) *train.Float { return &t.SpectralRadius })
	avg(func(t *train.TheorySummary) *train.Float { return &t.GenerationsToTol })
	avg(func(t *train.TheorySummary) *train.Float { return &t.GenerationsToTolMap })
	avg(func(t *train.TheorySummary) *train.Float { return &t.PredictedConvergence })
	ts.Rate = ts.SpectralRadius
	ts.Seeds = len(runs)
	fp := map[string]map[string]train.Float{}
	for _, r := range runs {
		for m, js := range r.theory.FixedPoint {
			if fp[m] == nil {
				fp[m] = map[string]train.Float{}
			}
			for k, v := range js {
				fp[m][k] += v / n
			}
		}
	}
	ts.FixedPoint = fp
	ts.Influence = append([]train.InfluenceSummary(nil), runs[0].theory.Influence...)
	for k := range ts.Influence {
		var p, iso, fd train.Float
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
		s := train.Float(0)
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
	if err := train.WriteFileAtomic(filepath.Join(r.Dir, train.ConfigFile), y); err != nil {
		return err
	}
	if err := train.WriteComparison(r.Dir, r.Comparison); err != nil {
		return err
	}
	b, err := json.MarshalIndent(r.Theory, "", "  ")
	if err != nil {
		return err
	}
	if err := train.WriteFileAtomic(filepath.Join(r.Dir, train.TheoryFile), append(b, '\n')); err != nil {
		return err
	}
	if err := meanCSV(r.Dir, train.PredictionFile, main); err != nil {
		return err
	}
	if err := meanCSV(r.Dir, train.PredictionTablesFile, main); err != nil {
		return err
	}
	for _, run := range main {
		seedDir := filepath.Join(r.Dir, "seeds", fmt.Sprintf("seed-%d", run.seed))
		if err := os.MkdirAll(seedDir, 0o755); err != nil {
			return err
		}
		if err := copyFile(filepath.Join(run.dir, train.MetricsFile), filepath.Join(seedDir, train.MetricsFile)); err != nil {
			return err
		}
	}
	if err := copyFile(filepath.Join(main[0].dir, train.TablesFile), filepath.Join(r.Dir, train.TablesFile)); err != nil && !os.IsNotExist(err) {
		return err
	}
	if len(r.Influence) > 0 {
		return writeInfluence(r.Dir, r.Config.Theory.Knob.Model, r.Influence)
	}
	return nil
}

// writeInfluence writes influence.csv: one row per influence of the knob
// model's curated share, with its checks' verdicts (fields quoted by
// encoding/csv when they hold a comma). Columns: the prediction (predicted,
// isolated, label), the measurement (measured, its 95% t interval ci_low,
// ci_high, sd, seeds, measured_label), the sign check (sign: agree,
// disagree, unresolved or empty when not made; p_sign: Holm-adjusted;
// seeds_to_resolve: for an unresolved sign, the seeds at the observed sd),
// the agreement check (inside, p_inside), and verdict, one phrase for both.
func writeInfluence(dir, knob string, rows []Influence) error {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write([]string{"knob", "model", "population", "predicted", "isolated", "measured", "ci_low", "ci_high", "verdict",
		"label", "measured_label", "seeds", "sd", "sign", "p_sign", "seeds_to_resolve", "inside", "p_inside"})
	for _, in := range rows {
		resolve, psign := "", ""
		if in.SignVerdict == stats.Unresolved {
			resolve = strconv.Itoa(in.SeedsToResolve)
		}
		if in.SignVerdict != "" {
			psign = ff(in.PSign)
		}
		w.Write([]string{knob, in.Model, in.Population,
			ff(in.Predicted), ff(in.Isolated), ff(in.Measured), ff(in.Measured - in.Half), ff(in.Measured + in.Half), in.verdict(),
			in.Label, in.MeasuredLabel, strconv.Itoa(in.Seeds), ff(in.SD), in.SignVerdict, psign, resolve,
			in.InsideVerdict, ff(in.PInside)})
	}
	if w.Flush(); w.Error() != nil {
		return w.Error()
	}
	return train.WriteFileAtomic(filepath.Join(dir, InfluenceFile), buf.Bytes())
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

func ff(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// meanCSV averages the last column of a CSV over the seeds' copies, keyed by
// all the other columns (read and written with encoding/csv, so that quoted
// fields keep their commas).
func meanCSV(dir, name string, runs []cellRun) error {
	var header []string
	var order []string
	keys := map[string][]string{}
	sum := map[string]float64{}
	count := map[string]int{}
	for _, run := range runs {
		f, err := os.Open(filepath.Join(run.dir, name))
		if err != nil {
			return err
		}
		r := csv.NewReader(f)
		r.FieldsPerRecord = -1
		recs, err := r.ReadAll()
		f.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", filepath.Join(run.dir, name), err)
		}
		if len(recs) == 0 {
			continue
		}
		header = recs[0]
		for _, rec := range recs[1:] {
			if len(rec) < 2 {
				continue
			}
			v, err := strconv.ParseFloat(rec[len(rec)-1], 64)
			if err != nil || math.IsNaN(v) {
				continue
			}
			k := csvKey(rec[:len(rec)-1])
			if _, ok := sum[k]; !ok {
				order = append(order, k)
				keys[k] = rec[:len(rec)-1]
			}
			sum[k] += v
			count[k]++
		}
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write(header)
	for _, k := range order {
		w.Write(append(slices.Clone(keys[k]), ff(sum[k]/float64(count[k]))))
	}
	if w.Flush(); w.Error() != nil {
		return w.Error()
	}
	return train.WriteFileAtomic(filepath.Join(dir, name), buf.Bytes())
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
	return train.WriteFileAtomic(dst, buf.Bytes())
}
