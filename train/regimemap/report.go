package regimemap

import (
	"fmt"
	"github.com/selfconsume/selfconsume/runfolder"
	"math"
	"path/filepath"
	"strings"

	"github.com/selfconsume/selfconsume/train/report"
)

// Plot lays the map out for the figures: one panel per model (its aligned
// rows), grids indexed [y][x].
func (m *Map) Plot() report.MapPlot {
	nx, ny := len(m.Spec.X.Values), len(m.Spec.Y.Values)
	mp := report.MapPlot{XLabel: m.Spec.X.Label(), YLabel: m.Spec.Y.Label(), X: m.Spec.X.Values, Y: m.Spec.Y.Values}
	at := map[string]int{}
	for _, r := range m.Rows {
		if !r.Aligned {
			continue
		}
		k, ok := at[r.Model]
		if !ok {
			k = len(mp.Panels)
			at[r.Model] = k
			influence := "cross-influence"
			if r.Role == RoleSelf {
				influence = "self-influence"
			}
			pn := report.MapPanel{Title: fmt.Sprintf("%s: %s on %s", r.Model, influence, r.Population)}
			for range ny {
				pn.Label = append(pn.Label, make([]string, nx))
				pn.Total = append(pn.Total, nanRow(nx))
				pn.Isolated = append(pn.Isolated, nanRow(nx))
				pn.Inversion = append(pn.Inversion, make([]bool, nx))
			}
			mp.Panels = append(mp.Panels, pn)
		}
		pn := &mp.Panels[k]
		pn.Label[r.IY][r.IX], pn.Total[r.IY][r.IX], pn.Isolated[r.IY][r.IX] = r.Label, r.Total, r.Isolated
		pn.Inversion[r.IY][r.IX] = r.Inversion
	}
	for _, s := range m.Spots {
		mp.Spots = append(mp.Spots, report.MapSpot{X: s.IX, Y: s.IY, Verdict: s.Verdict})
	}
	return mp
}

func nanRow(n int) []float64 {
	r := make([]float64, n)
	for i := range r {
		r[i] = math.NaN()
	}
	return r
}

// WriteReport draws the figures and writes report.md; it returns the
// report's path.
func (m *Map) WriteReport() (string, []report.Figure, error) {
	figs, err := report.WriteMap(m.Dir, m.Plot())
	if err != nil {
		return "", nil, err
	}
	path := filepath.Join(m.Dir, runfolder.ReportFile)
	return path, figs, runfolder.WriteFileAtomic(path, []byte(m.markdown(figs)))
}

// Summary is the map's findings in lines of text: per model its label
// regions and its feedback-inversion cells, then the spot checks.
func (m *Map) Summary() []string {
	var out []string
	n := len(m.Spec.Cells())
	for _, g := range m.Regions {
		var parts []string
		for _, l := range g.LabelNames() {
			name := l
			if name == "" {
				name = "no influence"
			}
			parts = append(parts, fmt.Sprintf("%s %d (%s)", name, len(g.Labels[l]), Span(g.Labels[l])))
		}
		out = append(out, fmt.Sprintf("%s (%s-influence on %s): %s", g.Model, g.Role, g.Population, strings.Join(parts, "; ")))
		if len(g.Inversion) == 0 {
			out = append(out, fmt.Sprintf("  feedback inverts the isolated effect in none of the %d cells", n))
		} else {
			out = append(out, fmt.Sprintf("  feedback inverts the isolated effect in %d of %d cells (%s); %d of them to a harm (%s)",
				len(g.Inversion), n, Span(g.Inversion), len(g.ToHarm), Span(g.ToHarm)))
		}
	}
	for _, s := range m.Spots {
		line := fmt.Sprintf("spot %s (x %.4g, y %.4g), %d seeds: %s", s.Name(), s.X, s.Y, s.Seeds, s.Verdict)
		if s.Verdict == VerdictError || s.Verdict == VerdictPending {
			line += ": " + s.Note
		} else {
			line += fmt.Sprintf(" (fixed point and influence checks: %d agree, %d unresolved, %d disagree; noise-floor and spread checks: %d, %d, %d); %s's self-influence predicted %+.4f (%s), measured %+.4f +- %.4f (%s)",
				s.Agree, s.Unresolved, s.Disagree, s.Other[0], s.Other[1], s.Other[2], m.Spec.Knob, s.Predicted, s.PredictedLabel, s.Measured, s.Half, s.MeasuredLabel)
		}
		out = append(out, line)
	}
	return out
}

func (m *Map) markdown(figs []report.Figure) string {
	var b strings.Builder
	s := m.Spec
	fmt.Fprintf(&b, "# Regime map: %s\n\n", s.Name)
	fmt.Fprintf(&b, "Base config `%s` (%s); knob: the curated share of model %s; curator in the analytic map: %s.\n\n", s.Base, m.Config.Name, s.Knob, s.Curator)
	fmt.Fprintf(&b, "- x: %s (`%s`), %d values from %.4g to %.4g\n", s.X.Label(), s.X.Column(), len(s.X.Values), s.X.Values[0], s.X.Values[len(s.X.Values)-1])
	fmt.Fprintf(&b, "- y: %s (`%s`), %d values from %.4g to %.4g\n\n", s.Y.Label(), s.Y.Column(), len(s.Y.Values), s.Y.Values[0], s.Y.Values[len(s.Y.Values)-1])
	b.WriteString("Every cell is the analytic map of the base config at that mixture, from the base seed's generation-0 fits " +
		"(the mixture renormalisation rules are in `selfconsume map --help`). `map.csv` has one row per cell, model and population: " +
		"the fixed point's expected reward, the stability and spectral radius, and the total and isolated (no feedback) " +
		"influence of the knob; the model's own population's row carries the label.\n\n")
	b.WriteString("## What the map shows\n\n")
	for _, l := range m.Summary() {
		if strings.HasPrefix(l, "  ") {
			fmt.Fprintf(&b, "  - %s\n", strings.TrimSpace(l))
		} else {
			fmt.Fprintf(&b, "- %s\n", l)
		}
	}
	b.WriteString("\n## Figures\n\n")
	for _, f := range figs {
		fmt.Fprintf(&b, "### %s\n\n![%s](%s)\n\n", f.Title, f.Title, f.File)
	}
	b.WriteString("Cells outlined in black: feedback inverts the isolated effect's sign. Spot checks: ring = agree, " +
		"cross = disagree, triangle = unresolved, plus = submitted to Slurm and not finished, square = the comparison failed (see spots.csv). " +
		"A spot's predicted influence is the mean of its seeds' own predictions (each from that seed's generation-0 fits), " +
		"so it differs a little from the map's cell, which is computed from the base seed's.\n")
	return b.String()
}
