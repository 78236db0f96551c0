package train

import "time"

// Phase is one part of a generation, timed separately by the benchmark.
type Phase int

// The phases of a generation, in order.
const (
	PhaseScore   Phase = iota // refit the reward models and tabulate them
	PhaseSample               // tabulate generators, draw raw pools
	PhaseCurate               // K-choice curation of candidates
	PhaseMix                  // build every model's training set
	PhaseTrain                // retrain every model
	PhaseMetrics              // exact metrics
	PhaseWrite                // run directory and checkpoint
	NumPhases
)

var phaseNames = [NumPhases]string{"score", "sample", "curate", "mix", "train", "metrics", "write"}

// String returns the phase's name.
func (p Phase) String() string { return phaseNames[p] }

// GenerationReport is what one finished generation tells an observer.
type GenerationReport struct {
	Generation  int
	Generations int // the run's last generation: Generation of Generations is done
	Seconds     [NumPhases]float64
	TrainFLOPs  float64 // forward and backward FLOPs of every training step of the generation
	Rows        []Row
}

// timer accumulates phase durations.
type timer struct {
	rep   *GenerationReport
	start time.Time
}

func (t *timer) begin() { t.start = time.Now() }

func (t *timer) end(p Phase) {
	t.rep.Seconds[p] += time.Since(t.start).Seconds()
	t.start = time.Now()
}
