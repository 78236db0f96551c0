package planar

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/gob"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"

	"github.com/selfconsume/selfconsume/config"
	"github.com/selfconsume/selfconsume/curate"
	"github.com/selfconsume/selfconsume/data"
	"github.com/selfconsume/selfconsume/models"
	"github.com/selfconsume/selfconsume/runfolder"
	"github.com/selfconsume/selfconsume/train/family"
)

// planar is the family of 2-D density models (normalizing flows): rewards
// and curators act on points, metrics are Monte Carlo with fixed evaluation
// noise, and the theory runs on a grid of cells.
type planar struct {
	cfg      config.Config
	plane    data.Plane
	truth    []curate.PlaneReward
	scorers  []*models.Scorer // learned curators, one per population (nil: the true rewards curate)
	rmStats  []family.RewardModelStats
	heldout  []float64
	flows    []*flowModel
	grid     planeGrid     // the theory grid
	plot     planeGrid     // density.csv's grid
	gw       *family.World // the grid world: q, rewards and curators as 1 x cells tables
	tables   [][]*data.Table
	curator0 []*data.Table
}

// energyPoints is how many model and held-out points the energy distance
// compares (its cost grows with the square).
const energyPoints = 1024

// planarFrozen is a flow as it stands after a generation: the live flow
// (sampled before the next training phase changes it), its fixed-noise
// evaluation samples and its grid table.
type planarFrozen struct {
	m     *flowModel
	eval  []float64
	table *data.Table
}

func newPlanar(cfg config.Config) (*planar, error) {
	p := &planar{cfg: cfg}
	pc := *cfg.Data.Plane
	var err error
	if p.plane, err = planeOf(pc); err != nil {
		return nil, err
	}
	if p.truth, err = planeRewards(cfg); err != nil {
		return nil, err
	}
	bounds := planeBounds(pc, p.plane.Modes())
	p.grid, p.plot = newPlaneGrid(bounds, pc.Resolution), newPlaneGrid(bounds, pc.PlotResolution)
	p.heldout = p.plane.Sample(data.Stream(cfg.EffectiveWorldSeed(), data.PurposeEval), cfg.Data.Heldout)
	p.gw = &family.World{Context: []float64{1}, Real: p.grid.table(p.logDensities(p.grid.centres))}
	for _, r := range p.truth {
		p.gw.Truth = append(p.gw.Truth, p.grid.values(r.At))
	}
	if err := p.gw.SetMix(cfg); err != nil {
		return nil, err
	}
	for i, m := range cfg.Models {
		fm, err := newFlowModel(m, data.Stream(cfg.Seed, data.PurposeInit, i, 0))
		if err != nil {
			p.Close()
			return nil, fmt.Errorf("model %s: %w", m.Name, err)
		}
		p.flows = append(p.flows, fm)
	}
	if cfg.RewardModel.Use == "learned" {
		rc := cfg.RewardModel
		for a := range cfg.Populations {
			s, err := models.NewScorer(models.ScorerConfig{Inputs: 2, Hidden: rc.Hidden, Batch: rc.Batch, LR: rc.LR},
				data.Stream(cfg.Seed, data.PurposeRewardModel, a))
			if err != nil {
				p.Close()
				return nil, err
			}
			p.scorers = append(p.scorers, s)
		}
	}
	return p, nil
}

// planeOf builds the real distribution on the plane.
func planeOf(pc config.PlaneConfig) (data.Plane, error) {
	var plane data.Plane
	var err error
	switch pc.Shape {
	case "ring":
		plane, err = data.Ring(pc.Count, pc.Radius, pc.Std)
	case "grid":
		plane, err = data.Grid(pc.Rows, pc.Cols, pc.Spacing, pc.Std)
	case "moons":
		plane, err = data.NewMoons(pc.Noise)
	}
	if err != nil {
		return nil, fmt.Errorf("data.plane: %w", err)
	}
	return plane, nil
}

