package train

import (
	"bufio"
	"cmp"
	"fmt"
	"math"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"

	"github.com/selfconsume/selfconsume/config"
	"github.com/selfconsume/selfconsume/runfolder"
	"github.com/selfconsume/selfconsume/train/theory"
)

// Estimate is a rough forecast, from the config alone, of what a run needs:
// its peak memory (the largest parts named), its time on one core, and the
// size of its largest CSV. Memory counts what the run holds at once (tables
// kept for every generation, sample sets, networks with their gradients and
// Adam moments, the theory's Jacobian blocks) with a factor for the garbage
// collector; time counts FLOPs at a modest rate plus a per-step overhead.
// Both aim at the right order of magnitude, not at a measurement.
type Estimate struct {
	Bytes     float64
	Parts     []EstimatePart // largest first
	Seconds   float64
	CSVBytes  float64 // tables.csv (categorical) or density.csv (planar)
	CSVName   string
	Available float64 // the machine memory it is held against
	MemSource string  // where Available came from
}

// EstimatePart is one term of the memory estimate.
type EstimatePart struct {
	What  string
	Bytes float64
	Hint  string // how to make it smaller, when not obvious
}

// The constants of the estimate.
const (
	sampleBytes = 24 // data.Sample
	// estimateFLOPS is the rate assumed for training arithmetic, one core:
	// below what the gemm kernels reach, for small layers' overheads.
	estimateFLOPS = 2e9
	// stepOverhead is the fixed cost of one Adam step (graph, optimiser).
	stepOverhead = 20e-6
	// gcFactor is the heap's peak over its live data with GOGC=400 on the
	// sets and tables the loop reallocates each generation.
	gcFactor = 2
	// runtimeBytes is the process's base: binary, runtime, buffers.
	runtimeBytes = 64 << 20
	// DefaultMemory is the machine memory assumed where /proc/meminfo (and
	// a cgroup limit) cannot be read.
	DefaultMemory = 8 << 30
	// MaxCSVBytes bounds the estimated size of the largest CSV a run writes.
	MaxCSVBytes = 16 << 30
	// MaxSeconds bounds the estimated time of one run: 30 days on one core.
	// Longer runs belong to a sweep of shorter ones.
	MaxSeconds = 30 * 24 * 3600
)

// EstimateRun forecasts cfg's memory and time; cfg must be otherwise valid.
func EstimateRun(cfg config.Config) Estimate {
	var e Estimate
	add := func(what string, b float64) {
		if b > 0 {
			e.Parts = append(e.Parts, EstimatePart{What: what, Bytes: b})
		}
	}
	G := float64(cfg.Generations)
	M := float64(len(cfg.Models))
	P := float64(len(cfg.Populations))
	K := float64(cfg.Curation.K)
	k, err := kindOf(cfg)
	if err != nil {
		return e // Validate has refused cfg already
	}
	fc := k.cost(cfg)
	C, V, inputs := fc.contexts, fc.cells, fc.rewardInputs
	secs, steps := 0.0, 0.0
	// Tables: the loop keeps every model's table of every generation, the
	// prediction its trajectory; the world holds the real table, truths
	// and curators.
	cells := C * V
	add("tables kept per model and generation", (G+1)*M*cells*8)
	add("real, true and curator tables", (1+2*P)*cells*8)
	if cfg.Theory.Predict {
		add("predicted trajectory", (G+1)*M*cells*8)
		b := M * (V - 1)
		if matrixFree(cfg) {
			// per context in work (one per core): the law's Jacobians,
			// factored (2 x 50 quadrature nodes) for finite K >= 3 at
			// tau > 0, V x V otherwise, and the Krylov basis
			row := 2 * 50 * V
			if cfg.Curation.K < 3 || cfg.Curation.Tau == 0 {
				row = V * V
			}
			workers := float64(runtime.GOMAXPROCS(0))
			add("theory matrix-free work", workers*M*(row+(krylovVectors+1)*V)*8)
			// about 300 evaluations of the law (generations of the map,
			// Jacobians) at 50 nodes
			secs += 300 * 50 * M * C * V * 4 / estimateFLOPS
		} else {
			add("theory Jacobian blocks", (C+3)*b*b*8)
			secs += C * 10 * b * b * b / estimateFLOPS // eigenvalues
		}
		e.Parts[len(e.Parts)-1].Hint = "theory.predict: false runs without the prediction"
		secs += (G + 1) * M * cells * K * 20 / estimateFLOPS
	}
	// Samples: training sets, raw and curated pools; accumulating regimes
	// keep every generation's mixture.
	var setSamples, fitSecs float64
	for _, m := range cfg.Models {
		n := float64(m.N)
		pool := math.Max(float64(cfg.Curation.Pool), n)
		keep := 3*n + pool
		if cfg.Regime != config.RegimeReplace {
			keep += (G + 1) * n
		}
		setSamples += keep
		perEpoch := math.Ceil(n / float64(m.Batch))
		s := float64(m.InitSteps) + G*float64(m.Epochs)*perEpoch
		steps += s
		params, acts, flops, perSample := fc.model(m)
		secs += G * (n + K*pool) * perSample
		add(fmt.Sprintf("model %s network", m.Name), 4*(6*params+4*acts))
		fitSecs += s * (flops/estimateFLOPS + stepOverhead)
	}
	secs += fitSecs
	add("sample sets and pools", setSamples*sampleBytes)
	var extra float64
	extra, e.CSVName, e.CSVBytes = fc.files(add)
	secs += extra
	if rc := cfg.RewardModel; rc.Use == "learned" {
		params, acts := denseSizes(inputs, rc.Hidden, 1, float64(2*rc.Batch))
		add("reward models", P*4*(6*params+4*acts))
		fits := float64(rc.Steps)
		if rc.Refit {
			fits += G * float64(rc.RefitSteps)
		}
		flops := 3 * 2 * 2 * float64(rc.Batch) * params
		steps += P * fits
		secs += P * fits * (flops/estimateFLOPS + stepOverhead)
		scores := 1.0
		if rc.Refit {
			scores += G
		}
		secs += P * scores * cells * 2 * params / estimateFLOPS
	}
	rows := (G + 1) * M * (32 + P)
	add("metrics rows", rows*80)
	slices.SortFunc(e.Parts, func(a, b EstimatePart) int { return -cmp.Compare(a.Bytes, b.Bytes) })
	live := 0.0
	for _, p := range e.Parts {
		live += p.Bytes
	}
	e.Bytes = runtimeBytes + gcFactor*live
	e.Seconds = secs + G*M*2e-3 // per generation bookkeeping and writing
	e.Available, e.MemSource = MachineMemory()
	return e
}

