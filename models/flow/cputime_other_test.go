//go:build !unix

package flow

import "time"

// cpuTime is not measured off unix (benchmarks then report 0).
func cpuTime() time.Duration { return 0 }
