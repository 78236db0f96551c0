package train

import (
	"selfconsume/data"
	"selfconsume/train/theory"
)

// Component is a set of models that exchange data (directly or through
// others). The map's Jacobian is block-diagonal over components, so each
// has its own convergence rate; the whole system's is the slowest.
type Component struct {
	Models []string
	Rho    float64 // spectral radius of D Phi restricted to the component, at the fixed point
}

// components groups model indices by the data they exchange (undirected
// reachability over nonzero raw and curated weights).
func components(sys *theory.System) [][]int {
	n := len(sys.Models)
	parent := make([]int, n)
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for i, m := range sys.Models {
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

// subsystem restricts the map to the models idx (a union of components).
func subsystem(sys *theory.System, idx []int) *theory.System {
	sub := *sys
	sub.Models = nil
	for _, i := range idx {
		m := sys.Models[i]
		r := theory.Model{Name: m.Name, Pop: m.Pop, Real: m.Real}
		for _, j := range idx {
			r.Raw = append(r.Raw, m.Raw[j])
			r.Curated = append(r.Curated, m.Curated[j])
		}
		sub.Models = append(sub.Models, r)
	}
	return &sub
}

// componentRates computes every component's spectral radius at the state ps.
func componentRates(sys *theory.System, ps []*data.Table) []Component {
	var out []Component
	for _, idx := range components(sys) {
		sub := subsystem(sys, idx)
		var sps []*data.Table
		var names []string
		for _, i := range idx {
			sps = append(sps, ps[i])
			names = append(names, sys.Models[i].Name)
		}
		out = append(out, Component{Models: names, Rho: sub.SpectralRadius(sps)})
	}
	return out
}
