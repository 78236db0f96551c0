package compare

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"github.com/selfconsume/selfconsume/config"
	"github.com/selfconsume/selfconsume/runfolder"
	"github.com/selfconsume/selfconsume/train"
	"github.com/selfconsume/selfconsume/train/stats"
	"github.com/selfconsume/selfconsume/train/sweep"
	"github.com/selfconsume/selfconsume/train/theory"
)

// ShiftKey is the config key the influence runs sweep.
const ShiftKey = "theory.knob.shift"

// Options say how to run a comparison.
type Options struct {
	Seeds   int
	Workers int                // cells at once (0: one per CPU)
	Observe sweep.CellObserver // told how many runs are finished; nil: nothing
}

// Run prepares (or continues) the comparison folder dir for the config at
// path with the overrides sets, runs every missing cell locally, and
// aggregates the result.
func Run(ctx context.Context, path string, sets []string, dir string, o Options) (*Result, error) {
	cfg, err := config.Load(path, sets, nil)
	if err != nil {
		return nil, err
	}
	if err := train.Validate(cfg); err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	if o.Seeds < 1 {
		return nil, fmt.Errorf("--seeds %d: need at least 1", o.Seeds)
	}
	spec := Spec(path, sets, cfg, o.Seeds)
	if err := sweep.Prepare(dir, spec); err != nil {
		return nil, err
	}
	status, err := sweep.RunLocal(ctx, dir, o.Workers, o.Observe)
	if err != nil {
		return nil, err
	}
	if err := status.Err(); err != nil {
		return nil, err
	}
	return Aggregate(dir)
}

// Spec is the sweep a comparison runs: the config's seeds with the world
// (real data, true rewards) held fixed, every run carrying its prediction,
// and with a knob the shifts -delta, 0, +delta.
func Spec(path string, sets []string, cfg config.Config, seeds int) sweep.Spec {
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	all := append(append([]string(nil), sets...),
		"world_seed="+strconv.FormatUint(cfg.EffectiveWorldSeed(), 10), "theory.predict=true")
	s := sweep.Spec{Base: abs, Sets: all, Seeds: seeds}
	if cfg.Theory.Knob.Model != "" {
		d := strconv.FormatFloat(cfg.Theory.Delta, 'g', -1, 64)
		s.Grid = sweep.Grid{{Key: ShiftKey, Values: []string{"-" + d, "0", d}}}
	}
	return s
}

// Influence is the measured and predicted influence of the knob on one
// model's alignment.
type Influence struct {
	Model, Population string
	Predicted         float64 // mean over seeds of the implicit-function prediction at the fixed point
	Isolated          float64
	Label             string  // of the prediction (theory.Label, with theory.negligible)
	Measured, Half    float64 // mean over seeds of (J(+delta) - J(-delta)) / (2 delta), and its 95% t half-width
	SD                float64 // the per-seed estimates' standard deviation
	Seeds             int
	// MeasuredLabel labels the measurement only as far as its 95% interval
	// resolves it: "negligible" when the interval lies within
	// -/+ theory.negligible, "unresolved" when it holds 0, otherwise the
	// label of the measured total against the predicted isolated effect;
	// "none" when every seed measured exactly 0.
	MeasuredLabel string
	// The checks on this influence (see Check): the sign check ("" when
	// none is made: nothing or a negligible effect predicted) and the
	// agreement of measured and predicted, with their Holm-adjusted p-values.
	SignVerdict, InsideVerdict string
	PSign, PInside             float64
	SignAgrees, Inside         bool // SignVerdict and InsideVerdict are "agree"
	// SeedsToResolve is, for a sign left unresolved, the seeds at which the
	// observed standard deviation gives a 95% t interval excluding 0
	// (stats.SeedsToResolve; 0: more than MaxSeedsToResolve).
	SeedsToResolve int
}

// MaxSeedsToResolve bounds the seeds SeedsToResolve looks at.
const MaxSeedsToResolve = 1000