// planeRewards builds every population's reward on the plane.
func planeRewards(cfg config.Config) ([]curate.PlaneReward, error) {
	names, of := family.Negations(cfg)
	return curate.Resolve(names, of, func(i int) (curate.PlaneReward, error) {
		p := cfg.Populations[i]
		r, err := curate.PlaneRewardOf(p.Reward, p.Weights, p.Point, p.Gamma, p.RMin)
		if err != nil {
			return nil, fmt.Errorf("populations.%d: %w", i, err)
		}
		return r, nil
	}, func(r curate.PlaneReward) curate.PlaneReward { return curate.Negated{R: r} })
}

func (p *planar) logDensities(xs []float64) []float64 {
	out := make([]float64, len(xs)/2)
	for i := range out {
		out[i] = p.plane.LogDensity([2]float64{xs[2*i], xs[2*i+1]})
	}
	return out
}

func (p *planar) Models() []family.Trainable {
	out := make([]family.Trainable, len(p.flows))
	for i, f := range p.flows {
		out[i] = f
	}
	return out
}

func (p *planar) Close() {
	for _, f := range p.flows {
		f.Close()
	}
	for _, s := range p.scorers {
		s.Close()
	}
}

// score is population a's curator on the points xs (pairs).
func (p *planar) score(a int, xs []float64) []float64 {
	n := len(xs) / 2
	if p.scorers == nil {
		out := make([]float64, n)
		for i := range out {
			out[i] = p.truth[a].At([2]float64{xs[2*i], xs[2*i+1]})
		}
		return out
	}
	return p.scorers[a].Score(xs, n)
}

// uniformPoint draws a point uniformly in the theory grid's box.
func (p *planar) uniformPoint(rng *rand.Rand) [2]float64 {
	g := p.grid
	return [2]float64{g.lo[0] + rng.Float64()*(g.hi[0]-g.lo[0]), g.lo[1] + rng.Float64()*(g.hi[1]-g.lo[1])}
}

// fitScorer runs steps Bradley-Terry steps of population a's reward model on
// pairs from draw.
func (p *planar) fitScorer(ctx context.Context, a, steps int, rng *rand.Rand, draw func() ([2]float64, [2]float64)) (float64, error) {
	rc := p.cfg.RewardModel
	loss, err := curate.FitPairs(ctx, p.scorers[a], steps, func(win, lose []float32) {
		x, y := draw()
		if !curate.PreferFirst(rng, p.truth[a].At(x), p.truth[a].At(y), rc.LabelTemperature, rc.LabelNoise) {
			x, y = y, x
		}
		win[0], win[1], lose[0], lose[1] = float32(x[0]), float32(x[1]), float32(y[0]), float32(y[1])
	})
	if err != nil {
		return loss, fmt.Errorf("population %s: %w", p.cfg.Populations[a].Name, err)
	}
	return loss, nil
}

// basePairs draws compared points from the broad reference (uniform over
// the box) or from the real data.
func (p *planar) basePairs(rng *rand.Rand) func() ([2]float64, [2]float64) {
	if p.cfg.RewardModel.Pairs == "real" {
		return func() ([2]float64, [2]float64) {
			xs := p.plane.Sample(rng, 2)
			return [2]float64{xs[0], xs[1]}, [2]float64{xs[2], xs[3]}
		}
	}
	return func() ([2]float64, [2]float64) { return p.uniformPoint(rng), p.uniformPoint(rng) }
}

func (p *planar) FitCurators(ctx context.Context) error {
	P := len(p.cfg.Populations)
	p.gw.Curator = slices.Clone(p.gw.Truth)
	if p.scorers != nil {
		p.rmStats = make([]family.RewardModelStats, P)
		err := family.Parallel(P, p.cfg.Workers, func(a int) error {
			rng := data.Stream(p.cfg.Seed, data.PurposeLabels, a)
			loss, err := p.fitScorer(ctx, a, p.cfg.RewardModel.Steps, rng, p.basePairs(rng))
			p.rmStats[a] = family.RewardModelStats{Population: p.cfg.Populations[a].Name, FinalLoss: loss}
			return err
		})
		if err != nil {
			return err
		}
		for a := range p.scorers {
			p.gw.Curator[a] = &data.Table{C: 1, V: p.grid.cells(), P: p.score(a, p.grid.centres)}
			p.rmStats[a].PairAgreement = p.pairAgreement(a)
			p.rmStats[a].Spearman = curate.Spearman(p.gw.Curator[a].P, p.gw.Truth[a].P)
		}
	}
	p.curator0 = slices.Clone(p.gw.Curator)
	return nil
}

