// Package testsetup is the start-up of the test binaries that train
// networks. Its one job: install the multiply the selfconsume command uses
// on this CPU (models.Gemm), whose numbers the tests pin, before the tests
// run. A package's tests use it as
//
//	func TestMain(m *testing.M) { testsetup.Main(m) }
package testsetup

import (
	"fmt"
	"os"
	"testing"

	"github.com/selfconsume/selfconsume/models"
)

// Main installs models.Gemm, runs the tests and exits with their status.
func Main(m *testing.M) {
	if err := models.UseBackend(models.Gemm); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Exit(m.Run())
}
