package compare

import (
	"strings"
	"testing"

	"github.com/selfconsume/selfconsume/train/stats"
	"github.com/selfconsume/selfconsume/train/theory"
)

// The user's case: a cross-influence measured +0.014 with an interval
// holding 0 (here +- 0.0179 over 6 seeds, sd 0.0170) is not "sign agrees"
// but unresolved, and compare says how many seeds the observed spread
// needs: t(0.975, n-1) 0.0170/sqrt(n) < 0.014 first at n = 9 (2.306 x
// 0.0170/3 = 0.0131; n = 8: 2.365 x 0.0170/2.828 = 0.0142).
func TestUnresolvedSignSaysHowManySeeds(t *testing.T) {
	vals := []float64{0.014 - 0.025, 0.014 + 0.025, 0.014 - 0.01, 0.014 + 0.01, 0.014, 0.014}
	s := stats.Summarize(vals)
	r := &Result{Checks: []Check{
		{What: "cross-influence on q: sign", Kind: CheckSign, test: stats.Test{Kind: stats.Sign, S: s, Want: 1}, influence: -1},
		{What: "level", Kind: CheckLevel, test: stats.Test{Kind: stats.Agreement, S: stats.Summarize([]float64{0.1, -0.1, 0.05, -0.05, 0, 0.01})}, influence: -1},
	}}
	r.decide()
	c := r.Checks[0]
	if c.Verdict != stats.Unresolved || c.SeedsToResolve != 9 {
		t.Fatalf("sign check %s, seeds to resolve %d, want unresolved and 9; detail %s", c.Verdict, c.SeedsToResolve, c.Detail)
	}
	if !strings.Contains(c.Detail, "seeds give a 95% interval excluding 0") {
		t.Errorf("detail %q does not say how many seeds", c.Detail)
	}
	if r.Agreeing() != 1 || r.Unresolved() != 1 || r.Disagreeing() != 0 {
		t.Errorf("counts %d agree, %d unresolved, %d disagree", r.Agreeing(), r.Unresolved(), r.Disagreeing())
	}
	if got := r.Summary(); got != "1 of 2 checks agree, 1 unresolved, 0 disagree (Holm, family-wise 5%)" {
		t.Errorf("summary %q", got)
	}
	if l := measuredLabel(s, 0.1, false, 0.01); l != stats.Unresolved {
		t.Errorf("measured label %q, want unresolved", l)
	}
}

func TestMeasuredLabel(t *testing.T) {
	six := func(m, d float64) stats.Summary {
		return stats.Summarize([]float64{m - d, m + d, m - d, m + d, m, m})
	}
	for _, tc := range []struct {
		s    stats.Summary
		iso  float64
		self bool
		want string
	}{
		{six(-0.5, 0.05), 0.3, true, theory.LabelBackfire},
		{six(0.2, 0.05), 0.1, false, theory.LabelHelps},
		{six(0.002, 0.001), 0.1, false, theory.LabelNegligible}, // interval inside -/+ 0.01
		{six(0.01, 0.02), 0.1, false, stats.Unresolved},         // holds 0
		{six(0, 0), 0, false, theory.LabelNone},                 // nothing moved
		{stats.Summarize([]float64{0.5}), 0.1, false, stats.Unresolved},
	} {
		if got := measuredLabel(tc.s, tc.iso, tc.self, 0.01); got != tc.want {
			t.Errorf("measuredLabel(%.3g +- %.3g) = %q, want %q", tc.s.Mean, tc.s.Half(), got, tc.want)
		}
	}
}

// An influence whose sign is unresolved cannot confirm its prediction: the
// "measured = predicted" check that does not reject becomes unresolved too,
// while one whose sign is resolved keeps its agreement.
func TestInsideUnresolvedWithSign(t *testing.T) {
	wide := stats.Summarize([]float64{1.5, -1.2, 2.9, -0.8, 0.4, 1.4}) // holds 0
	narrow := stats.Summarize([]float64{-0.80, -0.78, -0.83, -0.79, -0.81, -0.82})
	diff := stats.Summarize([]float64{0.02, -0.01, 0.03, -0.02, 0.0, 0.01})
	r := &Result{Influence: make([]Influence, 2), Checks: []Check{
		{Kind: CheckSign, test: stats.Test{Kind: stats.Sign, S: wide, Want: 1}, influence: 0},
		{Kind: CheckInside, test: stats.Test{Kind: stats.Agreement, S: diff}, influence: 0},
		{Kind: CheckSign, test: stats.Test{Kind: stats.Sign, S: narrow, Want: -1}, influence: 1},
		{Kind: CheckInside, test: stats.Test{Kind: stats.Agreement, S: diff}, influence: 1},
	}}
	r.decide()
	want := []string{stats.Unresolved, stats.Unresolved, stats.Agree, stats.Agree}
	for i, c := range r.Checks {
		if c.Verdict != want[i] {
			t.Errorf("check %d (%s): %s, want %s; %s", i, c.Kind, c.Verdict, want[i], c.Detail)
		}
	}
	if r.Influence[0].Inside || !r.Influence[1].Inside {
		t.Errorf("inside flags %v %v, want false true", r.Influence[0].Inside, r.Influence[1].Inside)
	}
}
