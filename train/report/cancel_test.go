package report

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/selfconsume/selfconsume/runfolder"
)

// A cancelled context stops the report before its next figure, and no
// report.md is written.
func TestWriteContextStopsWhenCancelled(t *testing.T) {
	dir := t.TempDir()
	fixture{gens: 6, seeds: 2}.write(t, dir)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := WriteContext(ctx, dir); !errors.Is(err, context.Canceled) {
		t.Fatalf("want context.Canceled, got %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, runfolder.ReportFile)); !os.IsNotExist(err) {
		t.Errorf("report.md written after the cancel: %v", err)
	}
}
