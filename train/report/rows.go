package report

// comparisonRow is one line of comparison.csv: an empirical mean with its
// 95% interval against the prediction.
type comparisonRow struct {
	gen                          int
	model, metric                string
	mean, lo, hi, pred, absError float64
}

// readComparison reads comparison.csv; found is false when it is absent.
func readComparison(path string) (rows []comparisonRow, found bool, err error) {
	cols := []string{"generation", "model", "metric", "mean", "ci_low", "ci_high", "predicted", "abs_error"}
	found, err = readCSV(path, cols, func(r csvRecord) error {
		var c comparisonRow
		var err error
		if c.gen, err = r.int("generation"); err != nil {
			return err
		}
		if c.model, err = r.nonEmpty("model"); err != nil {
			return err
		}
		if c.metric, err = r.nonEmpty("metric"); err != nil {
			return err
		}
		for _, f := range []struct {
			col string
			dst *float64
		}{{"mean", &c.mean}, {"ci_low", &c.lo}, {"ci_high", &c.hi}, {"predicted", &c.pred}, {"abs_error", &c.absError}} {
			if *f.dst, err = r.float(f.col); err != nil {
				return err
			}
		}
		rows = append(rows, c)
		return nil
	})
	return rows, found, err
}

// influenceRow is one self- or cross-influence: predicted with feedback,
// isolated (no feedback), and measured with its 95% interval (NaN when not
// measured).
type influenceRow struct {
	knob, model, population string
	predicted, isolated     float64
	measured, lo, hi        float64
	verdict, label          string
	measuredLabel           string // the measurement's label as far as its interval resolves it ("" in older files)
}

// readInfluence reads influence.csv; found is false when it is absent.
func readInfluence(path string) (rows []influenceRow, found bool, err error) {
	cols := []string{"knob", "model", "population", "predicted", "isolated", "measured", "ci_low", "ci_high", "verdict"}
	found, err = readCSV(path, cols, func(r csvRecord) error {
		var in influenceRow
		var err error
		if in.knob, err = r.nonEmpty("knob"); err != nil {
			return err
		}
		if in.model, err = r.nonEmpty("model"); err != nil {
			return err
		}
		in.population = r.str("population")
		for _, f := range []struct {
			col string
			dst *float64
		}{{"predicted", &in.predicted}, {"isolated", &in.isolated}, {"measured", &in.measured}, {"ci_low", &in.lo}, {"ci_high", &in.hi}} {
			if *f.dst, err = r.float(f.col); err != nil {
				return err
			}
		}
		in.verdict = r.str("verdict")
		in.label = r.str("label") // older files have none: theory.json's, when it matches
		in.measuredLabel = r.str("measured_label")
		rows = append(rows, in)
		return nil
	})
	return rows, found, err
}

// rewardModelRow is one line of reward_models.csv: how well a population's
// learned reward model fits its true reward.
type rewardModelRow struct {
	population, metric string
	value              float64
}

// readRewardModels reads reward_models.csv; found is false when it is absent.
func readRewardModels(path string) (rows []rewardModelRow, found bool, err error) {
	found, err = readCSV(path, []string{"population", "metric", "value"}, func(r csvRecord) error {
		var rm rewardModelRow
		var err error
		if rm.population, err = r.nonEmpty("population"); err != nil {
			return err
		}
		if rm.metric, err = r.nonEmpty("metric"); err != nil {
			return err
		}
		if rm.value, err = r.float("value"); err != nil {
			return err
		}
		rows = append(rows, rm)
		return nil
	})
	return rows, found, err
}
