package config

import "fmt"

// ShiftCurated moves shift from the real share wt[0] to the curated block
// wt[1+M:], keeping the split of the curated block over source models (the
// default influence direction, theory.CuratedShare). The model needs a
// curated block: without one the direction is undefined.
func ShiftCurated(wt []float64, m int, shift float64) error {
	if shift == 0 {
		return nil
	}
	cur := wt[1+m:]
	h := 0.0
	for _, v := range cur {
		h += v
	}
	if h == 0 {
		return fmt.Errorf("the model has no curated share to scale")
	}
	if wt[0]-shift < 0 || h+shift < 0 {
		return fmt.Errorf("real share %g and curated share %g leave no room for the shift", wt[0], h)
	}
	wt[0] -= shift
	for j := range cur {
		cur[j] *= (h + shift) / h
	}
	return nil
}