// cost is what a family brings to a run's estimate.
type cost struct {
	contexts, cells float64 // the theory's support: contexts x cells
	rewardInputs    float64 // a reward model's input width
	// model is one generator's parameters, activations, FLOPs of a training
	// step, and seconds per sampled (or curation candidate) output.
	model func(m config.ModelConfig) (params, acts, stepFLOPs, perSample float64)
	// files adds the family's own data and files to the estimate (through
	// add) and returns their seconds and the largest CSV it writes.
	files func(add func(what string, bytes float64)) (secs float64, csvName string, csvBytes float64)
}

// categoricalCost: tables over contexts x tokens, one-hot inputs.
func categoricalCost(cfg config.Config) cost {
	C, V := float64(cfg.Data.Contexts), float64(cfg.Data.Tokens)
	G, M := float64(cfg.Generations), float64(len(cfg.Models))
	return cost{contexts: C, cells: V, rewardInputs: C + V, // one-hot context and token
		model: func(m config.ModelConfig) (float64, float64, float64, float64) {
			params, acts := denseSizes(C, m.Hidden, V, C)
			acts += C * C // the one-hot context input
			return params, acts, generatorStepFLOPs(int(C), int(V), m.Hidden), 100e-9
		},
		files: func(add func(string, float64)) (float64, string, float64) {
			add("held-out samples", float64(cfg.Data.Heldout)*sampleBytes)
			return 0, runfolder.TablesFile, (G + 1) * M * C * V * 34
		},
	}
}

// planarCost: flows on points, the theory on a resolution x resolution grid.
func planarCost(cfg config.Config) cost {
	pc := cfg.Data.Plane
	r := float64(pc.Resolution)
	G, M := float64(cfg.Generations), float64(len(cfg.Models))
	return cost{contexts: 1, cells: r * r, rewardInputs: 2,
		model: func(m config.ModelConfig) (float64, float64, float64, float64) {
			h := float64(m.Hidden[0])
			d := float64(m.Depth)
			params := d * 2 * (2*h + h*h + 2*h + 2*h + 2)
			acts := d * float64(m.Batch) * (4*h + 4)
			flops := 3 * d * 2 * float64(m.Batch) * (h + h*h + 2*h)
			// sampling K candidates through the flow and scoring them
			return params, acts, flops, d * 2 * (h + h*h + 2*h) * 2 / estimateFLOPS
		},
		files: func(add func(string, float64)) (float64, string, float64) {
			add("evaluation, held-out and plotted points", (M*float64(pc.Eval)+float64(cfg.Data.Heldout)+M*float64(pc.Plotted))*16)
			pr := float64(pc.PlotResolution)
			add("density grid", M*pr*pr*8*2)
			secs := (G + 1) * M * (r*r + pr*pr + float64(pc.Eval)) * 2e-6 // density and Monte Carlo evaluation
			return secs, runfolder.DensityFile, (G + 1) * M * (pr*pr*40 + float64(pc.Plotted)*30)
		},
	}
}

