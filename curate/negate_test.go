package curate

import (
	"errors"
	"strings"
	"testing"
)

// Resolve builds each own reward once and a negation after what it negates,
// whatever the order of the list; unknown names and cycles are errors.
func TestResolve(t *testing.T) {
	names := []string{"c", "a", "b", "d"}
	of := []string{"b", "", "a", ""}
	built := map[int]int{}
	got, err := Resolve(names, of, func(i int) (float64, error) {
		built[i]++
		return float64(10 * (i + 1)), nil
	}, func(r float64) float64 { return -r })
	if err != nil {
		t.Fatal(err)
	}
	if want := []float64{20, 20, -20, 40}; len(got) != 4 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] || got[3] != want[3] {
		t.Fatalf("rewards %v, want %v", got, want)
	}
	if len(built) != 2 || built[1] != 1 || built[3] != 1 {
		t.Fatalf("own rewards built %v, want populations 1 and 3 once each", built)
	}
	own := func(int) (float64, error) { return 1, nil }
	neg := func(r float64) float64 { return -r }
	if _, err := Resolve([]string{"a", "b"}, []string{"b", "a"}, own, neg); err == nil || !strings.Contains(err.Error(), "negates itself") {
		t.Errorf("cycle: error %v", err)
	}
	if _, err := Resolve([]string{"a"}, []string{"z"}, own, neg); err == nil || !strings.Contains(err.Error(), `unknown population "z"`) {
		t.Errorf("unknown name: error %v", err)
	}
	boom := errors.New("boom")
	if _, err := Resolve([]string{"a", "b"}, []string{"", "a"}, func(int) (float64, error) { return 0, boom }, neg); !errors.Is(err, boom) {
		t.Errorf("own error: %v", err)
	}
}
