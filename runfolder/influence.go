package runfolder

import (
	"strconv"

	"github.com/selfconsume/selfconsume/train/stats"
)

// InfluenceRow is one line of influence.csv: one influence of the knob
// model's curated share on a model's alignment with a population, predicted
// and measured, with its checks' verdicts.
type InfluenceRow struct {
	Knob, Model, Population string
	// The prediction: with feedback (Predicted), without (Isolated), and its
	// label.
	Predicted, Isolated float64
	Label               string
	// The measurement: the mean over Seeds seeds with its 95% t interval
	// [CILow, CIHigh] and standard deviation, labelled as far as the
	// interval resolves it (MeasuredLabel; "" in older files). NaN when not
	// measured.
	Measured, CILow, CIHigh, SD float64
	Seeds                       int
	MeasuredLabel               string
	// Verdict sums up both checks in one phrase.
	Verdict string
	// The sign check: Sign is agree, disagree, unresolved or "" when none is
	// made (PSign, Holm-adjusted, is then written empty); SeedsToResolve is
	// written for an unresolved sign only.
	Sign           string
	PSign          float64
	SeedsToResolve int
	// The agreement check of measured and predicted, Holm-adjusted.
	Inside  string
	PInside float64
}

// WriteInfluence writes influence.csv (InfluenceColumns) to path.
func WriteInfluence(path string, rows []InfluenceRow) error {
	f := FormatFloat
	recs := make([][]string, len(rows))
	for i, in := range rows {
		resolve, psign := "", ""
		if in.Sign == stats.Unresolved {
			resolve = strconv.Itoa(in.SeedsToResolve)
		}
		if in.Sign != "" {
			psign = f(in.PSign)
		}
		recs[i] = []string{in.Knob, in.Model, in.Population,
			f(in.Predicted), f(in.Isolated), f(in.Measured), f(in.CILow), f(in.CIHigh), in.Verdict,
			in.Label, in.MeasuredLabel, strconv.Itoa(in.Seeds), f(in.SD), in.Sign, psign, resolve,
			in.Inside, f(in.PInside)}
	}
	return WriteCSV(path, InfluenceColumns, recs)
}

// influenceRequired are the columns every influence.csv has had; the later
// ones read as "", NaN or 0 when absent.
var influenceRequired = InfluenceColumns[:9]

// ReadInfluence reads influence.csv; found is false when it is absent.
func ReadInfluence(path string) (rows []InfluenceRow, found bool, err error) {
	found, err = Read(path, influenceRequired, func(r Record) error {
		var in InfluenceRow
		var err error
		if in.Knob, err = r.NonEmpty("knob"); err != nil {
			return err
		}
		if in.Model, err = r.NonEmpty("model"); err != nil {
			return err
		}
		in.Population = r.Str("population")
		for _, f := range []struct {
			col string
			dst *float64
		}{{"predicted", &in.Predicted}, {"isolated", &in.Isolated}, {"measured", &in.Measured}, {"ci_low", &in.CILow},
			{"ci_high", &in.CIHigh}, {"sd", &in.SD}, {"p_sign", &in.PSign}, {"p_inside", &in.PInside}} {
			if *f.dst, err = r.Float(f.col); err != nil {
				return err
			}
		}
		for _, f := range []struct {
			col string
			dst *int
		}{{"seeds", &in.Seeds}, {"seeds_to_resolve", &in.SeedsToResolve}} {
			if r.Str(f.col) != "" {
				if *f.dst, err = r.Int(f.col); err != nil {
					return err
				}
			}
		}
		in.Verdict, in.Label, in.MeasuredLabel = r.Str("verdict"), r.Str("label"), r.Str("measured_label")
		in.Sign, in.Inside = r.Str("sign"), r.Str("inside")
		rows = append(rows, in)
		return nil
	})
	return rows, found, err
}
