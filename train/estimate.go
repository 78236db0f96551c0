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
	"github.com/selfconsume/selfconsume/train/family"
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
	fc := k.Cost(cfg)
	C, V, inputs := fc.Contexts, fc.Cells, fc.RewardInputs
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
			secs += 300 * 50 * M * C * V * 4 / family.EstimateFLOPS
		} else {
			add("theory Jacobian blocks", (C+3)*b*b*8)
			secs += C * 10 * b * b * b / family.EstimateFLOPS // eigenvalues
		}
		e.Parts[len(e.Parts)-1].Hint = "theory.predict: false runs without the prediction"
		secs += (G + 1) * M * cells * K * 20 / family.EstimateFLOPS
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
		params, acts, flops, perSample := fc.Model(m)
		secs += G * (n + K*pool) * perSample
		add(fmt.Sprintf("model %s network", m.Name), 4*(6*params+4*acts))
		fitSecs += s * (flops/family.EstimateFLOPS + stepOverhead)
	}
	secs += fitSecs
	add("sample sets and pools", setSamples*family.SampleBytes)
	var extra float64
	extra, e.CSVName, e.CSVBytes = fc.Files(add)
	secs += extra
	if rc := cfg.RewardModel; rc.Use == "learned" {
		params, acts := family.DenseSizes(inputs, rc.Hidden, 1, float64(2*rc.Batch))
		add("reward models", P*4*(6*params+4*acts))
		fits := float64(rc.Steps)
		if rc.Refit {
			fits += G * float64(rc.RefitSteps)
		}
		flops := 3 * 2 * 2 * float64(rc.Batch) * params
		steps += P * fits
		secs += P * fits * (flops/family.EstimateFLOPS + stepOverhead)
		scores := 1.0
		if rc.Refit {
			scores += G
		}
		secs += P * scores * cells * 2 * params / family.EstimateFLOPS
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
	c, v := k.Support(cfg)
	return theory.UseMatrixFree(cfg.Theory.Solver, len(cfg.Models), c, v)
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
