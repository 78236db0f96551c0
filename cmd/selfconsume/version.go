package main

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/selfconsume/selfconsume/models"
)

// version describes this binary from its build information: the module
// version ("(devel)" for a build from a checkout), the commit it was built
// from (with "+dirty" when the tree had changes), the Go version and the
// multiply backend main installed, e.g.
//
//	selfconsume (devel), commit 5e367f093c88+dirty (2026-12-01T20:30:00Z), go1.26.8 linux/amd64, pure Go (gonum, AVX-512 gemm kernels)
func version() string {
	mod, commit, when, dirty := "unknown", "unknown", "", false
	if bi, ok := debug.ReadBuildInfo(); ok {
		mod = bi.Main.Version
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				commit = s.Value
				if len(commit) > 12 {
					commit = commit[:12]
				}
			case "vcs.time":
				when = " (" + s.Value + ")"
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
	}
	if dirty {
		commit += "+dirty"
	}
	return fmt.Sprintf("%s, commit %s%s, %s %s/%s, %s", mod, commit, when, runtime.Version(), runtime.GOOS, runtime.GOARCH, models.BackendName())
}
