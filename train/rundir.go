package train

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// The files of a run directory.
const (
	ConfigFile       = "config.yaml"
	MetricsFile      = "metrics.csv"
	TablesFile       = "tables.csv"
	RewardModelsFile = "reward_models.csv"

	// The world, written once after generation 0: everything the analytic
	// map needs that config.yaml does not hold (see worldFiles).
	WorldRealFile    = "world_real.csv"    // the real table: context,token,prob
	WorldContextFile = "world_context.csv" // the context weights: context,weight
	WorldRewardsFile = "world_rewards.csv" // true rewards and learned curators: population,kind,context,token,value
	WorldGridFile    = "world_grid.csv"    // planar: the theory grid's cells, token = iy*res + ix
	WorldStartFile   = "world_start.csv"   // planar: generation-0 grid tables, as tables.csv
	checkpointFile   = "checkpoints/state.gob"
)

// runDir appends each generation to the CSV files and keeps the checkpoint.
type runDir struct {
	path       string
	metrics    *os.File
	records    []*os.File
	metricsOff int64
	recOffs    []int64
}

// openRunDir creates a fresh run directory, or with resume reopens one and
// returns its checkpoint (nil when it has none yet).
func openRunDir(path string, cfg Config, fam family, resume bool) (*runDir, *checkpoint, error) {
	want, err := cfg.YAML()
	if err != nil {
		return nil, nil, err
	}
	same := cfg
	same.Workers = 0 // results do not depend on the worker count
	wantSame, err := same.YAML()
	if err != nil {
		return nil, nil, err
	}
	ckPath := filepath.Join(path, checkpointFile)
	var ck *checkpoint
	if resume {
		have, err := os.ReadFile(filepath.Join(path, ConfigFile))
		if err != nil {
			return nil, nil, fmt.Errorf("--resume: %w", err)
		}
		saved, err := Parse(have, nil, nil) // keys added since the run take their defaults
		if err != nil {
			return nil, nil, fmt.Errorf("--resume: %s: %w", filepath.Join(path, ConfigFile), err)
		}
		saved.Workers = 0
		if saved.Metrics == "" {
			saved.Metrics = MetricsFull // run folders from before the metrics key measured everything
		}
		haveSame, _ := saved.YAML()
		if !bytes.Equal(haveSame, wantSame) {
			diff, _ := DiffKeys(saved, same)
			return nil, nil, fmt.Errorf("--resume: the resolved config differs from %s (saved != now) in %s; resume with the same config and overrides",
				filepath.Join(path, ConfigFile), strings.Join(diff, "; "))
		}
		if ck, err = loadCheckpoint(ckPath); err != nil && !os.IsNotExist(err) {
			return nil, nil, err
		}
	} else if _, err := os.Stat(filepath.Join(path, ConfigFile)); err == nil {
		return nil, nil, fmt.Errorf("%s already holds a run: use --resume to continue it, or another --out", path)
	}
	if err := os.MkdirAll(filepath.Join(path, "checkpoints"), 0o755); err != nil {
		return nil, nil, err
	}
	if err := WriteFileAtomic(filepath.Join(path, ConfigFile), want); err != nil {
		return nil, nil, err
	}
	d := &runDir{path: path}
	var mOff int64
	recs := fam.records()
	rOffs := make([]int64, len(recs))
	if ck != nil {
		mOff = ck.MetricsOffset
		copy(rOffs, ck.RecordOffsets)
	}
	if d.metrics, d.metricsOff, err = openCSV(filepath.Join(path, MetricsFile), "generation,model,metric,value\n", mOff); err != nil {
		return nil, nil, err
	}
	d.recOffs = make([]int64, len(recs))
	for k, rf := range recs {
		f, off, err := openCSV(filepath.Join(path, rf.name), rf.header, rOffs[k])
		if err != nil {
			d.close()
			return nil, nil, err
		}
		d.records, d.recOffs[k] = append(d.records, f), off
	}
	return d, ck, nil
}

// openCSV opens a CSV for appending, truncated to off bytes (a fresh file
// with only its header when off is 0).
func openCSV(path, header string, off int64) (*os.File, int64, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, 0, err
	}
	if off == 0 {
		if err := f.Truncate(0); err == nil {
			_, err = f.WriteString(header)
		}
		off = int64(len(header))
	} else {
		err = f.Truncate(off)
	}
	if err == nil {
		_, err = f.Seek(off, 0)
	}
	if err != nil {
		f.Close()
		return nil, 0, err
	}
	return f, off, nil
}

func (d *runDir) close() {
	d.metrics.Close()
	for _, f := range d.records {
		f.Close()
	}
}

// fmtFloat formats a number the way every CSV of the run does.
func fmtFloat(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// writeGeneration appends generation t's rows and the family's record, then
// replaces the checkpoint; a crash in between leaves the previous checkpoint,
// whose offsets cut the CSV files back on resume.
func (d *runDir) writeGeneration(l *loop, t int, rows []Row) error {
	if t == 0 {
		for name, body := range l.fam.summaries() {
			if err := WriteFileAtomic(filepath.Join(d.path, name), body); err != nil {
				return err
			}
		}
	}
	mw := bufio.NewWriter(d.metrics)
	for _, r := range rows {
		fmt.Fprintf(mw, "%d,%s,%s,%s\n", r.Generation, r.Model, r.Metric, fmtFloat(r.Value))
	}
	bufs := []*bufio.Writer{mw}
	ws := make([]io.Writer, len(d.records))
	for k, f := range d.records {
		b := bufio.NewWriter(f)
		bufs, ws[k] = append(bufs, b), b
	}
	l.fam.record(t, l.cur, ws)
	for _, w := range bufs {
		if err := w.Flush(); err != nil {
			return err
		}
	}
	files := append([]*os.File{d.metrics}, d.records...)
	for _, f := range files {
		if err := f.Sync(); err != nil {
			return err
		}
	}
	var err error
	if d.metricsOff, err = d.metrics.Seek(0, 1); err != nil {
		return err
	}
	for k, f := range d.records {
		if d.recOffs[k], err = f.Seek(0, 1); err != nil {
			return err
		}
	}
	ck, err := l.checkpoint(t, d.metricsOff, append([]int64(nil), d.recOffs...))
	if err != nil {
		return err
	}
	return saveCheckpoint(filepath.Join(d.path, checkpointFile), ck)
}
