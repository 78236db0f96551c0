package train

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/selfconsume/selfconsume/config"
	"github.com/selfconsume/selfconsume/train/family"

	"github.com/selfconsume/selfconsume/runfolder"
)

// runDir appends each generation to the CSV files and keeps the checkpoint.
// It holds the folder's lock (runfolder.LockFile) from opening to close.
type runDir struct {
	path       string
	lock       *DirLock
	metrics    *os.File
	records    []*os.File
	metricsOff int64
	recOffs    []int64
}

// ourEntries are the names a run folder holds before its config.yaml is
// written (an interrupted start): a folder with only these is empty for a
// new run.
var ourEntries = map[string]bool{runfolder.LockFile: true, runfolder.CheckpointsDir: true}

// checkFreshDir refuses a new run into path when path exists and holds a
// run (continue it with --resume) or anything not of a run folder (another
// program's files: never overwritten). It writes nothing.
func checkFreshDir(path string) error {
	if _, err := os.Stat(filepath.Join(path, runfolder.ConfigFile)); err == nil {
		return fmt.Errorf("%s already holds a run: use --resume to continue it, or another --out", path)
	}
	entries, err := os.ReadDir(path)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("--out %s: %w", path, err)
	}
	for _, e := range entries {
		if !ourEntries[e.Name()] && !runfolder.IsTempName(e.Name()) {
			return fmt.Errorf("--out %s is not empty and not a run folder (it holds %s and no %s): "+
				"nothing was written; choose a new or empty folder", path, e.Name(), runfolder.ConfigFile)
		}
	}
	return nil
}

// openRunDir creates a fresh run directory, or with resume reopens one and
// returns its checkpoint (nil when it has none yet). It takes the folder's
// lock first: a folder another process is writing is refused at once.
func openRunDir(path string, cfg config.Config, recs []family.RecordFile, resume bool) (_ *runDir, ck *checkpoint, err error) {
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
	if resume {
		if _, err := os.Stat(filepath.Join(path, runfolder.ConfigFile)); err != nil {
			return nil, nil, fmt.Errorf("--resume: %w", err)
		}
	} else if err := checkFreshDir(path); err != nil {
		return nil, nil, err
	}
	if err := os.MkdirAll(filepath.Join(path, runfolder.CheckpointsDir), 0o755); err != nil {
		return nil, nil, err
	}
	d := &runDir{path: path}
	if d.lock, err = LockDir(path); err != nil {
		return nil, nil, err
	}
	defer func() {
		if err != nil {
			d.close()
		}
	}()
	if !resume {
		if err := checkFreshDir(path); err != nil { // again, under the lock
			return nil, nil, err
		}
	}
	for _, sub := range []string{path, filepath.Join(path, runfolder.CheckpointsDir)} {
		if err := runfolder.RemoveStaleTemps(sub); err != nil {
			return nil, nil, err
		}
	}
	ckPath := filepath.Join(path, runfolder.CheckpointFile)
	if resume {
		have, err := os.ReadFile(filepath.Join(path, runfolder.ConfigFile))
		if err != nil {
			return nil, nil, fmt.Errorf("--resume: %w", err)
		}
		saved, err := config.Parse(have, nil, nil) // keys added since the run take their defaults
		if err != nil {
			return nil, nil, fmt.Errorf("--resume: %s: %w", filepath.Join(path, runfolder.ConfigFile), err)
		}
		saved.Workers = 0
		if saved.Metrics == "" {
			saved.Metrics = config.MetricsFull // run folders from before the metrics key measured everything
		}
		haveSame, _ := saved.YAML()
		if !bytes.Equal(haveSame, wantSame) {
			diff, _ := config.DiffKeys(saved, same)
			return nil, nil, fmt.Errorf("--resume: the resolved config differs from %s (saved != now) in %s; resume with the same config and overrides",
				filepath.Join(path, runfolder.ConfigFile), strings.Join(diff, "; "))
		}
		if ck, err = loadCheckpoint(ckPath); err != nil && !os.IsNotExist(err) {
			return nil, nil, fmt.Errorf("--resume: %w", err)
		}
	}
	if err := runfolder.WriteFileAtomic(filepath.Join(path, runfolder.ConfigFile), want); err != nil {
		return nil, nil, err
	}
	var mOff int64
	rOffs := make([]int64, len(recs))
	if ck != nil {
		mOff = ck.MetricsOffset
		copy(rOffs, ck.RecordOffsets)
	}
	if d.metrics, d.metricsOff, err = openCSV(filepath.Join(path, runfolder.MetricsFile), runfolder.Line(runfolder.MetricsColumns), mOff); err != nil {
		return nil, nil, err
	}
	d.recOffs = make([]int64, len(recs))
	for k, rf := range recs {
		f, off, err := openCSV(filepath.Join(path, rf.Name), runfolder.Line(rf.Header), rOffs[k])
		if err != nil {
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
		err = f.Truncate(0)
		if err == nil {
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
	if d.metrics != nil {
		d.metrics.Close()
	}
	for _, f := range d.records {
		f.Close()
	}
	d.lock.Unlock()
	d.lock = nil
}

// writeGeneration appends generation t's rows and the family's record, then
// replaces the checkpoint; a crash in between leaves the previous checkpoint,
// whose offsets cut the CSV files back on resume.
func (l *loop[S]) writeGeneration(t int, rows []Row) error {
	d := l.dir
	if t == 0 {
		for name, body := range l.fam.Summaries() {
			if err := runfolder.WriteFileAtomic(filepath.Join(d.path, name), body); err != nil {
				return err
			}
		}
	}
	mw := csv.NewWriter(d.metrics)
	runfolder.WriteRows(mw, rows)
	ws := make([]*csv.Writer, len(d.records))
	for k, f := range d.records {
		ws[k] = csv.NewWriter(f)
	}
	l.fam.Record(t, l.cur, ws)
	for _, w := range append(ws, mw) {
		if w.Flush(); w.Error() != nil {
			return w.Error()
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
	return saveCheckpoint(filepath.Join(d.path, runfolder.CheckpointFile), ck)
}
