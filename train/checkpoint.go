package train

import (
	"bytes"
	"encoding/gob"
	"fmt"
	"os"

	"selfconsume/data"
)

// checkpoint is the state after a completed generation: enough to continue
// the run to the same numbers as if it had never stopped.
type checkpoint struct {
	Generation    int
	Params        [][]float32 // per model
	RewardParams  [][]float32 // per population (learned reward models)
	Curator       []*data.Table
	RewardStats   []RewardModelStats
	Acc           []data.Set // accumulated training sets (accumulate regimes)
	Rows          []Row
	Tables        [][]*data.Table
	MetricsOffset int64 // sizes of metrics.csv and tables.csv at this generation
	TablesOffset  int64
}

func (l *loop) checkpoint(t int, metricsOff, tablesOff int64) *checkpoint {
	ck := &checkpoint{Generation: t, Params: l.params, Curator: l.w.Curator, RewardStats: l.rmStats,
		Acc: l.acc, Rows: l.rows, Tables: l.tables, MetricsOffset: metricsOff, TablesOffset: tablesOff}
	for _, rm := range l.rms {
		ck.RewardParams = append(ck.RewardParams, rm.Params())
	}
	return ck
}

func saveCheckpoint(path string, ck *checkpoint) error {
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(ck); err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	return WriteFileAtomic(path, buf.Bytes())
}

func loadCheckpoint(path string) (*checkpoint, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var ck checkpoint
	if err := gob.NewDecoder(bytes.NewReader(b)).Decode(&ck); err != nil {
		return nil, fmt.Errorf("checkpoint %s: %w", path, err)
	}
	return &ck, nil
}

// restore puts the loop back in the state of a checkpoint.
func (l *loop) restore(ck *checkpoint) error {
	if len(ck.Params) != len(l.gens) {
		return fmt.Errorf("checkpoint has %d models, config has %d", len(ck.Params), len(l.gens))
	}
	for i, g := range l.gens {
		if err := g.SetParams(ck.Params[i]); err != nil {
			return fmt.Errorf("checkpoint, model %s: %w", l.cfg.Models[i].Name, err)
		}
	}
	var err error
	if l.rms, err = l.w.newRewardModels(l.cfg); err != nil {
		return err
	}
	if len(ck.RewardParams) != len(l.rms) {
		return fmt.Errorf("checkpoint has %d reward models, config has %d", len(ck.RewardParams), len(l.rms))
	}
	for a, rm := range l.rms {
		if err := rm.SetParams(ck.RewardParams[a]); err != nil {
			return fmt.Errorf("checkpoint, reward model %d: %w", a, err)
		}
	}
	l.w.Curator, l.rmStats, l.acc = ck.Curator, ck.RewardStats, ck.Acc
	l.rows, l.tables, l.params = ck.Rows, ck.Tables, ck.Params
	return nil
}
