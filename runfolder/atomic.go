package runfolder

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// tempInfix marks the temporary files of WriteFileAtomic (and of the
// checkpoint's hard link): ".NAME.tmp" followed by digits, beside NAME.
const tempInfix = ".tmp"

// WriteFileAtomic writes data to a temporary file beside path, syncs it and
// renames it over path, so that readers see the old file or the new one,
// never half of one. The temporary file is named .NAME.tmpDIGITS; a process
// killed in between leaves it behind, and RemoveStaleTemps clears it.
func WriteFileAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+tempInfix+"*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	if err = f.Chmod(0o644); err == nil {
		_, err = f.Write(data)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}

// TempName is a fixed temporary name beside path in the same pattern,
// unique to this process.
func TempName(path string) string {
	return filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+tempInfix+strconv.Itoa(os.Getpid()))
}

// IsTempName reports whether a file name is one of the temporary names
// above: a dot, a name, ".tmp" and digits only.
func IsTempName(name string) bool {
	i := strings.LastIndex(name, tempInfix)
	if !strings.HasPrefix(name, ".") || i <= 1 || i+len(tempInfix) == len(name) {
		return false
	}
	for _, c := range name[i+len(tempInfix):] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// RemoveStaleTemps removes the temporary files a killed process left in
// dir. Call it only while holding dir's lock, when no writer of ours can be
// between creating and renaming one.
func RemoveStaleTemps(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.Type().IsRegular() && IsTempName(e.Name()) {
			if err := os.Remove(filepath.Join(dir, e.Name())); err != nil && !os.IsNotExist(err) {
				return err
			}
		}
	}
	return nil
}
