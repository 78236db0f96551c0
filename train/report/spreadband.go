package report

// predicted returns model m's predicted series of metric; where
// prediction.csv also has sd/<metric> (the finite-sample spread around the
// prediction), its band is -/+ 2 predicted standard deviations.
func (r *run) predicted(m, metric string) *series {
	s := r.pred.series(m, metric)
	sd := r.pred.series(m, "sd/"+metric)
	if s == nil || sd == nil {
		return s
	}
	at := map[int]float64{}
	for i, g := range sd.gens {
		at[g] = sd.mean[i]
	}
	for i, g := range s.gens {
		if v, ok := at[g]; ok {
			s.half[i] = 2 * v
		}
	}
	return s
}

// spreadNote is the caption sentence for the predicted bands of metric
// ("" when the prediction has no spread for it).
func (r *run) spreadNote(metric string) string {
	if r.pred == nil || !r.pred.hasMetric("sd/"+metric) {
		return ""
	}
	return " The band around a dashed prediction is -/+ 2 predicted standard deviations of a run around it (finite-sample spread, given generation 0)."
}
