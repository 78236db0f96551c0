package runfolder

import (
	"encoding/json"
	"math"
)

// Float is a number that encodes as null in JSON when it is NaN or
// infinite (JSON has no such numbers).
type Float float64

// MarshalJSON writes the number, or null.
func (f Float) MarshalJSON() ([]byte, error) {
	v := float64(f)
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return []byte("null"), nil
	}
	return json.Marshal(v)
}

// UnmarshalJSON reads a number, or null as NaN.
func (f *Float) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*f = Float(math.NaN())
		return nil
	}
	var v float64
	err := json.Unmarshal(b, &v)
	*f = Float(v)
	return err
}

// ReadTheory reads a theory.json; a missing file is an error.
func ReadTheory(path string) (Theory, error) {
	var ts Theory
	found, err := ReadJSON(path, &ts)
	return ts, Found(path, found, err)
}

// Theory is theory.json: the prediction's headline numbers, averaged
// over the seeds' predictions when there are several (each seed has its own
// learned curator and generation-0 tables).
//
// Two convergence numbers: GenerationsToTolMap follows the map itself from
// generation 0 and counts the generations until the distance to the fixed
// point (train/theory System.TV: the largest over models of the context-weighted TV) is
// at most tol times its generation-0 value; GenerationsToTol is
// log(tol)/log(spectral radius), the asymptotic estimate that ignores the
// transient. FixedPoint holds, per model, J at the fixed point only from
// the seeds where the model's component is attracting or neutral
// (FixedPointStability).
type Theory struct {
	Seeds                int                         `json:"seeds"`
	Curator              string                      `json:"curator"`
	SpectralRadius       Float                       `json:"spectral_radius"`
	Rate                 Float                       `json:"rate"`
	GenerationsToTol     Float                       `json:"generations_to_tol"`
	GenerationsToTolMap  Float                       `json:"generations_to_tol_map"`
	PredictedConvergence Float                       `json:"predicted_convergence_generation"`
	Tol                  Float                       `json:"tol"`
	Contraction          TheoryContraction           `json:"contraction"`
	FixedPoint           map[string]map[string]Float `json:"fixed_point"`
	FixedPointResidual   Float                       `json:"fixed_point_residual"`
	FixedPointFailures   int                         `json:"fixed_point_failures"`
	// FixedPointStability is per model "attracting", "neutral" or
	// "repelling" (train/theory Stable), with ", boundary" when the model lost
	// support (most common over seeds).
	FixedPointStability map[string]string `json:"fixed_point_stability"`
	// FixedPointEmptied is per model the real mass on the cells where the
	// model's fixed-point mass is below a millionth of the real table's.
	FixedPointEmptied map[string]Float  `json:"fixed_point_emptied"`
	Components        []TheoryComponent `json:"components"`
	// StationarySD is per model and reward/<population> the standard
	// deviation of the reward at the fixed point in the stationary regime of
	// the finite loop (train.Spread.StationarySD), mean over the seeds where the
	// model's fixed point is attracting.
	StationarySD map[string]map[string]Float `json:"stationary_sd,omitempty"`
	// SpreadError says why the prediction has no finite-sample spread
	// (planar data, an accumulating regime, refitted reward models, or a
	// system too large for the budget).
	SpreadError     string            `json:"spread_error,omitempty"`
	Influence       []TheoryInfluence `json:"influence,omitempty"`
	InfluenceErrors []string          `json:"influence_errors,omitempty"`
}

// TheoryContraction is the global contraction condition (see
// train/theory Contraction; worst case over seeds).
type TheoryContraction struct {
	Bound      Float  `json:"bound"`       // max_i (sum_j w_ij^S + sum_j w_ij^H L_pop(j)) with the proven L
	BoundLower Float  `json:"bound_lower"` // the same with probed lower bounds on L
	Holds      bool   `json:"holds"`
	Verdict    string `json:"verdict"`
}

// TheoryComponent is the convergence rate of one group of interacting
// models (mean over seeds).
type TheoryComponent struct {
	Models              []string `json:"models"`
	SpectralRadius      Float    `json:"spectral_radius"`
	GenerationsToTol    Float    `json:"generations_to_tol"`     // log(tol)/log(spectral radius)
	GenerationsToTolMap Float    `json:"generations_to_tol_map"` // along the map's trajectory
}

// TheoryInfluence is one entry of the influence of the knob on a model's
// alignment.
type TheoryInfluence struct {
	Knob             string `json:"knob"`
	Model            string `json:"model"`
	Population       string `json:"population"`
	Predicted        Float  `json:"predicted"`
	Isolated         Float  `json:"isolated"`
	FiniteDifference Float  `json:"finite_difference"`
	Label            string `json:"label"`
}
