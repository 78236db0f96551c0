package flow

import (
	"testing"
	"time"

	"github.com/selfconsume/selfconsume/data"
	"github.com/selfconsume/selfconsume/models"
)

// benchFlow returns a bench-2d-sized flow (DefaultConfig: 6 couplings,
// 1 -> 128 -> 128 -> 2, batch 256, float32) and ring training data.
func benchFlow(b *testing.B) (*Flow, []float64) { return benchFlowWith(b, dense) }

// benchFlowWith is benchFlow with the conditioners' layers built by layer.
func benchFlowWith(b *testing.B, layer layerFunc) (*Flow, []float64) {
	b.Helper()
	f, err := newFlowWith(DefaultConfig(), layer, data.Stream(1, data.PurposeInit))
	if err != nil {
		b.Fatal(err)
	}
	ring, err := data.Ring(8, 2, 0.2)
	if err != nil {
		b.Fatal(err)
	}
	x, _ := data.TrainHeldOut(ring, 1, 4096, 0)
	return f, x
}

// BenchmarkFlowTrainStep times one Adam step (forward, backward, update) at
// bench-2d's sizes; Unfused builds the layers from gorgonia's Mul,
// BroadcastAdd and package models' ReLU (the same bits, more instructions).
func BenchmarkFlowTrainStep(b *testing.B) { benchTrainStep(b, dense) }

func BenchmarkFlowTrainStepUnfused(b *testing.B) { benchTrainStep(b, unfused(models.ReLU)) }

func benchTrainStep(b *testing.B, layer layerFunc) {
	f, x := benchFlowWith(b, layer)
	defer f.Close()
	rng := data.Stream(1, data.PurposeTrain)
	b.ReportAllocs()
	b.ResetTimer()
	c0 := cpuTime()
	if _, err := f.Steps(x, b.N, rng); err != nil {
		b.Fatal(err)
	}
	reportCPU(b, c0)
}

// reportCPU reports the CPU time per op since c0 (cpu-ns/op).
func reportCPU(b *testing.B, c0 time.Duration) {
	b.ReportMetric(float64(cpuTime()-c0)/float64(b.N), "cpu-ns/op")
}

// BenchmarkFlowSample4096 times drawing 4096 points (the inverse pass
// through the piecewise-linear conditioners).
func BenchmarkFlowSample4096(b *testing.B) {
	f, _ := benchFlow(b)
	defer f.Close()
	rng := data.Stream(1, data.PurposeEval)
	f.Sample(rng, 1) // build the pieces outside the timing
	b.ReportAllocs()
	b.ResetTimer()
	c0 := cpuTime()
	for i := 0; i < b.N; i++ {
		f.Sample(rng, 4096)
	}
	reportCPU(b, c0)
}

// BenchmarkFlowLogProb4096 times the float64 log-density of 4096 points.
func BenchmarkFlowLogProb4096(b *testing.B) {
	f, x := benchFlow(b)
	defer f.Close()
	out := make([]float64, 4096)
	f.LogProb(x[:2], out)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f.LogProb(x, out)
	}
}

// BenchmarkFlowSampleLayers4096 times the inverse pass of 4096 points
// through the layers in float32 (Hidden x Hidden products), the way Sample
// used to draw, for comparison.
func BenchmarkFlowSampleLayers4096(b *testing.B) {
	f, _ := benchFlow(b)
	defer f.Close()
	rng := data.Stream(1, data.PurposeEval)
	net := f.net32()
	b.ReportAllocs()
	b.ResetTimer()
	c0 := cpuTime()
	for i := 0; i < b.N; i++ {
		net.invert(baseNormals(rng, 4096))
	}
	reportCPU(b, c0)
}

// BenchmarkFlowPieces times building the piecewise-linear conditioners,
// once per parameter update before sampling.
func BenchmarkFlowPieces(b *testing.B) {
	f, _ := benchFlow(b)
	defer f.Close()
	p := f.Params()
	b.ReportAllocs()
	b.ResetTimer()
	c0 := cpuTime()
	for i := 0; i < b.N; i++ {
		newPWLNet(f.cfg, p)
	}
	reportCPU(b, c0)
}

// BenchmarkFlowParams times reading the parameters as float64.
func BenchmarkFlowParams(b *testing.B) {
	f, _ := benchFlow(b)
	defer f.Close()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f.Params()
	}
}