// pairAgreement is the share of 2000 reference pairs (uniform over the box,
// a fixed stream) that the learned reward orders like the truth.
func (p *planar) pairAgreement(a int) float64 {
	rng := data.Stream(p.cfg.Seed, data.PurposeEval, 7, a)
	const n = 2000
	xs := make([]float64, 0, 4*n)
	for i := 0; i < 2*n; i++ {
		x := p.uniformPoint(rng)
		xs = append(xs, x[0], x[1])
	}
	s := p.score(a, xs)
	agree, total := 0, 0
	for i := 0; i < n; i++ {
		x, y := [2]float64{xs[4*i], xs[4*i+1]}, [2]float64{xs[4*i+2], xs[4*i+3]}
		dt := p.truth[a].At(x) - p.truth[a].At(y)
		if dt == 0 {
			continue
		}
		total++
		if (s[2*i]-s[2*i+1])*dt > 0 {
			agree++
		}
	}
	return float64(agree) / float64(max(total, 1))
}

func (p *planar) RefitCurators(ctx context.Context, t int, fr []*planarFrozen) error {
	if p.scorers == nil {
		return nil
	}
	return family.Parallel(len(p.scorers), p.cfg.Workers, func(a int) error {
		rng := data.Stream(p.cfg.Seed, data.PurposeLabels, a, t)
		base := p.basePairs(rng)
		var own []*flowModel
		for i, pop := range p.gw.PopIndex {
			if pop == a {
				own = append(own, fr[i].m)
			}
		}
		p.scorers[a].ResetOptimizer()
		_, err := p.fitScorer(ctx, a, p.cfg.RewardModel.RefitSteps, rng, func() ([2]float64, [2]float64) {
			if len(own) == 0 || rng.IntN(2) == 0 {
				return base()
			}
			xs := own[rng.IntN(len(own))].f.Sample(rng, 2)
			return [2]float64{xs[0], xs[1]}, [2]float64{xs[2], xs[3]}
		})
		if err != nil {
			return fmt.Errorf("generation %d: %w", t, err)
		}
		p.gw.Curator[a] = &data.Table{C: 1, V: p.grid.cells(), P: p.score(a, p.grid.centres)}
		return nil
	})
}

func (p *planar) Real(rng *rand.Rand, n int) data.Set { return data.FromPoints(p.plane.Sample(rng, n)) }

// needTables reports whether the flows' grid tables are computed: for the
// grid metrics (kl_real, tv_real, entropy, zero_mass, tv_prev) under
// metrics full, and for the prediction (its generation-0 tables, tv_pred)
// under theory.predict. Otherwise p.tables stays empty and the frozen flows
// carry no table.
func (p *planar) needTables() bool { return !p.cfg.MinimalMetrics() || p.cfg.Theory.Predict }

// freeze captures every flow: fixed-noise evaluation samples (the same
// normal draws every generation, so curves move only when the model does)
// and, when needed, the grid table. Neither draws from a stream the loop
// uses, so skipping the table changes no training number.
func (p *planar) freeze() []*planarFrozen {
	fr := make([]*planarFrozen, len(p.flows))
	tables := p.needTables()
	_ = family.Parallel(len(p.flows), p.cfg.Workers, func(i int) error {
		m := p.flows[i]
		f := &planarFrozen{m: m, eval: m.f.Sample(data.Stream(p.cfg.Seed, data.PurposeEval, 1000+i), p.cfg.Data.Plane.Eval)}
		if tables {
			f.table = p.grid.table(m.logProb(p.grid.centres))
		}
		fr[i] = f
		return nil
	})
	return fr
}

func (p *planar) FreezeAll(t int) []*planarFrozen {
	fr := p.freeze()
	if !p.needTables() {
		return fr
	}
	tabs := make([]*data.Table, len(fr))
	for i, f := range fr {
		tabs[i] = f.table
	}
	p.tables = append(p.tables[:t], tabs)
	return fr
}