// The kinds of check.
const (
	CheckLevel  = "level"  // reward after burn-in: paired measured - predicted, H0 = 0
	CheckSign   = "sign"   // influence: H0 measured = 0, resolved against the predicted sign
	CheckInside = "inside" // influence: paired measured - predicted, H0 = 0
	CheckNone   = "none"   // influence predicted absent: H0 measured = 0
)

// Check is one test of the comparison with its verdict. All checks of a
// comparison form one family: their t-test p-values are adjusted by Holm's
// step-down procedure so that a correct theory passes every check with
// probability >= 95% (stats.Decide).
type Check struct {
	What    string
	Kind    string
	Verdict string  // stats.Agree, stats.Disagree or stats.Unresolved
	P       float64 // unadjusted two-sided t-test p-value (NaN: fewer than two seeds)
	PHolm   float64 // Holm-adjusted over the comparison's checks
	Detail  string
	// SeedsToResolve: an unresolved sign check's seeds needed at the
	// observed standard deviation (see Influence.SeedsToResolve).
	SeedsToResolve int
	test           stats.Test
	influence      int // index into Result.Influence; -1 for level checks
}

// Agrees reports whether the check agrees.
func (c Check) Agrees() bool { return c.Verdict == stats.Agree }

// Result is an aggregated comparison.
type Result struct {
	Config      config.Config
	Dir         string
	Seeds       int
	Comparison  []runfolder.ComparisonRow
	Theory      runfolder.Theory
	Influence   []Influence
	Checks      []Check
	Merged      []train.AffineImage // populations whose level checks repeat an earlier population's, so left out
	Family      int                 // checks Holm counts: those whose values vary over seeds (see stats.Decide)
	BurnIn      int
	Convergence Convergence // tv_prev's floor after burn-in and when it is reached, measured and predicted
}

// Agreeing counts the checks that agree.
func (r *Result) Agreeing() int { return r.count(stats.Agree) }

// Disagreeing counts the checks that disagree.
func (r *Result) Disagreeing() int { return r.count(stats.Disagree) }

// Unresolved counts the checks the data cannot decide.
func (r *Result) Unresolved() int { return r.count(stats.Unresolved) }

func (r *Result) count(verdict string) int {
	n := 0
	for _, c := range r.Checks {
		if c.Verdict == verdict {
			n++
		}
	}
	return n
}

// Summary is the verdict line, e.g. "7 of 8 checks agree, 1 unresolved, 0
// disagree (Holm, family-wise 5%)".
func (r *Result) Summary() string {
	return fmt.Sprintf("%d of %d checks agree, %d unresolved, %d disagree (Holm, family-wise %g%%)",
		r.Agreeing(), len(r.Checks), r.Unresolved(), r.Disagreeing(), 100*stats.Alpha)
}

// cellRun is one finished cell's files.
type cellRun struct {
	seed   uint64
	shift  string
	rows   []train.Row
	pred   []train.Row
	theory runfolder.Theory
	dir    string
}

