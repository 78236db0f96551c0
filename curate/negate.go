package curate

import "fmt"

// Resolve builds every population's reward when some populations take
// another's reward negated (a population whose preferences conflict with
// another's): of[i] is the name (in names) of the population that i negates,
// "" when i has its own reward, built by own(i). Each reward is built once,
// a negated one after the reward it negates, and negate(r) returns -r. An
// unknown name or a cycle of negations is an error.
func Resolve[R any](names, of []string, own func(i int) (R, error), negate func(R) R) ([]R, error) {
	idx := make(map[string]int, len(names))
	for i, n := range names {
		idx[n] = i
	}
	out := make([]R, len(names))
	state := make([]int8, len(names)) // 0 to do, 1 in progress, 2 done
	var build func(i int) error
	build = func(i int) error {
		switch state[i] {
		case 2:
			return nil
		case 1:
			return fmt.Errorf("population %s: its reward negates itself through %q", names[i], of[i])
		}
		state[i] = 1
		if of[i] == "" {
			r, err := own(i)
			if err != nil {
				return err
			}
			out[i] = r
		} else {
			j, ok := idx[of[i]]
			if !ok {
				return fmt.Errorf("population %s negates unknown population %q", names[i], of[i])
			}
			if err := build(j); err != nil {
				return err
			}
			out[i] = negate(out[j])
		}
		state[i] = 2
		return nil
	}
	for i := range names {
		if err := build(i); err != nil {
			return nil, err
		}
	}
	return out, nil
}
