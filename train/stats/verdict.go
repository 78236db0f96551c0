package stats

import "math"

// The verdicts of a check.
const (
	Agree      = "agree"
	Disagree   = "disagree"
	Unresolved = "unresolved" // the data cannot tell (a sign whose interval holds 0, or fewer than two seeds)
)

// The kinds of test a check is.
const (
	// Agreement: H0 "the theory is right", mean = Null (a level check on
	// paired differences measured - predicted with Null 0, or a measured
	// influence against its prediction). Rejecting H0 is a disagreement;
	// not rejecting it is agreement.
	Agreement = iota
	// Sign: H0 mean = 0 against the predicted sign Want (+1 or -1).
	// Rejecting H0 resolves the sign: agreement when the mean has sign
	// Want, disagreement otherwise. Not rejecting it leaves the check
	// unresolved.
	Sign
	// Variance: H0 the values' variance is Null (chi-square, see
	// Summary.VarianceP). Rejecting H0 is a disagreement.
	Variance
)

// Test is one check's data: per-seed values summarised, and what they are
// held against.
type Test struct {
	Kind int
	S    Summary
	Null float64 // Agreement: the mean under H0; Variance: the variance under H0
	Want int     // Sign: the predicted sign, +1 or -1
}

// Decision is a test's outcome within its family.
type Decision struct {
	P       float64 // two-sided t-test p-value, unadjusted (NaN: fewer than two seeds)
	PHolm   float64 // Holm-adjusted over the family
	Verdict string
}

// Decide runs every test of a family (all checks of one comparison) and
// decides each at family-wise level alpha with Holm's step-down procedure:
// a test rejects H0 when its Holm-adjusted p-value is <= alpha. So when the
// theory is right (every Agreement H0 true, every Sign's true mean of the
// predicted sign or 0) the chance that any check of the family disagrees is
// at most alpha; a Sign check can only disagree by rejecting in the wrong
// direction, which Holm's procedure also bounds (Shaffer 1980, for
// independent tests). A test with fewer than two values is unresolved. A
// test whose values do not vary at all (standard error 0, e.g. a model the
// knob cannot reach: every seed measures exactly 0) is no random test: it
// is decided exactly (p 1 or 0) and not counted in Holm's number of tests.
func Decide(tests []Test, alpha float64) []Decision {
	ps := make([]float64, len(tests))
	random := make([]float64, len(tests))
	for i, t := range tests {
		switch t.Kind {
		case Sign:
			ps[i] = t.S.P(0)
		case Variance:
			ps[i] = t.S.VarianceP(t.Null)
		default:
			ps[i] = t.S.P(t.Null)
		}
		random[i] = ps[i]
		if t.S.SE == 0 {
			random[i] = math.NaN()
		}
	}
	adj := Holm(random)
	for i, t := range tests {
		if t.S.SE == 0 {
			adj[i] = ps[i]
		}
	}
	out := make([]Decision, len(tests))
	for i, t := range tests {
		d := Decision{P: ps[i], PHolm: adj[i]}
		reject := adj[i] <= alpha
		switch {
		case math.IsNaN(ps[i]):
			d.Verdict = Unresolved
		case t.Kind == Sign && !reject:
			d.Verdict = Unresolved
		case t.Kind == Sign && (t.S.Mean > 0) == (t.Want > 0):
			d.Verdict = Agree
		case t.Kind == Sign, reject:
			d.Verdict = Disagree
		default:
			d.Verdict = Agree
		}
		out[i] = d
	}
	return out
}
