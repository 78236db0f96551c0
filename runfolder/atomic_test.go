package runfolder

import "testing"

func TestTempNames(t *testing.T) {
	for name, want := range map[string]bool{".state.gob.tmp123": true, ".config.yaml.tmp4": true, ".state.gob.prev.tmp99": true,
		"state.gob.tmp1": false, ".tmp1": false, ".x.tmp": false, ".x.tmp1a": false, "metrics.csv": false} {
		if IsTempName(name) != want {
			t.Errorf("IsTempName(%q) = %v", name, !want)
		}
	}
}
