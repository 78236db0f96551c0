package regimemap

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"github.com/selfconsume/selfconsume/config"
	"github.com/selfconsume/selfconsume/runfolder"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"github.com/selfconsume/selfconsume/data"
	"github.com/selfconsume/selfconsume/train"
	"github.com/selfconsume/selfconsume/train/categorical"
	"github.com/selfconsume/selfconsume/train/compare"
	"github.com/selfconsume/selfconsume/train/stats"
	"github.com/selfconsume/selfconsume/train/sweep"
)

// Verdicts of a spot besides stats.Agree, stats.Disagree and
// stats.Unresolved.
const (
	VerdictError   = "error"   // the comparison could not run (Note says why)
	VerdictPending = "pending" // submitted to Slurm, not finished: run the map again later
)

// SubmittedFile marks, inside a spot's comparison folder, that its runs
// were submitted to Slurm (it holds the job ID).
const SubmittedFile = "SUBMITTED"

// mapChecks are the kinds of comparison check that test what a map claims
// at a cell: the fixed point's rewards and the influences. The others
// (tv_prev's floor, the seed spread) test the finite-sample noise, which
// the map does not draw; they are counted apart.
var mapChecks = []string{compare.CheckLevel, compare.CheckSign, compare.CheckInside, compare.CheckNone}

// Spot is the spot check of one cell: its neural loop over seeds, held
// against each seed's own prediction by the comparison machinery
// (train/compare: paired t-tests, Holm-adjusted over all its checks). The
// spot agrees when every check of what the map claims (mapChecks) agrees,
// disagrees when one of them disagrees, and is unresolved otherwise.
type Spot struct {
	Cell
	Dir                           string // the comparison folder, relative to the map folder
	Seeds                         int
	Verdict                       string // stats.Agree, stats.Disagree, stats.Unresolved or VerdictError
	Agree, Unresolved, Disagree   int    // the comparison's checks of what the map claims
	Checks, Other                 [3]int // agree, unresolved, disagree: map checks, and the others
	Predicted, Measured, Half     float64
	PredictedLabel, MeasuredLabel string // of the knob model's self-influence
	SignVerdict, InsideVerdict    string
	Note                          string
}