func (p *planar) Draw(fz *planarFrozen, rng *rand.Rand, n int) data.Set {
	return data.FromPoints(fz.m.f.Sample(rng, n))
}

func (p *planar) Curate(j int, fz *planarFrozen, rng *rand.Rand, n int) (data.Set, curate.ChoiceStats) {
	ch := curate.Chooser{K: p.cfg.Curation.K, Tau: p.cfg.Curation.Tau}
	cand := fz.m.f.Sample(rng, ch.K*n)
	kept, st := ch.Points(rng, cand, p.score(p.gw.PopIndex[j], cand))
	return data.FromPoints(kept), st
}

// Measure adds the Monte Carlo metrics on the fixed-noise evaluation samples
// and the held-out set, and the exact ones on the grid tables; under
// metrics minimal only reward/<population>, from the evaluation samples.
func (p *planar) Measure(t, i int, fz, prev *planarFrozen, set data.Set, add func(string, float64)) {
	f := fz
	for a, pop := range p.cfg.Populations {
		s := 0.0
		for k := 0; k+1 < len(f.eval); k += 2 {
			s += p.truth[a].At([2]float64{f.eval[k], f.eval[k+1]})
		}
		add("reward/"+pop.Name, s/float64(len(f.eval)/2))
	}
	if p.cfg.MinimalMetrics() {
		return
	}
	sc := p.score(p.gw.PopIndex[i], f.eval)
	add("reward_model", mean(sc))
	kl, tv, ent, zero := family.TableMetrics(f.table, p.gw.Real, p.gw.Context)
	add("kl_real", kl)
	add("tv_real", tv)
	add("entropy", ent)
	add("zero_mass", zero)
	if prev != nil {
		add("tv_prev", family.TV(f.table, prev.table, p.gw.Context))
	}
	add("train_nll", -mean(f.m.logProb(set.Points())))
	add("heldout_nll", -mean(f.m.logProb(p.heldout)))
	counts := data.ModeCounts(p.plane, f.eval)
	for k, c := range counts {
		add(fmt.Sprintf("mode/%d", k), float64(c)/float64(len(f.eval)/2))
	}
	m := min(len(f.eval), len(p.heldout), 2*energyPoints)
	add("energy_distance", energyDistance(f.eval[:m], p.heldout[:m]))
}

// StepFLOPs counts one training step of a flow: per coupling, the
// conditioner 1 -> H -> H -> 2 forward (2 B (H + H^2 + 2H)) and backward
// (twice that).
func (p *planar) StepFLOPs(i, batch int) float64 {
	m := p.cfg.Models[i]
	h := float64(m.Hidden[0])
	return 3 * float64(m.Depth) * 2 * float64(batch) * (h + h*h + 2*h)
}

func (p *planar) Records() []family.RecordFile {
	return []family.RecordFile{{Name: runfolder.DensityFile, Header: runfolder.DensityColumns}, {Name: runfolder.SamplesFile, Header: runfolder.SamplesColumns}}
}

func (p *planar) Record(t int, fr []*planarFrozen, ws []*csv.Writer) {
	gen := strconv.Itoa(t)
	for i, fz := range fr {
		f := fz
		name := p.cfg.Models[i].Name
		lp := f.m.logProb(p.plot.centres)
		for k, l := range lp {
			ws[0].Write([]string{gen, name, runfolder.FormatFloat(p.plot.centres[2*k]), runfolder.FormatFloat(p.plot.centres[2*k+1]), runfolder.FormatFloat(math.Exp(l))})
		}
		for k := 0; k < min(p.cfg.Data.Plane.Plotted, len(f.eval)/2); k++ {
			ws[1].Write([]string{gen, name, runfolder.FormatFloat(f.eval[2*k]), runfolder.FormatFloat(f.eval[2*k+1])})
		}
	}
}

