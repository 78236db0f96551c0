package sweep

import (
	"testing"

	"github.com/selfconsume/selfconsume/internal/testsetup"
)

// TestMain runs the tests on the selfconsume command's multiply.
func TestMain(m *testing.M) { testsetup.Main(m) }
