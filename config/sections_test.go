package config

import (
	"strings"
	"testing"
)

// Only data.kind's own keys are resolved and written: a categorical config
// has neither data.plane nor data.sequence, nor the flows' or sequence
// generators' model keys; a planar one has data.plane and depth with the
// defaults of the keys it leaves out; a sequence model's window 0 stays 0;
// a config.yaml that lists every family's keys (written before they were
// per family) reads back to the same config as one without the others.
func TestFamilySections(t *testing.T) {
	cat := mustParse(t, twoModels)
	if cat.Data.Plane != nil || cat.Data.Sequence != nil {
		t.Errorf("categorical config has other families' sections: plane %v, sequence %v", cat.Data.Plane, cat.Data.Sequence)
	}
	y, err := cat.YAML()
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"plane:", "sequence:", "depth:", "max_log_scale:", "window:"} {
		if strings.Contains(string(y), k) {
			t.Errorf("categorical config.yaml lists another family's %s\n%s", k, y)
		}
	}
	pl := mustParse(t, twoModels, "data.kind=planar", "data.plane.resolution=8")
	want := PlaneDefaults()
	want.Resolution = 8
	if pl.Data.Plane == nil || pl.Data.Plane.Resolution != 8 || pl.Data.Plane.Eval != want.Eval || pl.Data.Plane.Shape != want.Shape || pl.Data.Sequence != nil {
		t.Errorf("planar section %+v, want %+v and no sequence section", pl.Data.Plane, want)
	}
	if m := pl.Models[0]; m.Depth != ModelDefaults().Depth || m.MaxLogScale != ModelDefaults().MaxLogScale || m.Window != nil {
		t.Errorf("planar model keys: depth %d, max_log_scale %g, window %v; want the defaults and no window", m.Depth, m.MaxLogScale, m.Window)
	}
	seq := mustParse(t, twoModels, "data.kind=sequence", "models.0.window=0")
	if seq.Data.Sequence == nil || *seq.Data.Sequence != SequenceDefaults() || seq.Data.Plane != nil {
		t.Errorf("sequence section %+v, want the defaults %+v", seq.Data.Sequence, SequenceDefaults())
	}
	if w0, w1 := seq.Models[0].Window, seq.Models[1].Window; w0 == nil || *w0 != 0 || w1 == nil || *w1 != *ModelDefaults().Window || seq.Models[0].Depth != 0 {
		t.Errorf("sequence model keys: windows %v, %v, depth %d; want 0 as given, the default, no depth", w0, w1, seq.Models[0].Depth)
	}
	sy, err := seq.YAML()
	if err != nil {
		t.Fatal(err)
	}
	if again := mustParse(t, string(sy)); *again.Models[0].Window != 0 {
		t.Errorf("window 0 does not survive config.yaml: %d", *again.Models[0].Window)
	}
	// a config.yaml of a build that listed every family's section, at its
	// defaults, reads back as today's
	old := strings.Replace(string(y), "data:\n", "data:\n    plane:\n        shape: ring\n        resolution: 16\n    sequence:\n        length: 4\n", 1)
	old = strings.ReplaceAll(old, "      init_steps:", "      depth: 6\n      window: 16\n      init_steps:")
	if !strings.Contains(old, "plane:") || !strings.Contains(old, "depth: 6") {
		t.Fatalf("the test did not add the old sections and keys:\n%s", old)
	}
	back := mustParse(t, old)
	y2, err := back.YAML()
	if err != nil {
		t.Fatal(err)
	}
	if string(y2) != string(y) {
		t.Errorf("a config.yaml with every section reads back differently:\n%s\nwant\n%s", y2, y)
	}
	// another family's key set away from its default is an error naming it,
	// from the file or from --set
	for _, c := range []struct{ yaml, set, key string }{
		{strings.Replace(old, "resolution: 16", "resolution: 9", 1), "", "data.plane.resolution = 9"},
		{strings.Replace(old, "depth: 6", "depth: 3", 1), "", "models.0.depth = 3"},
		{twoModels, "data.sequence.length=5", "data.sequence.length = 5"},
		{twoModels, "models.1.window=2", "models.1.window = 2"},
	} {
		var sets []string
		if c.set != "" {
			sets = []string{c.set}
		}
		_, err := Parse([]byte(c.yaml), sets, nil)
		if err == nil || !strings.Contains(err.Error(), c.key) || !strings.Contains(err.Error(), "read only when data.kind is") {
			t.Errorf("%s: error %v; want one naming %q and the family", c.key, err, c.key)
		}
	}
	// ParseLenient reads such a file, dropping the key
	if _, err := ParseLenient([]byte(strings.Replace(old, "resolution: 16", "resolution: 9", 1))); err != nil {
		t.Errorf("ParseLenient: %v", err)
	}
}