// Aggregate reads the finished cells of a comparison folder and writes
// comparison.csv, influence.csv, theory.json, prediction.csv,
// prediction_tables.csv, config.yaml, seeds/seed-N/metrics.csv and the first
// seed's tables.csv at its top level.
func Aggregate(dir string) (*Result, error) {
	spec, err := sweep.LoadSpec(filepath.Join(dir, runfolder.SpecFile))
	if err != nil {
		return nil, err
	}
	cells, err := spec.Cells()
	if err != nil {
		return nil, err
	}
	cfg, err := config.Load(spec.Base, spec.Sets, nil)
	if err != nil {
		return nil, err
	}
	var runs []cellRun
	for _, c := range cells {
		cd := sweep.CellDir(dir, c)
		if _, err := os.Stat(filepath.Join(cd, runfolder.DoneFile)); err != nil {
			continue
		}
		r := cellRun{seed: c.Seed, dir: cd}
		r.shift, _ = c.Value(ShiftKey)
		if r.rows, err = runfolder.ReadRows(filepath.Join(cd, runfolder.MetricsFile)); err != nil {
			return nil, err
		}
		if r.pred, err = runfolder.ReadRows(filepath.Join(cd, runfolder.PredictionFile)); err != nil {
			return nil, err
		}
		if r.theory, err = runfolder.ReadTheory(filepath.Join(cd, runfolder.TheoryFile)); err != nil {
			return nil, err
		}
		runs = append(runs, r)
	}
	var main []cellRun
	for _, r := range runs {
		if v, _ := strconv.ParseFloat(r.shift, 64); r.shift == "" || v == 0 {
			main = append(main, r)
		}
	}
	if len(main) == 0 {
		return nil, fmt.Errorf("%s: no finished run at the config's own weights", dir)
	}
	res := &Result{Config: cfg, Dir: dir, Seeds: len(main), BurnIn: burnIn(cfg)}
	if res.Merged, err = train.AffineRewards(cfg); err != nil {
		return nil, err
	}
	var emp, pred [][]train.Row
	for _, r := range main {
		emp = append(emp, r.rows)
		pred = append(pred, r.pred)
	}
	res.Comparison = train.CompareRows(emp, pred)
	res.Theory = meanTheory(main)
	res.trajectoryChecks(emp, pred)
	res.spreadChecks(emp, pred)
	res.convergence(emp, pred)
	if cfg.Theory.Knob.Model != "" {
		res.influence(runs, main)
	}
	res.decide()
	return res, res.write(main)
}

// burnIn is the number of generations left out of time averages.
func burnIn(cfg config.Config) int { return BurnIn(cfg.Generations, cfg.Theory.BurnIn) }

// BurnIn is the number of generations left out of time averages (the
// averages take the generations after it): theory.burn_in when set (> 0),
// else half the generations.
func BurnIn(generations, burnIn int) int {
	if burnIn > 0 {
		return burnIn
	}
	return generations / 2
}

