package train

import (
	"context"
	"fmt"
	"github.com/selfconsume/selfconsume/config"
	"runtime"
	"slices"
	"time"
)

// BenchResult is what `selfconsume bench` measures: the loop only, set-up and
// generation 0 excluded.
type BenchResult struct {
	Generations  int
	Seconds      []float64          // wall time of each generation
	PhaseSeconds [NumPhases]float64 // mean seconds per generation in each phase
	TrainFLOPs   float64            // per generation
	Allocs       float64            // heap allocations per generation (mean)
	AllocBytes   float64            // heap bytes allocated per generation (mean)
	SetupSeconds float64            // world, reward models and generation 0
}

// GenerationsPerSecond is the median over generations of 1 / wall time.
func (b BenchResult) GenerationsPerSecond() float64 {
	s := slices.Clone(b.Seconds)
	slices.Sort(s)
	n := len(s)
	if n == 0 {
		return 0
	}
	med := s[n/2]
	if n%2 == 0 {
		med = (s[n/2-1] + s[n/2]) / 2
	}
	return 1 / med
}

// TrainGFLOPS is the achieved training throughput: FLOPs of the training
// steps over the time of the train phase.
func (b BenchResult) TrainGFLOPS() float64 {
	if b.PhaseSeconds[PhaseTrain] == 0 {
		return 0
	}
	return b.TrainFLOPs / b.PhaseSeconds[PhaseTrain] / 1e9
}

// Bench runs the experiment for the given number of generations without a
// run folder or prediction and times every phase of every generation after
// generation 0. afterSetup, if not nil, is called once generation 0 is done,
// before the timed generations (a CPU profile starts there). observe, when
// set, sees every generation after the bench's own bookkeeping (a progress
// bar). Cancelling ctx stops the bench with ErrInterrupted.
func Bench(ctx context.Context, cfg config.Config, generations int, observe func(GenerationReport), afterSetup func()) (BenchResult, error) {
	cfg.Generations = generations
	cfg.Theory.Predict = false // the loop is timed, not the analytic map beside it
	t0 := time.Now()
	var res BenchResult
	var ms runtime.MemStats
	var lastAllocs, lastBytes uint64
	var last time.Time
	timing := func(r GenerationReport) {
		runtime.ReadMemStats(&ms)
		now := time.Now()
		if r.Generation == 0 {
			res.SetupSeconds = now.Sub(t0).Seconds()
			if afterSetup != nil {
				afterSetup()
			}
		} else {
			res.Generations++
			res.Seconds = append(res.Seconds, now.Sub(last).Seconds())
			for p, s := range r.Seconds {
				res.PhaseSeconds[p] += s
			}
			res.TrainFLOPs += r.TrainFLOPs
			res.Allocs += float64(ms.Mallocs - lastAllocs)
			res.AllocBytes += float64(ms.TotalAlloc - lastBytes)
		}
		lastAllocs, lastBytes = ms.Mallocs, ms.TotalAlloc
		if observe != nil {
			observe(r)
		}
		last = time.Now() // the observers' own time is not counted
	}
	if _, err := Run(ctx, cfg, Options{Observe: timing}); err != nil {
		return res, err
	}
	if res.Generations == 0 {
		return res, fmt.Errorf("bench needs at least one generation after generation 0")
	}
	n := float64(res.Generations)
	for p := range res.PhaseSeconds {
		res.PhaseSeconds[p] /= n
	}
	res.TrainFLOPs /= n
	res.Allocs /= n
	res.AllocBytes /= n
	return res, nil
}
