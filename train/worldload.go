package train

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

	"github.com/selfconsume/selfconsume/config"
	"github.com/selfconsume/selfconsume/data"
	"github.com/selfconsume/selfconsume/runfolder"
)

// ErrNotRunFolder is returned (wrapped) for a folder without config.yaml.
var ErrNotRunFolder = errors.New("not a run folder")

// LoadRunConfig reads a run folder's config.yaml, the resolved config the run
// used. Data and reward files it names need not exist any more: the run
// folder's world files hold what was read from them.
func LoadRunConfig(dir string) (config.Config, error) {
	path := filepath.Join(dir, runfolder.ConfigFile)
	raw, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return config.Config{}, fmt.Errorf("%s: %w (it has no %s): give a folder written by selfconsume run", dir, ErrNotRunFolder, runfolder.ConfigFile)
	}
	if err != nil {
		return config.Config{}, err
	}
	cfg, err := config.Parse(raw, nil, nil)
	if err != nil {
		return config.Config{}, fmt.Errorf("%s: %w", path, err)
	}
	check := cfg
	check.Populations = append([]config.PopulationConfig(nil), cfg.Populations...)
	if check.Data.File != "" {
		check.Data.File = path
	}
	for i := range check.Populations {
		if check.Populations[i].File != "" {
			check.Populations[i].File = path
		}
	}
	if err := CheckConfig(check); err != nil {
		return config.Config{}, fmt.Errorf("%s: %w", path, err)
	}
	return cfg, nil
}

