package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// The committed kernel_amd64.s is exactly what genkernels writes: an edit of
// the generator without go generate, or a hand edit of the assembly, fails
// here.
func TestGeneratedKernelsAreCurrent(t *testing.T) {
	t.Parallel()
	committed, err := os.ReadFile(filepath.Join("..", output))
	if err != nil {
		t.Fatal(err)
	}
	if got := generate(); !bytes.Equal(got, committed) {
		line := 1 + bytes.Count(got[:commonPrefix(got, committed)], []byte("\n"))
		t.Fatalf("internal/gemm/%s is stale (first difference on line %d): run go generate ./internal/gemm", output, line)
	}
}

// commonPrefix returns the length of the longest common prefix of a and b.
func commonPrefix(a, b []byte) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}
