package train

import (
	"math"

	"github.com/selfconsume/selfconsume/runfolder"
)

// Row is one number of a run: the tidy metrics.csv line
// generation,model,metric,value (runfolder.Row).
type Row = runfolder.Row

// relChange is |a - b| / |b| over parameter vectors.
func relChange(a, b []float64) float64 {
	var d, n float64
	for i := range a {
		x := float64(a[i]) - float64(b[i])
		d += x * x
		n += float64(b[i]) * float64(b[i])
	}
	if n == 0 {
		return math.Inf(1)
	}
	return math.Sqrt(d / n)
}