// spotChecks runs (or continues) every spot's comparison and writes
// spots.csv.
func (m *Map) spotChecks(ctx context.Context, o Options) ([]Spot, error) {
	var out []Spot
	for _, ij := range m.Spec.Spots.Cells {
		c := m.Spec.Cells()[ij[0]*len(m.Spec.Y.Values)+ij[1]]
		s, err := m.spot(ctx, c, o)
		if err != nil {
			if ctx.Err() != nil {
				return nil, train.Interrupted(ctx, err)
			}
			s = Spot{Cell: c, Dir: filepath.Join(SpotsDir, m.spotName(c)), Seeds: m.Spec.Spots.Seeds, Verdict: VerdictError, Note: err.Error(),
				Predicted: math.NaN(), Measured: math.NaN(), Half: math.NaN()}
		}
		out = append(out, s)
		if err := runfolder.WriteFileAtomic(filepath.Join(m.Dir, SpotsFile), spotsCSV(out)); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// spot runs one cell's comparison.
func (m *Map) spot(ctx context.Context, c Cell, o Options) (Spot, error) {
	s := Spot{Cell: c, Dir: filepath.Join(SpotsDir, m.spotName(c)), Seeds: m.Spec.Spots.Seeds}
	path, err := m.spotConfig(c)
	if err != nil {
		return s, err
	}
	var res *compare.Result
	if o.Slurm != nil {
		if res, err = m.slurmSpot(path, &s, *o.Slurm); err != nil || res == nil {
			return s, err
		}
	} else if res, err = compare.Run(ctx, path, nil, filepath.Join(m.Dir, s.Dir),
		compare.Options{Seeds: s.Seeds, Workers: o.SpotWorkers, Observe: o.SpotObserve}); err != nil {
		return s, err
	}
	for _, ch := range res.Checks {
		n := &s.Other
		if slices.Contains(mapChecks, ch.Kind) {
			n = &s.Checks
		}
		switch ch.Verdict {
		case stats.Agree:
			n[0]++
		case stats.Unresolved:
			n[1]++
		default:
			n[2]++
		}
	}
	s.Agree, s.Unresolved, s.Disagree = s.Checks[0], s.Checks[1], s.Checks[2]
	switch {
	case s.Disagree > 0:
		s.Verdict = stats.Disagree
	case s.Unresolved > 0:
		s.Verdict = stats.Unresolved
	default:
		s.Verdict = stats.Agree
	}
	s.Predicted, s.Measured, s.Half = math.NaN(), math.NaN(), math.NaN()
	k := slices.IndexFunc(res.Influence, func(in compare.Influence) bool { return in.Model == m.Spec.Knob })
	if k >= 0 {
		in := res.Influence[k]
		s.Predicted, s.Measured, s.Half = in.Predicted, in.Measured, in.Half
		s.PredictedLabel, s.MeasuredLabel = in.Label, in.MeasuredLabel
		s.SignVerdict, s.InsideVerdict = in.SignVerdict, in.InsideVerdict
	}
	return s, nil
}

// slurmSpot prepares the spot's comparison folder as a sweep and submits
// its runs as a Slurm job array once; when they are all done it aggregates
// them. Until then the spot is pending (res nil).
func (m *Map) slurmSpot(path string, s *Spot, so sweep.SlurmOptions) (*compare.Result, error) {
	dir := filepath.Join(m.Dir, s.Dir)
	cfg, err := config.Load(path, nil, nil)
	if err != nil {
		return nil, err
	}
	if err := sweep.Prepare(dir, compare.Spec(path, nil, cfg, s.Seeds)); err != nil {
		return nil, err
	}
	st, err := sweep.ReadStatus(dir)
	if err != nil {
		return nil, err
	}
	if err := st.Err(); err != nil {
		return nil, err
	}
	if st.Done == st.Cells {
		return compare.Aggregate(dir)
	}
	s.Verdict = VerdictPending
	s.Predicted, s.Measured, s.Half = math.NaN(), math.NaN(), math.NaN()
	marker := filepath.Join(dir, SubmittedFile)
	if job, err := os.ReadFile(marker); err == nil {
		s.Note = fmt.Sprintf("Slurm job %s: %d of %d runs done; run the map again (--backend slurm) when it ends", bytes.TrimSpace(job), st.Done, st.Cells)
		return nil, nil
	}
	_, job, err := sweep.SubmitSlurm(dir, so, nil, false)
	if err != nil {
		return nil, err
	}
	s.Note = "submitted as Slurm job " + job + "; run the map again (--backend slurm) when it ends"
	return nil, runfolder.WriteFileAtomic(marker, []byte(job+"\n"))
}

// spotName names a spot's files by its cell, seeds and generations, e.g.
// "x03-y07-s4-g16", so that changed spot settings start a new comparison
// rather than meet the old one's runs.
func (m *Map) spotName(c Cell) string {
	g := m.Spec.Spots.Generations
	if g == 0 {
		g = m.Config.Generations
	}
	return fmt.Sprintf("%s-s%d-g%d", c.Name(), m.Spec.Spots.Seeds, g)
}

// spotConfig writes the cell's config for the neural loop into the spots
// folder: the cell's mixture, curation and rewards (an aligned reward as a
// table file), the spots' generations, the map's knob, and, when the map's
// curator is the true reward, the loop curating with the true reward too.
func (m *Map) spotConfig(c Cell) (string, error) {
	cfg, err := CellConfig(m.Config, m.Spec.X, m.Spec.Y, c.X, c.Y)
	if err != nil {
		return "", err
	}
	dir := filepath.Join(m.Dir, SpotsDir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	cfg.Name += "-" + c.Name()
	if g := m.Spec.Spots.Generations; g > 0 {
		cfg.Generations = g
	}
	cfg.Theory.Predict = true
	if m.Spec.Curator == config.CuratorTrue {
		cfg.RewardModel.Use = "true"
	}
	for _, a := range []Axis{m.Spec.X, m.Spec.Y} {
		if a.Param != ParamAlignment {
			continue
		}
		base, err := categorical.NewWorld(m.Config)
		if err != nil {
			return "", err
		}
		truth, err := CellRewards(cfg, base, m.Spec.X, m.Spec.Y, c.X, c.Y)
		if err != nil {
			return "", err
		}
		pop := slices.IndexFunc(cfg.Populations, func(p config.PopulationConfig) bool { return p.Name == a.Population })
		file, err := filepath.Abs(filepath.Join(dir, m.spotName(c)+"-"+a.Population+".csv"))
		if err != nil {
			return "", err
		}
		if err := runfolder.WriteFileAtomic(file, tableCSV(truth[pop])); err != nil {
			return "", err
		}
		cfg.Populations[pop] = config.PopulationConfig{Name: a.Population, Reward: "table", File: file}
	}
	if err := train.CheckConfig(cfg); err != nil {
		return "", err
	}
	y, err := cfg.YAML()
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, m.spotName(c)+".yaml")
	return path, runfolder.WriteFileAtomic(path, y)
}

// tableCSV writes a table as rows of contexts, columns of tokens.
func tableCSV(t *data.Table) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	for ctx := 0; ctx < t.C; ctx++ {
		var rec []string
		for _, v := range t.Row(ctx) {
			rec = append(rec, format(v))
		}
		_ = w.Write(rec)
	}
	w.Flush()
	return b.Bytes()
}

var spotsHeader = []string{"x_index", "y_index", "x", "y", "dir", "seeds", "verdict", "agree", "unresolved", "disagree",
	"other_agree", "other_unresolved", "other_disagree",
	"predicted", "measured", "half_95", "predicted_label", "measured_label", "sign_verdict", "inside_verdict", "note"}

func spotsCSV(spots []Spot) []byte {
	return runfolder.Fill(spotsHeader, func(row func(...string)) {
		for _, s := range spots {
			row(strconv.Itoa(s.IX), strconv.Itoa(s.IY), format(s.X), format(s.Y), filepath.ToSlash(s.Dir), strconv.Itoa(s.Seeds),
				s.Verdict, strconv.Itoa(s.Agree), strconv.Itoa(s.Unresolved), strconv.Itoa(s.Disagree),
				strconv.Itoa(s.Other[0]), strconv.Itoa(s.Other[1]), strconv.Itoa(s.Other[2]),
				format(s.Predicted), format(s.Measured), format(s.Half), s.PredictedLabel, s.MeasuredLabel, s.SignVerdict, s.InsideVerdict, s.Note)
		}
	})
}

// readSpots reads spots.csv when a map folder has one (a map redrawn with
// --no-spot keeps its earlier spot checks on the figures).
func readSpots(dir string) ([]Spot, error) {
	f, err := os.Open(filepath.Join(dir, SpotsFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil || len(recs) == 0 || len(recs[0]) != len(spotsHeader) {
		return nil, fmt.Errorf("%s: not a spots file", filepath.Join(dir, SpotsFile))
	}
	var out []Spot
	for _, r := range recs[1:] {
		num := func(s string) float64 { v, _ := strconv.ParseFloat(s, 64); return v }
		whole := func(s string) int { v, _ := strconv.Atoi(s); return v }
		out = append(out, Spot{Cell: Cell{IX: whole(r[0]), IY: whole(r[1]), X: num(r[2]), Y: num(r[3])}, Dir: r[4], Seeds: whole(r[5]),
			Verdict: r[6], Agree: whole(r[7]), Unresolved: whole(r[8]), Disagree: whole(r[9]),
			Other:     [3]int{whole(r[10]), whole(r[11]), whole(r[12])},
			Predicted: num(r[13]), Measured: num(r[14]), Half: num(r[15]), PredictedLabel: r[16], MeasuredLabel: r[17],
			SignVerdict: r[18], InsideVerdict: r[19], Note: r[20]})
	}
	return out, nil
}
