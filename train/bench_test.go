package train

import (
	"context"
	"testing"

	"github.com/selfconsume/selfconsume/config"
	"github.com/selfconsume/selfconsume/train/categorical"
	"github.com/selfconsume/selfconsume/train/family"
	"github.com/selfconsume/selfconsume/train/planar"
)

// BenchmarkGenerationBenchCat times one generation of the bench-cat workload
// (configs/bench-cat.yaml), after set-up and generation 0.
func BenchmarkGenerationBenchCat(b *testing.B) {
	benchGeneration(b, "../configs/bench-cat.yaml", categorical.Kind.New)
}

// BenchmarkGenerationBench2D times one generation of the bench-2d workload
// (configs/bench-2d.yaml), after set-up and generation 0.
func BenchmarkGenerationBench2D(b *testing.B) {
	benchGeneration(b, "../configs/bench-2d.yaml", planar.Kind.New)
}

func benchGeneration[S any](b *testing.B, path string, newFamily func(config.Config) (family.Family[S], error)) {
	cfg, err := config.Load(path, nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	cfg.Generations = 1 << 30
	cfg.Theory.Predict = false // the benchmark times the loop; the prediction would run 2^30 generations
	l, start, err := begin(context.Background(), cfg, Options{}, newFamily)
	if err != nil {
		b.Fatal(err)
	}
	defer l.close()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := l.generation(start + i); err != nil {
			b.Fatal(err)
		}
	}
}

// TestBenchMeasuresEveryGeneration checks the benchmark's bookkeeping (not
// its speed): one timing per generation, FLOPs as configured.
func TestBenchMeasuresEveryGeneration(t *testing.T) {
	cfg := mustParse(t, small)
	res, err := Bench(context.Background(), cfg, 3, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Generations != 3 || len(res.Seconds) != 3 || res.GenerationsPerSecond() <= 0 {
		t.Fatalf("bench result %+v", res)
	}
	// 4000 samples, batch 256, 3 epochs: 48 steps of a 4 -> 32 -> 8 network on 4 rows.
	want := 48 * 3 * 2 * 4.0 * (4*32 + 32*8)
	if res.TrainFLOPs != want {
		t.Fatalf("train FLOPs %g, want %g", res.TrainFLOPs, want)
	}
}
