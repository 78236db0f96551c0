package curate

import (
	"math"
	"testing"

	"github.com/selfconsume/selfconsume/data"
)

// Table builds the one-hot rows block by block; it must give the same bits
// as scoring all C*V rows at once (the dense input it replaced), for tables
// of one block, several blocks and an odd remainder.
func TestTableMatchesDenseScoring(t *testing.T) {
	for _, sz := range [][2]int{{3, 5}, {16, 64}, {13, 61}} {
		C, V := sz[0], sz[1]
		rm, err := NewRewardModel(C, V, RewardModelConfig{Hidden: []int{16, 16}, Batch: 32, LR: 1e-3}, data.Stream(7, data.PurposeRewardModel))
		if err != nil {
			t.Fatal(err)
		}
		F := C + V
		x := make([]float64, C*V*F)
		for r := 0; r < C*V; r++ {
			x[r*F+r/V], x[r*F+C+r%V] = 1, 1
		}
		dense := rm.scorer.Score(x, C*V)
		got := rm.Table().P
		for k := range dense {
			if math.Float64bits(got[k]) != math.Float64bits(dense[k]) {
				t.Fatalf("%dx%d: cell %d: %v, dense scoring %v", C, V, k, got[k], dense[k])
			}
		}
		rm.Close()
	}
}
