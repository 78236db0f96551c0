package train

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/selfconsume/selfconsume/runfolder"
)

// DirLock is a held lock on a folder.
type DirLock struct {
	f *os.File
}

// BusyError is a folder whose lock another process holds.
type BusyError struct {
	Dir string
	PID int // 0 when the holder's PID could not be read
}

func (e *BusyError) Error() string {
	who := "another process"
	if e.PID > 0 {
		who = fmt.Sprintf("another process (PID %d)", e.PID)
	}
	return fmt.Sprintf("%s is in use by %s: wait for it to finish or stop it, or choose another folder", e.Dir, who)
}

// LockDir takes the exclusive advisory lock of dir (its file .lock), without
// waiting: a folder another process holds gives a *BusyError naming it and
// the holder's PID. The lock is released by Unlock or when the process ends
// (killed included), so it never goes stale. Where the system has no flock,
// LockDir records the PID and locks nothing.
func LockDir(dir string) (*DirLock, error) {
	return LockAt(filepath.Join(dir, runfolder.LockFile), dir)
}

// LockAt is LockDir with the lock file at path, for what (named in a
// *BusyError).
func LockAt(path, what string) (*DirLock, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	busy, err := tryLock(f)
	if err != nil || busy {
		pid := readPID(f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("lock %s: %w", path, err)
		}
		return nil, &BusyError{Dir: what, PID: pid}
	}
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return &DirLock{f: f}, nil
}

// Unlock releases the lock (nil-safe).
func (l *DirLock) Unlock() {
	if l == nil || l.f == nil {
		return
	}
	l.f.Truncate(0)
	l.f.Close() // closing the descriptor releases the flock
	l.f = nil
}

func readPID(f *os.File) int {
	b := make([]byte, 32)
	n, _ := f.ReadAt(b, 0)
	pid, _ := strconv.Atoi(strings.TrimSpace(string(b[:n])))
	return pid
}
