package train

import (
	"context"
	"os"
	"path/filepath"

	"github.com/selfconsume/selfconsume/config"
	"github.com/selfconsume/selfconsume/runfolder"
)

// PredictFromDir recomputes a run's prediction from its folder alone
// (config.yaml, the world files and the generation-0 tables), without
// training anything, and writes theory.json, prediction.csv and
// prediction_tables.csv into out (and a copy of config.yaml when out is
// another folder). curator "" is the run's theory.curator; with it the files
// equal the run's own, byte for byte. Cancelling ctx stops it (PredictContext).
func PredictFromDir(ctx context.Context, dir, out, curator string) (config.Config, *Prediction, runfolder.Theory, error) {
	cfg, err := LoadRunConfig(dir)
	if err != nil {
		return cfg, nil, runfolder.Theory{}, err
	}
	w, start, err := LoadWorld(dir, cfg)
	if err != nil {
		return cfg, nil, runfolder.Theory{}, err
	}
	if curator == "" {
		curator = cfg.Theory.Curator
	}
	p, err := PredictContext(ctx, cfg, w, start, curator)
	if err != nil {
		return cfg, nil, runfolder.Theory{}, err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return cfg, nil, runfolder.Theory{}, err
	}
	if !sameDir(dir, out) {
		y, err := os.ReadFile(filepath.Join(dir, runfolder.ConfigFile))
		if err == nil {
			err = runfolder.WriteFileAtomic(filepath.Join(out, runfolder.ConfigFile), y)
		}
		if err != nil {
			return cfg, nil, runfolder.Theory{}, err
		}
	}
	ts, err := writeTheoryFiles(out, cfg, []*Prediction{p}, []*World{w})
	return cfg, p, ts, err
}

// sameDir reports whether two paths name the same existing folder.
func sameDir(a, b string) bool {
	sa, err1 := os.Stat(a)
	sb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(sa, sb)
}