// krylovVectors is the largest Krylov basis of the matrix-free theory
// (theory's GMRES restart length).
const krylovVectors = 120

// matrixFree reports whether the prediction of cfg uses the matrix-free
// solver (theory.solver, or by size under auto; see theory.DenseLimit).
func matrixFree(cfg config.Config) bool {
	k, err := kindOf(cfg)
	if err != nil {
		return false
	}
	c, v := k.support(cfg)
	return theory.UseMatrixFree(cfg.Theory.Solver, len(cfg.Models), c, v)
}

// denseSizes returns the parameters and the activations (for `rows` rows) of
// a dense network in -> hidden... -> out.
func denseSizes(in float64, hidden []int, out, rows float64) (params, acts float64) {
	prev := in
	for _, h := range hidden {
		params += prev*float64(h) + float64(h)
		acts += rows * float64(h)
		prev = float64(h)
	}
	params += prev*out + out
	acts += rows * out
	return params, acts
}

// check refuses an estimate beyond the machine's memory or the stated
// limits, with the estimate in the error.
func (e Estimate) check() error {
	switch {
	case e.Bytes > e.Available:
		hint := "reduce the largest part"
		if h := e.Parts[0].Hint; h != "" {
			hint += " (" + h + ")"
		}
		return fmt.Errorf("the run needs about %s of memory and the machine has %s (%s): %s; %s",
			fmtBytes(e.Bytes), fmtBytes(e.Available), e.MemSource, e.partsString(3), hint)
	case e.CSVBytes > MaxCSVBytes:
		return fmt.Errorf("the run would write about %s of %s, above the limit of %s: fewer generations, models or cells",
			fmtBytes(e.CSVBytes), e.CSVName, fmtBytes(MaxCSVBytes))
	case e.Seconds > MaxSeconds:
		return fmt.Errorf("the run would take about %s on one core, above the limit of %s: split it into a sweep of shorter runs",
			fmtDuration(e.Seconds), fmtDuration(MaxSeconds))
	}
	return nil
}

func (e Estimate) partsString(n int) string {
	var s []string
	for i, p := range e.Parts {
		if i == n {
			break
		}
		s = append(s, fmt.Sprintf("%s %s", p.What, fmtBytes(p.Bytes)))
	}
	return strings.Join(s, ", ")
}

// String is the estimate in one paragraph.
func (e Estimate) String() string {
	return fmt.Sprintf("memory about %s of %s (%s): %s\ntime about %s on one core; %s about %s",
		fmtBytes(e.Bytes), fmtBytes(e.Available), e.MemSource, e.partsString(4),
		fmtDuration(e.Seconds), e.CSVName, fmtBytes(e.CSVBytes))
}

func fmtBytes(b float64) string {
	units := []string{"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}
	i := 0
	for b >= 1024 && i < len(units)-1 {
		b /= 1024
		i++
	}
	return fmt.Sprintf("%.3g %s", b, units[i])
}

func fmtDuration(s float64) string {
	switch {
	case s < 120:
		return fmt.Sprintf("%.2g s", s)
	case s < 2*3600:
		return fmt.Sprintf("%.3g min", s/60)
	case s < 2*86400:
		return fmt.Sprintf("%.3g h", s/3600)
	}
	return fmt.Sprintf("%.3g days", s/86400)
}

// MachineMemory returns the memory a run may use: MemTotal from
// /proc/meminfo, or a smaller cgroup v2 limit (memory.max), else
// DefaultMemory; and where the number came from.
func MachineMemory() (float64, string) {
	mem, src := float64(DefaultMemory), "default, /proc/meminfo unreadable"
	if f, err := os.Open("/proc/meminfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			fields := strings.Fields(sc.Text())
			if len(fields) >= 2 && fields[0] == "MemTotal:" {
				if kb, err := strconv.ParseFloat(fields[1], 64); err == nil && kb > 0 {
					mem, src = kb*1024, "MemTotal"
				}
			}
		}
		f.Close()
	}
	if b, err := os.ReadFile("/sys/fs/cgroup/memory.max"); err == nil {
		if v, err := strconv.ParseFloat(strings.TrimSpace(string(b)), 64); err == nil && v > 0 && v < mem {
			mem, src = v, "cgroup memory.max"
		}
	}
	return mem, src
}
