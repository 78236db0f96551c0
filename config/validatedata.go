package config

import (
	"os"
)

// validate checks the keys every family reads; the rest of the data
// section is the family's (its Validate).
func (d DataConfig) validate() error {
	if d.Kind == "" {
		return bad("data.kind", `""`, "name the family of models (e.g. categorical, planar)")
	}
	if d.Heldout < 0 {
		return bad("data.heldout", d.Heldout, "must be >= 0")
	}
	return nil
}

// FileExists checks that key names a readable file.
func FileExists(key, path string) error { return fileExists(key, path) }

func fileExists(key, path string) error {
	if path == "" {
		return bad(key, `""`, "a file is required")
	}
	if _, err := os.Stat(path); err != nil {
		return bad(key, path, "file not found")
	}
	return nil
}
