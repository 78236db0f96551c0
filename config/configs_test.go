package config

import (
	"path/filepath"
	"testing"
)

// Every shipped config resolves and validates.
func TestShippedConfigsValidate(t *testing.T) {
	paths, err := filepath.Glob("../configs/*.yaml")
	if err != nil || len(paths) < 7 {
		t.Fatalf("found %d configs (%v)", len(paths), err)
	}
	classics, err := filepath.Glob("../configs/classics/*.yaml")
	if err != nil || len(classics) < 3 {
		t.Fatalf("found %d classic configs (%v)", len(classics), err)
	}
	for _, p := range append(paths, classics...) {
		if _, err := Load(p, nil, nil); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
}
