package models

import (
	"fmt"
	"os"
	"testing"
)

// TestMain runs the tests on the selfconsume command's multiply (Gemm), as
// package testsetup does for the other packages (which imports this one).
func TestMain(m *testing.M) {
	if err := UseBackend(Gemm); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Exit(m.Run())
}
