package report

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/selfconsume/selfconsume/runfolder"
)

// The run-folder readers never panic: the fuzzed bytes stand in for every
// CSV file of a run folder at once, beside a shipped config.
func FuzzRunFolderReaders(f *testing.F) {
	f.Add([]byte("generation,model,metric,value\n0,solo,kl_real,0.5\n1,solo,reward/alice,0.25\n"))
	f.Add([]byte("generation,model,context,token,prob\n0,\"a,\"\"b\",0,1,0.5\n"))
	f.Add([]byte("generation,model,metric,mean,ci_low,ci_high,predicted,abs_error,seeds,diff,diff_ci_low,diff_ci_high\n3,m,kl_real,1,0,2,1,0,2,0,-1,1\n"))
	f.Add([]byte("population,metric,value\nalice,spearman,0.9\n"))
	f.Add([]byte("\ufeffgeneration, model ,metric,value\n-1,x,y,NaN\n"))
	cfg, err := os.ReadFile(filepath.Join("..", "..", "configs", "quickstart.yaml"))
	if err != nil {
		f.Fatal(err)
	}
	files := []string{runfolder.MetricsFile, runfolder.PredictionFile, runfolder.TablesFile, runfolder.PredictionTablesFile, runfolder.ComparisonFile, runfolder.RewardModelsFile}
	f.Fuzz(func(t *testing.T, b []byte) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, runfolder.ConfigFile), cfg, 0o644); err != nil {
			t.Fatal(err)
		}
		for _, name := range files {
			if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := load(dir); err != nil && err.Error() == "" {
			t.Fatal("an error without a message")
		}
	})
}
