package theory

import (
	"fmt"
	"math"
)

// Knob is a direction in the weight space of one model: moving by lambda
// adds lambda*Real to w_k^R, lambda*Raw[j] to w_kj^S and lambda*Curated[j] to
// w_kj^H of model Model. The components must sum to 0 so the weights stay
// normalised. Directions that move several models at once are sums of knobs,
// and influences (derivatives) add up linearly over them.
type Knob struct {
	Name    string
	Model   int
	Real    float64
	Raw     []float64
	Curated []float64
}

// CuratedShare is the default knob (the 2026 paper's experiments): model
// k's whole curated block is raised, keeping its split over sources (self
// and cross), by taking the same mass from its real share. A model with no
// curated data gets the self-curated direction.
func CuratedShare(s *System, k int) (Knob, error) {
	if k < 0 || k >= len(s.Models) {
		return Knob{}, fmt.Errorf("theory: knob model %d out of range [0, %d)", k, len(s.Models))
	}
	n := len(s.Models)
	m := s.Models[k]
	kn := Knob{Name: fmt.Sprintf("curated share of %s", m.Name), Model: k, Real: -1,
		Raw: make([]float64, n), Curated: make([]float64, n)}
	tot := 0.0
	for _, h := range m.Curated {
		tot += h
	}
	if tot == 0 {
		kn.Curated[k] = 1
		return kn, nil
	}
	for j, h := range m.Curated {
		kn.Curated[j] = h / tot
	}
	return kn, nil
}

// SelfCurated is the knob that raises model k's self-curated weight w_kk^H,
// taking the same mass from its real share.
func SelfCurated(s *System, k int) (Knob, error) {
	if k < 0 || k >= len(s.Models) {
		return Knob{}, fmt.Errorf("theory: knob model %d out of range [0, %d)", k, len(s.Models))
	}
	n := len(s.Models)
	kn := Knob{Name: fmt.Sprintf("self-curated share of %s", s.Models[k].Name), Model: k, Real: -1,
		Raw: make([]float64, n), Curated: make([]float64, n)}
	kn.Curated[k] = 1
	return kn, nil
}

// Validate checks that the knob fits the system and sums to zero.
func (kn Knob) Validate(s *System) error {
	n := len(s.Models)
	if kn.Model < 0 || kn.Model >= n {
		return fmt.Errorf("theory: knob %q: model %d out of range [0, %d)", kn.Name, kn.Model, n)
	}
	if len(kn.Raw) != n || len(kn.Curated) != n {
		return fmt.Errorf("theory: knob %q: %d raw and %d curated components, need %d", kn.Name, len(kn.Raw), len(kn.Curated), n)
	}
	sum, scale := kn.Real, math.Abs(kn.Real)
	for j := 0; j < n; j++ {
		sum += kn.Raw[j] + kn.Curated[j]
		scale += math.Abs(kn.Raw[j]) + math.Abs(kn.Curated[j])
	}
	if math.IsNaN(sum) || math.Abs(sum) > 1e-12*math.Max(scale, 1) {
		return fmt.Errorf("theory: knob %q components sum to %g; need 0", kn.Name, sum)
	}
	return nil
}

// Shift returns a copy of the system with model kn.Model's weights moved by
// lambda along the knob; an error if a weight would become negative.
func (s *System) Shift(kn Knob, lambda float64) (*System, error) {
	if err := kn.Validate(s); err != nil {
		return nil, err
	}
	out := *s
	out.Models = make([]Model, len(s.Models))
	for i, m := range s.Models {
		m.Raw = append([]float64(nil), m.Raw...)
		m.Curated = append([]float64(nil), m.Curated...)
		out.Models[i] = m
	}
	m := &out.Models[kn.Model]
	m.Real += lambda * kn.Real
	for j := range m.Raw {
		m.Raw[j] += lambda * kn.Raw[j]
		m.Curated[j] += lambda * kn.Curated[j]
	}
	if err := out.Validate(); err != nil {
		return nil, fmt.Errorf("theory: shifting %q by %g: %w", kn.Name, lambda, err)
	}
	return &out, nil
}