// Summaries are the world files on the theory grid (with the grid and the
// generation-0 grid tables), modes.csv, reward_grid.csv and, with learned
// curators, reward_models.csv. Called once, after generation 0.
func (p *planar) Summaries() map[string][]byte {
	var learned []*data.Table
	if p.scorers != nil {
		learned = p.curator0
	}
	out := family.WorldFiles(p.cfg, p.gw, learned)
	out[runfolder.WorldGridFile] = p.grid.gridCSV()
	out[runfolder.WorldStartFile] = family.StartTablesCSV(p.cfg, p.startTables())
	if p.rmStats != nil {
		out[runfolder.RewardModelsFile] = family.RewardModelsCSV(p.rmStats)
	}
	var modes, rg [][]string
	for k, m := range p.plane.Modes() {
		modes = append(modes, []string{strconv.Itoa(k), runfolder.FormatFloat(m[0]), runfolder.FormatFloat(m[1])})
	}
	for a, pop := range p.cfg.Populations {
		for k := 0; k < p.plot.cells(); k++ {
			x := [2]float64{p.plot.centres[2*k], p.plot.centres[2*k+1]}
			rg = append(rg, []string{pop.Name, runfolder.FormatFloat(x[0]), runfolder.FormatFloat(x[1]), runfolder.FormatFloat(p.truth[a].At(x))})
		}
	}
	// in memory: no write errors
	out[runfolder.ModesFile], _ = runfolder.CSVBytes(runfolder.ModesColumns, modes)
	out[runfolder.RewardGridFile], _ = runfolder.CSVBytes(runfolder.RewardGridColumns, rg)
	return out
}

// Start is the grid world with the curators of generation 0 and the
// generation-0 grid tables.
func (p *planar) Start() (*family.World, []*data.Table) {
	w := *p.gw
	w.Curator = p.curator0
	return &w, p.tables[0]
}

func (p *planar) World() *family.World { return p.gw }

func (p *planar) Outcome() family.Outcome {
	return family.Outcome{World: p.gw, RewardStats: p.rmStats, Tables: p.tables}
}

// Empirical: a flow's points are not on the grid's support.
func (p *planar) Empirical(data.Set) (*data.Table, []float64, bool) { return nil, nil, false }

// startTables are the flows' generation-0 grid tables: those the prediction
// starts from, or, when the loop keeps no tables (metrics minimal without
// theory.predict), the same computation on the flows, which must still be
// at generation 0.
func (p *planar) startTables() []*data.Table {
	if len(p.tables) > 0 {
		return p.tables[0]
	}
	out := make([]*data.Table, len(p.flows))
	for i, m := range p.flows {
		out[i] = p.grid.table(m.logProb(p.grid.centres))
	}
	return out
}

func (p *planar) TableAt(t, i int) *data.Table { return p.tables[t][i] }

// planarState is the planar family's part of a checkpoint.
type planarState struct {
	ScorerParams [][]float32
	RewardStats  []family.RewardModelStats
	Curator      []*data.Table
	Curator0     []*data.Table
	Tables       [][]*data.Table
}

func (p *planar) State() ([]byte, error) {
	st := planarState{RewardStats: p.rmStats, Curator: p.gw.Curator, Curator0: p.curator0, Tables: p.tables}
	for _, s := range p.scorers {
		st.ScorerParams = append(st.ScorerParams, s.Params())
	}
	var buf bytes.Buffer
	err := gob.NewEncoder(&buf).Encode(st)
	return buf.Bytes(), err
}

func (p *planar) Restore(b []byte) ([]*planarFrozen, error) {
	var st planarState
	if err := gob.NewDecoder(bytes.NewReader(b)).Decode(&st); err != nil {
		return nil, err
	}
	if len(st.ScorerParams) != len(p.scorers) {
		return nil, fmt.Errorf("checkpoint has %d reward models, config has %d", len(st.ScorerParams), len(p.scorers))
	}
	for a, s := range p.scorers {
		if err := s.SetParams(st.ScorerParams[a]); err != nil {
			return nil, err
		}
	}
	p.rmStats, p.gw.Curator, p.curator0, p.tables = st.RewardStats, st.Curator, st.Curator0, st.Tables
	return p.freeze(), nil
}
