package categorical

import (
	"bytes"
	"encoding/csv"
	"testing"

	"github.com/selfconsume/selfconsume/config"
	"github.com/selfconsume/selfconsume/data"
	"github.com/selfconsume/selfconsume/train/family"
)

// quoted is a model name encoding/csv must quote: a comma and a quote.
const quoted = `a,"b`

// The family's record files quote names too: tables.csv of a model named
// with a comma and a quote has five fields on every row.
func TestTablesCSVQuotesNames(t *testing.T) {
	f := &Family{cfg: config.Config{Models: []config.ModelConfig{{Name: quoted}}}}
	tab := data.NewTable(2, 3)
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	f.Record(4, []*Frozen{{Table: tab}}, []*csv.Writer{w})
	w.Flush()
	recs, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 6 {
		t.Fatalf("%d rows, want 6", len(recs))
	}
	for _, r := range recs {
		if len(r) != 5 || r[0] != "4" || r[1] != quoted {
			t.Fatalf("row %q", r)
		}
	}
	rm, err := csv.NewReader(bytes.NewReader(family.RewardModelsCSV([]family.RewardModelStats{{Population: quoted, FinalLoss: 1}}))).ReadAll()
	if err != nil || len(rm) != 4 || rm[1][0] != quoted || len(rm[1]) != 3 {
		t.Errorf("reward_models.csv: %q, %v", rm, err)
	}
}
