package train

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/gob"
	"errors"
	"fmt"
	"os"

	"github.com/selfconsume/selfconsume/data"
	"github.com/selfconsume/selfconsume/runfolder"
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

func (l *loop[S]) checkpoint(t int, metricsOff int64, recordOffs []int64) (*checkpoint, error) {
	fam, err := l.fam.State()
	if err != nil {
		return nil, err
	}
	return &checkpoint{Generation: t, Params: l.params, Acc: l.acc, Rows: l.rows, Family: fam,
		MetricsOffset: metricsOff, RecordOffsets: recordOffs}, nil
}

// A checkpoint file is a fixed header followed by the gob of a checkpoint:
//
//	magic "SCCKPT\r\n" (8 bytes) | version (uint32) | payload length (uint64) | SHA-256 of the payload (32 bytes)
//
// all big-endian. The version changes whenever the checkpoint struct or a
// family's state changes in a way an older reader would misread; a file with
// another magic, version, length or checksum is refused, never guessed at.
const (
	checkpointMagic   = "SCCKPT\r\n"
	checkpointVersion = 1
	checkpointHeader  = len(checkpointMagic) + 4 + 8 + sha256.Size
)

// errCheckpoint marks a checkpoint file that cannot be trusted: damaged,
// truncated, foreign, or of another format version.
var errCheckpoint = errors.New("checkpoint refused")

// encodeCheckpoint is the file's bytes: header and gob payload.
func encodeCheckpoint(ck *checkpoint) ([]byte, error) {
	var buf bytes.Buffer
	buf.Write(make([]byte, checkpointHeader))
	if err := gob.NewEncoder(&buf).Encode(ck); err != nil {
		return nil, fmt.Errorf("checkpoint: %w", err)
	}
	b := buf.Bytes()
	payload := b[checkpointHeader:]
	n := copy(b, checkpointMagic)
	binary.BigEndian.PutUint32(b[n:], checkpointVersion)
	binary.BigEndian.PutUint64(b[n+4:], uint64(len(payload)))
	sum := sha256.Sum256(payload)
	copy(b[n+12:], sum[:])
	return b, nil
}

// decodeCheckpoint checks the header and the checksum, then decodes the
// payload; every refusal wraps errCheckpoint and says why.
func decodeCheckpoint(b []byte) (*checkpoint, error) {
	bad := func(format string, a ...any) (*checkpoint, error) {
		return nil, fmt.Errorf("%w: %s", errCheckpoint, fmt.Sprintf(format, a...))
	}
	if len(b) < checkpointHeader || string(b[:len(checkpointMagic)]) != checkpointMagic {
		if len(b) >= len(checkpointMagic) && string(b[:len(checkpointMagic)]) != checkpointMagic {
			return bad("not a versioned selfconsume checkpoint (written by a version from before checkpoints carried a format header, or another file)")
		}
		return bad("truncated: %d bytes, shorter than the %d-byte header", len(b), checkpointHeader)
	}
	n := len(checkpointMagic)
	if v := binary.BigEndian.Uint32(b[n:]); v != checkpointVersion {
		return bad("format version %d; this selfconsume reads version %d", v, checkpointVersion)
	}
	payload := b[checkpointHeader:]
	if want := binary.BigEndian.Uint64(b[n+4:]); want != uint64(len(payload)) {
		return bad("truncated or extended: the header records %d bytes of state, the file holds %d", want, len(payload))
	}
	if sum := sha256.Sum256(payload); !bytes.Equal(sum[:], b[n+12:checkpointHeader]) {
		return bad("damaged: the SHA-256 checksum of its state does not match")
	}
	var ck checkpoint
	if err := gob.NewDecoder(bytes.NewReader(payload)).Decode(&ck); err != nil {
		return bad("undecodable state: %v", err)
	}
	return &ck, nil
}

// saveCheckpoint replaces the checkpoint at path atomically; the one it
// replaces is kept as path.prev (a hard link, so that path itself is never
// missing) for when the newer one is found damaged.
func saveCheckpoint(path string, ck *checkpoint) error {
	b, err := encodeCheckpoint(ck)
	if err != nil {
		return err
	}
	if _, err := os.Stat(path); err == nil {
		keepPrevious(path)
	}
	return runfolder.WriteFileAtomic(path, b)
}

// keepPrevious hard-links path to path.prev (through a temporary name, so
// that path.prev is always whole). Where the file system has no hard links
// there is no previous checkpoint to offer, which is not an error.
func keepPrevious(path string) {
	tmp := runfolder.TempName(path + prevSuffix)
	os.Remove(tmp)
	if os.Link(path, tmp) != nil {
		return
	}
	if os.Rename(tmp, path+prevSuffix) != nil {
		os.Remove(tmp)
	}
}

// prevSuffix names the previous generation's checkpoint beside the current one.
const prevSuffix = ".prev"

// loadCheckpoint reads and checks the checkpoint at path. A refused file
// gets an error saying what to do: resume from path.prev when that one is
// intact, or start again.
func loadCheckpoint(path string) (*checkpoint, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	ck, err := decodeCheckpoint(b)
	if err == nil {
		return ck, nil
	}
	advice := "run again without --resume into a new --out folder"
	if pb, perr := os.ReadFile(path + prevSuffix); perr == nil {
		if prev, perr := decodeCheckpoint(pb); perr == nil {
			advice = fmt.Sprintf("the previous checkpoint %s (generation %d) is intact: to continue from it, "+
				"mv %s %s and --resume again; or %s", path+prevSuffix, prev.Generation, path+prevSuffix, path, advice)
		}
	}
	return nil, fmt.Errorf("checkpoint %s: %w; %s", path, err, advice)
}

// restore puts the loop back in the state of a checkpoint.
func (l *loop[S]) restore(ck *checkpoint) error {
	if len(ck.Params) != len(l.models) {
		return fmt.Errorf("checkpoint has %d models, config has %d", len(ck.Params), len(l.models))
	}
	for i, m := range l.models {
		if err := m.SetParams(ck.Params[i]); err != nil {
			return fmt.Errorf("checkpoint, model %s: %w", l.cfg.Models[i].Name, err)
		}
	}
	fr, err := l.fam.Restore(ck.Family)
	if err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	l.cur, l.acc, l.rows, l.params = fr, ck.Acc, ck.Rows, ck.Params
	return nil
}
