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
	Params        [][]float64 // per model
	Acc           []data.Set  // accumulated training sets (accumulate regimes)
	Rows          []Row
	Family        []byte  // the family's own state (curators, history)
	MetricsOffset int64   // size of metrics.csv at this generation
	RecordOffsets []int64 // sizes of the family's record files
}

func (l *loop) checkpoint(t int, metricsOff int64, recordOffs []int64) (*checkpoint, error) {
	fam, err := l.fam.state()
	if err != nil {
		return nil, err
	}
	return &checkpoint{Generation: t, Params: l.params, Acc: l.acc, Rows: l.rows, Family: fam,
		MetricsOffset: metricsOff, RecordOffsets: recordOffs}, nil
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
	if len(ck.Params) != len(l.models) {
		return fmt.Errorf("checkpoint has %d models, config has %d", len(ck.Params), len(l.models))
	}
	for i, m := range l.models {
		if err := m.SetParams(ck.Params[i]); err != nil {
			return fmt.Errorf("checkpoint, model %s: %w", l.cfg.Models[i].Name, err)
		}
	}
	fr, err := l.fam.restore(ck.Family)
	if err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	l.cur, l.acc, l.rows, l.params = fr, ck.Acc, ck.Rows, ck.Params
	return nil
}
