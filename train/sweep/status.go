package sweep

import (
	"fmt"
	"strings"
)

// Status counts a sweep's cells by their markers.
type Status struct {
	Cells    int       // all cells
	Done     int       // finished (DONE)
	Pending  int       // neither done nor failed: not started, running, or interrupted
	Failures []Failure // failed cells (FAILED), in index order
}

// Failure is a failed cell and its error message.
type Failure struct {
	Index   int
	Name    string
	Message string
}

// Failed returns the indices of the failed cells, for RunCells or
// SubmitSlurm to run them again.
func (s Status) Failed() []int {
	idx := make([]int, len(s.Failures))
	for i, f := range s.Failures {
		idx[i] = f.Index
	}
	return idx
}

// Err returns an error naming the failed cells, or nil when none failed.
func (s Status) Err() error {
	if len(s.Failures) == 0 {
		return nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d of %d cells failed:", len(s.Failures), s.Cells)
	for _, f := range s.Failures {
		fmt.Fprintf(&b, "\n  %s: %s", f.Name, f.Message)
	}
	return fmt.Errorf("%s", b.String())
}

// ReadStatus reads the markers of every cell of the sweep in dir.
func ReadStatus(dir string) (Status, error) {
	_, cells, err := open(dir)
	if err != nil {
		return Status{}, err
	}
	st := Status{Cells: len(cells)}
	for _, c := range cells {
		switch state, msg := stateOf(dir, c); state {
		case stateDone:
			st.Done++
		case stateFailed:
			st.Failures = append(st.Failures, Failure{Index: c.Index, Name: c.Name, Message: msg})
		default:
			st.Pending++
		}
	}
	return st, nil
}
