package config

import (
	"strings"
	"testing"
)

// Only data.kind's own section of data is resolved and written: a
// categorical config has neither data.plane nor data.sequence; a planar
// one has data.plane with the defaults of the keys it leaves out; a
// config.yaml that lists every section (written before they were per
// family) reads back to the same config as one without the others.
func TestFamilySections(t *testing.T) {
	cat := mustParse(t, twoModels)
	if cat.Data.Plane != nil || cat.Data.Sequence != nil {
		t.Errorf("categorical config has other families' sections: plane %v, sequence %v", cat.Data.Plane, cat.Data.Sequence)
	}
	y, err := cat.YAML()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(y), "plane:") || strings.Contains(string(y), "sequence:") {
		t.Errorf("categorical config.yaml lists other families' sections:\n%s", y)
	}
	pl := mustParse(t, twoModels, "data.kind=planar", "data.plane.resolution=8")
	want := PlaneDefaults()
	want.Resolution = 8
	if pl.Data.Plane == nil || pl.Data.Plane.Resolution != 8 || pl.Data.Plane.Eval != want.Eval || pl.Data.Plane.Shape != want.Shape || pl.Data.Sequence != nil {
		t.Errorf("planar section %+v, want %+v and no sequence section", pl.Data.Plane, want)
	}
	seq := mustParse(t, twoModels, "data.kind=sequence")
	if seq.Data.Sequence == nil || *seq.Data.Sequence != SequenceDefaults() || seq.Data.Plane != nil {
		t.Errorf("sequence section %+v, want the defaults %+v", seq.Data.Sequence, SequenceDefaults())
	}
	old := strings.Replace(string(y), "data:\n", "data:\n    plane:\n        shape: grid\n        resolution: 9\n    sequence:\n        length: 3\n", 1)
	if old == string(y) {
		t.Fatal("the test did not add the old sections")
	}
	back := mustParse(t, old)
	y2, err := back.YAML()
	if err != nil {
		t.Fatal(err)
	}
	if string(y2) != string(y) {
		t.Errorf("a config.yaml with every section reads back differently:\n%s\nwant\n%s", y2, y)
	}
}
