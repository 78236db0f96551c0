package report

import "github.com/selfconsume/selfconsume/runfolder"

// theoryFile is theory.json: the analytic summary of the run's loop.
// Pointers are nil when a field is absent or null.
type theoryFile struct {
	SpectralRadius   *float64                      `json:"spectral_radius"`
	Rate             *float64                      `json:"rate"`
	GenerationsToTol *float64                      `json:"generations_to_tol"`
	Tol              *float64                      `json:"tol"`
	Contraction      *contraction                  `json:"contraction"`
	FixedPoint       map[string]map[string]float64 `json:"fixed_point"`
	Influence        []theoryInfluence             `json:"influence"`
	SpreadError      string                        `json:"spread_error"` // why there is no finite-sample prediction
}

// contraction is the global sufficient condition for the map to contract:
// max_i (sum_j w_ij^S + sum_j w_ij^H L_pop(j)) < 1, L the curation law's
// Lipschitz constant in total variation.
type contraction struct {
	Bound float64 `json:"bound"`
	Holds bool    `json:"holds"`
}

// theoryInfluence is one predicted self- or cross-influence.
type theoryInfluence struct {
	Knob       string  `json:"knob"`
	Model      string  `json:"model"`
	Population string  `json:"population"`
	Predicted  float64 `json:"predicted"`
	Isolated   float64 `json:"isolated"`
	Label      string  `json:"label"`
}

// rho returns the predicted convergence rate: the spectral radius, or the
// rate field when the radius is absent. ok is false when neither is a
// positive number.
func (t *theoryFile) rho() (rho float64, ok bool) {
	if t == nil {
		return 0, false
	}
	for _, p := range []*float64{t.SpectralRadius, t.Rate} {
		if p != nil && *p > 0 {
			return *p, true
		}
	}
	return 0, false
}

// readTheory reads theory.json; found is false when it is absent. A syntax or
// type error names the file and the line.
func readTheory(path string) (*theoryFile, bool, error) {
	t := new(theoryFile)
	found, err := runfolder.ReadJSON(path, t)
	if !found || err != nil {
		return nil, found, err
	}
	return t, true, nil
}