// alignment is model m's mean reward under its own population over the
// generations after burn-in.
func alignment(rows []train.Row, model, metric string, burn int) float64 {
	s, n := 0.0, 0
	for _, r := range rows {
		if r.Model == model && r.Metric == metric && r.Generation > burn {
			s += r.Value
			n++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return s / float64(n)
}

// trajectoryChecks compares, for every model and population, the reward
// averaged over the generations after burn-in: the paired difference
// (measured - predicted) over seeds, tested against 0. A population whose
// true reward is an affine image of an earlier one's (r.Merged) is left
// out: its differences are a fixed multiple of the earlier one's, so its
// test would repeat that one's.
func (r *Result) trajectoryChecks(emp, pred [][]train.Row) {
	merged := map[int]bool{}
	for _, m := range r.Merged {
		merged[m.Pop] = true
	}
	for _, m := range r.Config.Models {
		for a, p := range r.Config.Populations {
			if merged[a] {
				continue
			}
			metric := "reward/" + p.Name
			var d, e, q []float64
			for s := range emp {
				x, y := alignment(emp[s], m.Name, metric, r.BurnIn), alignment(pred[s], m.Name, metric, r.BurnIn)
				d, e, q = append(d, x-y), append(e, x), append(q, y)
			}
			ds, es, qs := stats.Summarize(d), stats.Summarize(e), stats.Summarize(q)
			r.Checks = append(r.Checks, Check{
				What: fmt.Sprintf("%s %s after generation %d", m.Name, metric, r.BurnIn), Kind: CheckLevel,
				Detail: fmt.Sprintf("measured %.4f +- %.4f, predicted %.4f, difference %+.4f +- %.4f",
					es.Mean, es.Half(), qs.Mean, ds.Mean, ds.Half()),
				test: stats.Test{Kind: stats.Agreement, S: ds}, influence: -1,
			})
		}
	}
}

// influence estimates each model's alignment influence from the paired
// -delta/+delta runs (same seed: common random numbers) and sets up its
// checks against the prediction: with nothing predicted, that the measured
// effect is 0; otherwise that it equals the prediction (paired per seed
// with that seed's prediction) and, unless the prediction is negligible,
// that its sign is the predicted one.
func (r *Result) influence(runs, main []cellRun) {
	cfg := r.Config
	delta := cfg.Theory.Delta
	plus, minus, zero := map[uint64]cellRun{}, map[uint64]cellRun{}, map[uint64]cellRun{}
	for _, run := range runs {
		v, err := strconv.ParseFloat(run.shift, 64)
		switch {
		case err != nil:
		case v > 0:
			plus[run.seed] = run
		case v < 0:
			minus[run.seed] = run
		}
	}
	for _, run := range main {
		zero[run.seed] = run
	}
	seeds := make([]uint64, 0, len(plus))
	for seed := range plus {
		seeds = append(seeds, seed)
	}
	slices.Sort(seeds)
	scale := 0.0
	for _, pi := range r.Theory.Influence {
		scale = math.Max(scale, math.Max(math.Abs(float64(pi.Predicted)), math.Abs(float64(pi.Isolated))))
	}
	neg := cfg.Theory.Negligible
	for k, pi := range r.Theory.Influence {
		self := pi.Model == cfg.Theory.Knob.Model
		in := Influence{Model: pi.Model, Population: pi.Population, Predicted: float64(pi.Predicted), Isolated: float64(pi.Isolated)}
		in.Label = pi.Label
		if pi.Label != theory.LabelNone {
			in.Label = theory.Label(in.Predicted, in.Isolated, self, labelTol*scale, neg)
			r.Theory.Influence[k].Label = in.Label // theory.json: the label of the mean prediction
		}
		metric := "reward/" + pi.Population
		var est, diff []float64
		for _, seed := range seeds {
			p := plus[seed]
			m, ok := minus[seed]
			if !ok {
				continue
			}
			e := (alignment(p.rows, pi.Model, metric, r.BurnIn) - alignment(m.rows, pi.Model, metric, r.BurnIn)) / (2 * delta)
			est = append(est, e)
			pred := in.Predicted
			if z, ok := zero[seed]; ok && k < len(z.theory.Influence) {
				pred = float64(z.theory.Influence[k].Predicted)
			}
			diff = append(diff, e-pred)
		}
		es := stats.Summarize(est)
		in.Measured, in.Half, in.SD, in.Seeds = es.Mean, es.Half(), es.SD, es.N
		in.MeasuredLabel = measuredLabel(es, in.Isolated, self, neg)
		r.Influence = append(r.Influence, in)
		idx := len(r.Influence) - 1
		kind := "cross"
		if self {
			kind = "self"
		}
		measured := fmt.Sprintf("measured %+.4f +- %.4f", in.Measured, in.Half)
		if in.Label == theory.LabelNone {
			// The knob cannot reach this model (no data path): the check
			// is that the measured effect is nil too.
			r.Checks = append(r.Checks, Check{What: fmt.Sprintf("%s-influence on %s: none predicted", kind, in.Model),
				Kind: CheckNone, Detail: measured, test: stats.Test{Kind: stats.Agreement, S: es}, influence: idx})
			continue
		}
		if in.Label != theory.LabelNegligible {
			want := 1
			if in.Predicted < 0 {
				want = -1
			}
			r.Checks = append(r.Checks, Check{What: fmt.Sprintf("%s-influence on %s: sign", kind, in.Model), Kind: CheckSign,
				Detail: fmt.Sprintf("%s, predicted %+.4f (%s)", measured, in.Predicted, in.Label),
				test:   stats.Test{Kind: stats.Sign, S: es, Want: want}, influence: idx})
		}
		ds := stats.Summarize(diff)
		what := fmt.Sprintf("%s-influence on %s: measured = predicted", kind, in.Model)
		if in.Label == theory.LabelNegligible {
			what += fmt.Sprintf(" (predicted negligible, |x| < %g: sign not checked)", neg)
		}
		r.Checks = append(r.Checks, Check{What: what, Kind: CheckInside,
			Detail: fmt.Sprintf("%s, predicted %+.4f, difference %+.4f +- %.4f", measured, in.Predicted, ds.Mean, ds.Half()),
			test:   stats.Test{Kind: stats.Agreement, S: ds}, influence: idx})
	}
}

// seedsNeeded says how many seeds the observed spread needs for a 95%
// interval (n95) and for Holm's strictest level 5%/m (nfam, enough under
// Holm whatever the other checks do) to exclude 0.
func seedsNeeded(n95, nfam, m int) string {
	say := func(n int) string {
		if n == 0 {
			return fmt.Sprintf("over %d", MaxSeedsToResolve)
		}
		return strconv.Itoa(n)
	}
	return fmt.Sprintf("at this spread %s seeds give a 95%% interval excluding 0, %s at level 5%%/%d", say(n95), say(nfam), m)
}

// labelTol is the relative size, against the largest predicted influence,
// under which an influence counts as zero (as in theory.Influence).
const labelTol = 1e-9

// measuredLabel labels a measured influence as far as its 95% interval
// resolves it (see Influence.MeasuredLabel).
// "none" when every seed measured exactly 0.
func measuredLabel(s stats.Summary, iso float64, self bool, negligible float64) string {
	half := s.Half()
	switch {
	case s.N < 2:
		return stats.Unresolved
	case s.Mean == 0 && s.SD == 0:
		return theory.LabelNone // the knob did not move this model at all
	case math.Abs(s.Mean)+half < negligible:
		return theory.LabelNegligible
	case math.Abs(s.Mean) <= half:
		return stats.Unresolved
	}
	return theory.Label(s.Mean, iso, self, 0, 0)
}

// decide runs every check's test within the comparison's family (Holm,
// family-wise 5%) and copies the verdicts to the influence entries.
func (r *Result) decide() {
	tests := make([]stats.Test, len(r.Checks))
	r.Family = 0
	for i, c := range r.Checks {
		tests[i] = c.test
		if c.test.S.N >= 2 && c.test.S.SE > 0 {
			r.Family++
		}
	}
	for i, d := range stats.Decide(tests, stats.Alpha) {
		c := &r.Checks[i]
		c.Verdict, c.P, c.PHolm = d.Verdict, d.P, d.PHolm
		c.Detail += fmt.Sprintf("; p %.3g, Holm %.3g", d.P, d.PHolm)
		if c.Kind == CheckSign && c.Verdict == stats.Unresolved {
			s := c.test.S
			c.SeedsToResolve = stats.SeedsToResolve(s.Mean, s.SD, stats.Alpha, MaxSeedsToResolve)
			m := max(r.Family, 1)
			fam := stats.SeedsToResolve(s.Mean, s.SD, stats.Alpha/float64(m), MaxSeedsToResolve)
			c.Detail += "; unresolved: " + seedsNeeded(c.SeedsToResolve, fam, m)
		}
		if c.influence < 0 {
			continue
		}
		in := &r.Influence[c.influence]
		switch c.Kind {
		case CheckSign:
			in.SignVerdict, in.PSign, in.SignAgrees, in.SeedsToResolve = c.Verdict, c.PHolm, c.Agrees(), c.SeedsToResolve
		case CheckInside, CheckNone:
			in.InsideVerdict, in.PInside, in.Inside = c.Verdict, c.PHolm, c.Agrees()
		}
	}
	r.uninformative()
}

// uninformative turns an influence's "measured = predicted" agreement into
// unresolved when its sign check is unresolved: an interval that holds both
// 0 and the prediction confirms neither, so not rejecting the prediction is
// no evidence for it. Disagreements stand.
func (r *Result) uninformative() {
	for i := range r.Checks {
		c := &r.Checks[i]
		if c.Kind != CheckInside || c.Verdict != stats.Agree || c.influence < 0 {
			continue
		}
		in := &r.Influence[c.influence]
		if in.SignVerdict != stats.Unresolved {
			continue
		}
		c.Verdict = stats.Unresolved
		c.Detail += "; unresolved: the interval holds 0 as well as the prediction"
		in.InsideVerdict, in.Inside = c.Verdict, false
	}
}
