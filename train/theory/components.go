package theory

import "github.com/selfconsume/selfconsume/data"

// Components groups the model indices by the data they exchange, directly
// or through others (undirected reachability over nonzero raw and curated
// weights), in order of their first model. Phi acts on each component
// separately: D Phi is block diagonal over components, so each has its own
// fixed point, stability and rate.
func (s *System) Components() [][]int {
	n := len(s.Models)
	parent := make([]int, n)
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for i, m := range s.Models {
		for j := 0; j < n; j++ {
			if m.Raw[j] > 0 || m.Curated[j] > 0 {
				parent[find(i)] = find(j)
			}
		}
	}
	groups := map[int][]int{}
	var order []int
	for i := 0; i < n; i++ {
		r := find(i)
		if _, ok := groups[r]; !ok {
			order = append(order, r)
		}
		groups[r] = append(groups[r], i)
	}
	out := make([][]int, len(order))
	for k, r := range order {
		out[k] = groups[r]
	}
	return out
}

// Subsystem restricts the map to the models idx (a union of components, so
// that their weights still sum to 1), in that order.
func (s *System) Subsystem(idx []int) *System {
	sub := *s
	sub.Models = nil
	for _, i := range idx {
		m := s.Models[i]
		r := Model{Name: m.Name, Pop: m.Pop, Real: m.Real}
		for _, j := range idx {
			r.Raw = append(r.Raw, m.Raw[j])
			r.Curated = append(r.Curated, m.Curated[j])
		}
		sub.Models = append(sub.Models, r)
	}
	return &sub
}

// pick returns the tables of the models idx.
func pick(ps []*data.Table, idx []int) []*data.Table {
	out := make([]*data.Table, len(idx))
	for k, i := range idx {
		out[k] = ps[i]
	}
	return out
}
