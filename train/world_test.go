package train

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/selfconsume/selfconsume/config"
	"github.com/selfconsume/selfconsume/data"
	"github.com/selfconsume/selfconsume/runfolder"
	"github.com/selfconsume/selfconsume/train/family"
)

// copyRun copies the files of a run folder (not its subfolders) into a new
// folder, leaving out the names in skip.
func copyRun(t *testing.T, dir string, skip ...string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "copy")
	if err := os.MkdirAll(dst, 0o755); err != nil {
		t.Fatal(err)
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if e.IsDir() || strings.HasPrefix(e.Name(), ".") || contains(skip, e.Name()) {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err == nil {
			err = os.WriteFile(filepath.Join(dst, e.Name()), b, 0o644)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

var predictionFiles = []string{runfolder.TheoryFile, runfolder.PredictionFile, runfolder.PredictionTablesFile}

// checkPredictFromDir copies the run folder dir without its prediction files,
// recomputes them with PredictFromDir, once into the copy itself and once
// into another folder, and checks that every file equals the run's byte for
// byte.
func checkPredictFromDir(t *testing.T, dir string) {
	t.Helper()
	bare := copyRun(t, dir, predictionFiles...)
	other := filepath.Join(t.TempDir(), "other")
	for _, out := range []string{bare, other} {
		if _, _, _, err := PredictFromDir(context.Background(), bare, out, ""); err != nil {
			t.Fatal(err)
		}
		for _, f := range append(predictionFiles, runfolder.ConfigFile) {
			a, err1 := os.ReadFile(filepath.Join(dir, f))
			b, err2 := os.ReadFile(filepath.Join(out, f))
			if err1 != nil || err2 != nil || len(a) == 0 || string(a) != string(b) {
				t.Errorf("%s: %s recomputed from the folder differs from the run's (%d vs %d bytes; %v, %v)", out, f, len(a), len(b), err1, err2)
			}
		}
	}
}

// sameBits reports the first cell where two slices differ in any bit.
func sameBits(t *testing.T, what string, got, want []float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d cells, want %d", what, len(got), len(want))
		return
	}
	for k := range want {
		if math.Float64bits(got[k]) != math.Float64bits(want[k]) {
			t.Errorf("%s cell %d: read %v (%#x), written %v (%#x)", what, k, got[k], math.Float64bits(got[k]), want[k], math.Float64bits(want[k]))
			return
		}
	}
}

// A categorical run with learned curators refitted every generation and a
// knob: predict --from the folder alone gives the run's theory.json,
// prediction.csv and prediction_tables.csv byte for byte (the prediction
// starts from the curators as fitted before generation 0, which the world
// files hold, not from the refitted ones).
func TestPredictFromDirCategorical(t *testing.T) {
	cfg := mustParse(t, twoModels, "generations=3", "models.a.init_steps=50", "models.b.init_steps=50",
		"reward_model.steps=40", "reward_model.hidden=[8]", "reward_model.refit=true", "reward_model.refit_steps=10",
		"theory.knob.model=a")
	dir := filepath.Join(t.TempDir(), "run")
	run(t, cfg, Options{Out: dir})
	checkPredictFromDir(t, dir)

	// --curator true: the true rewards curate in the map.
	_, p, _, err := PredictFromDir(context.Background(), dir, filepath.Join(t.TempDir(), "true"), config.CuratorTrue)
	if err != nil {
		t.Fatal(err)
	}
	if p.Curator != config.CuratorTrue || p.System.CurateReward[0] != p.System.TrueReward[0] {
		t.Errorf("--curator true: curator %q, the map curates with the truth: %v", p.Curator, p.System.CurateReward[0] == p.System.TrueReward[0])
	}
}

// The learned curators' tables, the true rewards, the real table, the
// context weights and the generation-0 tables read back from a run folder
// are the very float64 values of the run.
func TestLoadWorldRoundTripsTheRun(t *testing.T) {
	cfg := mustParse(t, twoModels, "generations=1", "models.a.init_steps=30", "models.b.init_steps=30",
		"reward_model.steps=30", "reward_model.hidden=[8]", "data.context=zipf")
	dir := filepath.Join(t.TempDir(), "run")
	res := run(t, cfg, Options{Out: dir})
	loaded, err := LoadRunConfig(dir)
	if err != nil {
		t.Fatal(err)
	}
	w, start, err := LoadWorld(dir, loaded)
	if err != nil {
		t.Fatal(err)
	}
	sameBits(t, "context weights", w.Context, res.World.Context)
	sameBits(t, "real table", w.Real.P, res.World.Real.P)
	for a, p := range cfg.Populations {
		sameBits(t, "true reward of "+p.Name, w.Truth[a].P, res.World.Truth[a].P)
		// Without refit the run's curators are still those of generation 0.
		sameBits(t, "learned curator of "+p.Name, w.Curator[a].P, res.World.Curator[a].P)
		if math.Float64bits(w.Curator[a].P[0]) == math.Float64bits(w.Truth[a].P[0]) {
			t.Errorf("learned curator of %s equals the truth in cell 0: the curator rows were not read", p.Name)
		}
	}
	for i, m := range cfg.Models {
		sameBits(t, "generation-0 table of "+m.Name, start[i].P, res.Tables[0][i].P)
		for k, v := range w.Weights[i] {
			if v != res.World.Weights[i][k] {
				t.Errorf("model %s mixture weight %d: %v, run %v", m.Name, k, v, res.World.Weights[i][k])
			}
		}
	}
}

// A curator table with awkward numbers (tiny, negative zero, not exactly
// representable in decimal, huge) and population names that need CSV
// quoting round-trips exactly through world_rewards.csv.
func TestCuratorTableRoundTripsExactly(t *testing.T) {
	// Validation refuses such names in configs; the writers must still
	// quote them, so they are set after parsing.
	cfg := mustParse(t, twoModels)
	rename := map[string]string{"alice": "al,ice", "bob": `bob "b"`}
	for a := range cfg.Populations {
		cfg.Populations[a].Name = rename[cfg.Populations[a].Name]
	}
	for i := range cfg.Models {
		cfg.Models[i].Population = rename[cfg.Models[i].Population]
	}
	C, V := cfg.Data.Contexts, cfg.Data.Tokens
	awkward := []float64{1e-300, math.Copysign(0, -1), 0.1 + 0.2, -1.7976931348623157e308, 1.0 / 3, 5e-324, math.Pi, -2.5e-17}
	tab := func(shift int) *data.Table {
		t := data.NewTable(C, V)
		for k := range t.P {
			t.P[k] = awkward[(k+shift)%len(awkward)] * float64(k+1)
		}
		return t
	}
	w := &World{Context: []float64{0.2, 0.7, 0.1}, Real: tab(0), Truth: []*data.Table{tab(1), tab(2)}}
	curators := []*data.Table{tab(3), tab(4)}
	start := []*data.Table{tab(5), tab(6)}
	dir := t.TempDir()
	files := family.WorldFiles(cfg, w, curators)
	files[runfolder.TablesFile] = family.StartTablesCSV(cfg, start)
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, gotStart, err := LoadWorld(dir, cfg)
	if err != nil {
		t.Fatal(err)
	}
	sameBits(t, "context", got.Context, w.Context)
	sameBits(t, "real", got.Real.P, w.Real.P)
	for a := range curators {
		sameBits(t, "truth", got.Truth[a].P, w.Truth[a].P)
		sameBits(t, "curator", got.Curator[a].P, curators[a].P)
		sameBits(t, "start", gotStart[a].P, start[a].P)
	}
}

// A planar run (two flows, learned curators refitted every generation; no
// knob, whose influence on the grid is slow): predict --from reproduces its prediction files byte for byte, and
// world_grid.csv gives the grid's geometry.
func TestPredictFromDirPlanar(t *testing.T) {
	cfg := mustParse(t, ringPair, "theory.predict=true")
	dir := filepath.Join(t.TempDir(), "run")
	run(t, cfg, Options{Out: dir})
	checkPredictFromDir(t, dir)
	b, err := os.ReadFile(filepath.Join(dir, runfolder.WorldGridFile))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	res := cfg.Data.Plane.Resolution
	if len(lines) != 1+res*res || lines[0] != strings.Join(runfolder.WorldGridColumns, ",") {
		t.Fatalf("%s: %d lines, header %q; want %d cells", runfolder.WorldGridFile, len(lines), lines[0], res*res)
	}
}

// A planar run that keeps no grid tables (metrics minimal, no prediction)
// still writes the generation-0 grid tables, equal to those of the full run
// with the prediction, so that predict --from works on it too.
func TestPlanarWorldStartWithoutTables(t *testing.T) {
	full := filepath.Join(t.TempDir(), "full")
	run(t, mustParse(t, ringPair, "generations=1", "theory.predict=true"), Options{Out: full})
	minimal := filepath.Join(t.TempDir(), "minimal")
	run(t, mustParse(t, ringPair, "generations=1", "metrics=minimal"), Options{Out: minimal})
	for _, f := range []string{runfolder.WorldStartFile, runfolder.WorldRealFile, runfolder.WorldRewardsFile, runfolder.WorldContextFile, runfolder.WorldGridFile} {
		a, _ := os.ReadFile(filepath.Join(full, f))
		b, _ := os.ReadFile(filepath.Join(minimal, f))
		if len(a) == 0 || string(a) != string(b) {
			t.Errorf("%s differs between the full run and the minimal one (%d vs %d bytes)", f, len(a), len(b))
		}
	}
	out := filepath.Join(t.TempDir(), "pred")
	if _, _, _, err := PredictFromDir(context.Background(), minimal, out, ""); err != nil {
		t.Fatal(err)
	}
	a, _ := os.ReadFile(filepath.Join(full, runfolder.TheoryFile))
	b, _ := os.ReadFile(filepath.Join(out, runfolder.TheoryFile))
	if len(a) == 0 || string(a) != string(b) {
		t.Errorf("theory.json predicted from the minimal run differs from the full run's own")
	}
}

// predict --from a folder that is not a run folder, or lacks a world file,
// names the file and says what to do.
func TestPredictFromDirErrorsNameTheFile(t *testing.T) {
	empty := t.TempDir()
	_, _, _, err := PredictFromDir(context.Background(), empty, t.TempDir(), "")
	if !errors.Is(err, ErrNotRunFolder) || !strings.Contains(err.Error(), runfolder.ConfigFile) || !strings.Contains(err.Error(), "selfconsume run") {
		t.Errorf("folder without config.yaml: got %v", err)
	}
	cfg := mustParse(t, twoModels, "generations=0", "models.a.init_steps=10", "models.b.init_steps=10",
		"reward_model.steps=10", "reward_model.hidden=[4]")
	dir := filepath.Join(t.TempDir(), "run")
	run(t, cfg, Options{Out: dir})
	for _, f := range []string{runfolder.WorldRealFile, runfolder.WorldContextFile, runfolder.WorldRewardsFile, runfolder.TablesFile} {
		bare := copyRun(t, dir, f)
		_, _, _, err := PredictFromDir(context.Background(), bare, t.TempDir(), "")
		if err == nil || !strings.Contains(err.Error(), filepath.Join(bare, f)) || !strings.Contains(err.Error(), "selfconsume run") {
			t.Errorf("without %s: got %v", f, err)
		}
	}
	// A truncated table names the missing cell.
	bare := copyRun(t, dir)
	b, _ := os.ReadFile(filepath.Join(bare, runfolder.WorldRealFile))
	cut := string(b[:strings.LastIndex(strings.TrimSpace(string(b)), "\n")+1])
	if err := os.WriteFile(filepath.Join(bare, runfolder.WorldRealFile), []byte(cut), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := PredictFromDir(context.Background(), bare, t.TempDir(), ""); err == nil || !strings.Contains(err.Error(), "context 2, token 4 is missing") {
		t.Errorf("truncated %s: got %v", runfolder.WorldRealFile, err)
	}
}

// A run whose real table came from a file predicts from its folder after
// the file is gone: world_real.csv holds the table.
func TestPredictFromDirWithoutTheDataFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "q.csv")
	if err := os.WriteFile(file, []byte("1,2,3,4,5\n5,4,3,2,1\n1,1,1,1,1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := mustParse(t, twoModels, "generations=1", "data.real=table", "data.file="+file, "models.a.init_steps=20",
		"models.b.init_steps=20", "reward_model.steps=20", "reward_model.hidden=[4]")
	dir := filepath.Join(t.TempDir(), "run")
	run(t, cfg, Options{Out: dir})
	if err := os.Remove(file); err != nil {
		t.Fatal(err)
	}
	checkPredictFromDir(t, dir)
}
