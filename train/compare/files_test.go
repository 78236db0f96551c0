package compare

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"testing"

	"github.com/selfconsume/selfconsume/runfolder"
	"github.com/selfconsume/selfconsume/train/stats"
)

// influence.csv must stay valid CSV whatever the verdict says: the
// "sign agrees, measured differs from predicted" verdict holds a comma.
func TestInfluenceCSVQuotesVerdicts(t *testing.T) {
	dir := t.TempDir()
	rows := []Influence{
		{Model: "p", Population: "a", Predicted: -0.8, Measured: -0.7, Half: 0.05, Seeds: 6, Label: "backfire", MeasuredLabel: "backfire",
			SignVerdict: stats.Agree, PSign: 1e-6, InsideVerdict: stats.Disagree, PInside: 0.001},
		{Model: "q", Population: "b", Predicted: 0.2, Measured: -0.1, Half: 0.05, Seeds: 6, SignVerdict: stats.Disagree, InsideVerdict: stats.Disagree},
		{Model: "q", Population: "a", Predicted: 0.2, Measured: 0.21, Half: 0.05, Seeds: 6, SignVerdict: stats.Agree, InsideVerdict: stats.Agree},
		{Model: "r", Population: "a", Predicted: 0.02, Measured: 0.014, Half: 0.021, Seeds: 6, SignVerdict: stats.Unresolved,
			SeedsToResolve: 17, InsideVerdict: stats.Agree, MeasuredLabel: stats.Unresolved},
		{Model: "s", Population: "a", Label: "none", Seeds: 6, InsideVerdict: stats.Agree},
	}
	if err := writeInfluence(dir, "p", rows); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(dir, runfolder.InfluenceFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("influence.csv is not valid CSV: %v", err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	want := []struct{ verdict, sign, psign, resolve string }{
		{"sign agrees, measured differs from predicted", "agree", "1e-06", ""},
		{"sign differs", "disagree", "0", ""},
		{"agrees", "agree", "0", ""},
		{"sign unresolved", "unresolved", "0", "17"},
		{"agrees", "", "", ""},
	}
	if len(recs) != 1+len(want) {
		t.Fatalf("%d records, want %d", len(recs), 1+len(want))
	}
	for i, w := range want {
		r := recs[i+1]
		if r[col["verdict"]] != w.verdict || r[col["sign"]] != w.sign || r[col["p_sign"]] != w.psign || r[col["seeds_to_resolve"]] != w.resolve {
			t.Errorf("row %d: verdict %q sign %q p_sign %q seeds_to_resolve %q; want %+v", i+1,
				r[col["verdict"]], r[col["sign"]], r[col["p_sign"]], r[col["seeds_to_resolve"]], w)
		}
		if r[col["ci_low"]] != runfolder.FormatFloat(rows[i].Measured-rows[i].Half) {
			t.Errorf("row %d ci_low %s", i+1, r[col["ci_low"]])
		}
	}
}
