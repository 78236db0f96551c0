package runfolder

// RewardModelRow is one line of reward_models.csv: one measure (metric:
// final_loss, pair_agreement or spearman) of how well a population's learned
// reward model fits its true reward.
type RewardModelRow struct {
	Population, Metric string
	Value              float64
}

// RewardModelsCSV is reward_models.csv's content (RewardModelsColumns).
func RewardModelsCSV(rows []RewardModelRow) []byte {
	return Fill(RewardModelsColumns, func(row func(...string)) {
		for _, r := range rows {
			row(r.Population, r.Metric, FormatFloat(r.Value))
		}
	})
}

// ReadRewardModels reads reward_models.csv; found is false when it is absent.
func ReadRewardModels(path string) (rows []RewardModelRow, found bool, err error) {
	found, err = Read(path, RewardModelsColumns, func(r Record) error {
		var rm RewardModelRow
		var err error
		if rm.Population, err = r.NonEmpty("population"); err != nil {
			return err
		}
		if rm.Metric, err = r.NonEmpty("metric"); err != nil {
			return err
		}
		if rm.Value, err = r.Float("value"); err != nil {
			return err
		}
		rows = append(rows, rm)
		return nil
	})
	return rows, found, err
}