// LoadWorld reads the world of a run folder written by Run: the real table,
// the context weights, the true rewards and learned curators (world_*.csv),
// the mixture weights (from cfg, the folder's config.yaml) and the
// generation-0 tables the prediction starts from (categorical: generation 0
// of tables.csv; planar: world_start.csv). The numbers are those the run's
// own prediction used, bit for bit.
func LoadWorld(dir string, cfg config.Config) (*World, []*data.Table, error) {
	k, err := kindOf(cfg)
	if err != nil {
		return nil, nil, err
	}
	C, V := k.Support(cfg)
	startFile := k.StartFile
	w := &World{Context: make([]float64, C)}
	seen := make([]bool, C)
	err = readWorldCSV(dir, runfolder.WorldContextFile, runfolder.WorldContextColumns, func(r runfolder.Record) error {
		c, err := index(r, "context", C)
		if err != nil {
			return err
		}
		if seen[c] {
			return r.Errorf("context %d appears twice", c)
		}
		seen[c] = true
		w.Context[c], err = r.Number("weight")
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	for c, ok := range seen {
		if !ok {
			return nil, nil, fmt.Errorf("%s: no weight for context %d", filepath.Join(dir, runfolder.WorldContextFile), c)
		}
	}

	realFill := newCellFill(filepath.Join(dir, runfolder.WorldRealFile), C, V)
	if err := readWorldCSV(dir, runfolder.WorldRealFile, runfolder.WorldRealColumns, func(r runfolder.Record) error { return realFill.set(r, "prob") }); err != nil {
		return nil, nil, err
	}
	if w.Real, err = realFill.table(); err != nil {
		return nil, nil, err
	}

	P := len(cfg.Populations)
	pop := map[string]int{}
	for a, p := range cfg.Populations {
		pop[p.Name] = a
	}
	path := filepath.Join(dir, runfolder.WorldRewardsFile)
	fills := map[string][]*cellFill{runfolder.RewardKindTrue: make([]*cellFill, P), runfolder.RewardKindCurator: make([]*cellFill, P)}
	err = readWorldCSV(dir, runfolder.WorldRewardsFile, runfolder.WorldRewardsColumns, func(r runfolder.Record) error {
		a, ok := pop[r.Raw("population")]
		if !ok {
			return r.Errorf("population %q is not in %s", r.Raw("population"), runfolder.ConfigFile)
		}
		tabs, ok := fills[r.Raw("kind")]
		if !ok {
			return r.Errorf("kind %q: allowed: %s, %s", r.Raw("kind"), runfolder.RewardKindTrue, runfolder.RewardKindCurator)
		}
		if tabs[a] == nil {
			tabs[a] = newCellFill(path, C, V)
		}
		return tabs[a].set(r, "value")
	})
	if err != nil {
		return nil, nil, err
	}
	learned := 0
	for a, p := range cfg.Populations {
		if fills[runfolder.RewardKindTrue][a] == nil {
			return nil, nil, fmt.Errorf("%s: no %s reward of population %s", path, runfolder.RewardKindTrue, p.Name)
		}
		if fills[runfolder.RewardKindCurator][a] != nil {
			learned++
		}
	}
	if learned != 0 && learned != P {
		return nil, nil, fmt.Errorf("%s: %d of %d populations have a %s table: want all or none", path, learned, P, runfolder.RewardKindCurator)
	}
	for a := range cfg.Populations {
		t, err := fills[runfolder.RewardKindTrue][a].table()
		if err != nil {
			return nil, nil, err
		}
		w.Truth = append(w.Truth, t)
		if learned > 0 {
			if t, err = fills[runfolder.RewardKindCurator][a].table(); err != nil {
				return nil, nil, err
			}
			w.Curator = append(w.Curator, t)
		}
	}
	if learned == 0 { // the true rewards curate
		w.Curator = append([]*data.Table(nil), w.Truth...)
	}

	start, err := readStartTables(dir, startFile, cfg, C, V)
	if err != nil {
		return nil, nil, err
	}
	if err := w.SetMix(cfg); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", filepath.Join(dir, runfolder.ConfigFile), err)
	}
	return w, start, nil
}

// readStartTables reads the generation-0 rows of a generation,model,context,
// token,prob file, one table per config model.
func readStartTables(dir, name string, cfg config.Config, C, V int) ([]*data.Table, error) {
	path := filepath.Join(dir, name)
	model := map[string]int{}
	fills := make([]*cellFill, len(cfg.Models))
	for i, m := range cfg.Models {
		model[m.Name] = i
		fills[i] = newCellFill(path, C, V)
	}
	err := readWorldCSV(dir, name, runfolder.TablesColumns, func(r runfolder.Record) error {
		if r.Raw("generation") != "0" {
			return nil
		}
		i, ok := model[r.Raw("model")]
		if !ok {
			return r.Errorf("model %q is not in %s", r.Raw("model"), runfolder.ConfigFile)
		}
		return fills[i].set(r, "prob")
	})
	if err != nil {
		return nil, err
	}
	start := make([]*data.Table, len(fills))
	for i, f := range fills {
		if start[i], err = f.table(); err != nil {
			return nil, fmt.Errorf("generation 0 of model %s: %w", cfg.Models[i].Name, err)
		}
	}
	return start, nil
}

// cellFill collects a C x V table cell by cell, each cell exactly once.
type cellFill struct {
	path string
	t    *data.Table
	seen []bool
	n    int
}

func newCellFill(path string, c, v int) *cellFill {
	return &cellFill{path: path, t: data.NewTable(c, v), seen: make([]bool, c*v)}
}

// set reads a cell's context and token and its value from column col.
func (f *cellFill) set(r runfolder.Record, col string) error {
	c, err := index(r, "context", f.t.C)
	if err != nil {
		return err
	}
	y, err := index(r, "token", f.t.V)
	if err != nil {
		return err
	}
	k := c*f.t.V + y
	if f.seen[k] {
		return r.Errorf("context %d, token %d appears twice", c, y)
	}
	if f.t.P[k], err = r.Number(col); err != nil {
		return err
	}
	f.seen[k] = true
	f.n++
	return nil
}

// table returns the filled table, or an error naming a missing cell.
func (f *cellFill) table() (*data.Table, error) {
	if f.n < len(f.seen) {
		for k, ok := range f.seen {
			if !ok {
				return nil, fmt.Errorf("%s: has %d of %d cells; context %d, token %d is missing", f.path, f.n, len(f.seen), k/f.t.V, k%f.t.V)
			}
		}
	}
	return f.t, nil
}

// index parses column col as an integer in [0, n).
func index(r runfolder.Record, col string, n int) (int, error) {
	v, err := strconv.Atoi(r.Raw(col))
	if err != nil || v < 0 || v >= n {
		return 0, r.Errorf("column %q: %q is not an index in [0, %d) (the sizes of %s)", col, r.Raw(col), n, runfolder.ConfigFile)
	}
	return v, nil
}

// readWorldCSV reads dir/name, which must start with exactly header, and
// calls each on every row. A missing file is an error that says what to do.
func readWorldCSV(dir, name string, header []string, each func(runfolder.Record) error) error {
	path := filepath.Join(dir, name)
	found, err := runfolder.ReadExact(path, header, each)
	if !found && err == nil {
		return fmt.Errorf("%s is missing: the prediction needs the run's world files (world_*.csv; older versions did not write them) "+
			"and its generation-0 tables; run the config again (selfconsume run %s --out NEWDIR), or predict with selfconsume predict %[2]s, which refits generation 0",
			path, filepath.Join(dir, runfolder.ConfigFile))
	}
	return err
}
