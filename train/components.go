package train

import "github.com/selfconsume/selfconsume/train/theory"

// Component is a set of models that exchange data (directly or through
// others). The map's Jacobian is block-diagonal over components, so each
// has its own fixed point, stability and convergence rate; the whole
// system's rate is the slowest.
type Component struct {
	Models []string
	Rho    float64 // spectral radius of D Phi restricted to the component, at the fixed point
	// GenerationsMap is the first generation of the map's trajectory from
	// generation 0 at which the component's distance to the fixed point is
	// below tol times its initial distance (-1: not within the cap).
	GenerationsMap int
}

// componentRates names every component of the fixed point fp with its
// spectral radius.
func componentRates(sys *theory.System, fp *theory.FixedPoint) []Component {
	var out []Component
	for k, idx := range fp.Components {
		var names []string
		for _, i := range idx {
			names = append(names, sys.Models[i].Name)
		}
		out = append(out, Component{Models: names, Rho: fp.ComponentRho[k], GenerationsMap: -1})
	}
	return out
}
