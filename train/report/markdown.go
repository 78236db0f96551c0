package report

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/selfconsume/selfconsume/runfolder"
	"github.com/selfconsume/selfconsume/train/stats"
)

// markdown renders report.md: the config in brief, the final numbers, the
// figures written (and only those), the figures skipped and the files read.
func (r *run) markdown(figs []figurePlan, sum Summary) string {
	var b strings.Builder
	name := filepath.Base(filepath.Clean(r.dir))
	fmt.Fprintf(&b, "# Run report: %s\n\n", name)
	b.WriteString("Written by `selfconsume report` from the files of this run folder. ")
	switch {
	case r.seeds > 1:
		fmt.Fprintf(&b, "Measured numbers are means over %d seeds (`%s/seed-N/%s`) with 95%% Student-t intervals (±%.3f standard errors: t(0.975, %d)).\n\n", r.seeds, runfolder.SeedsDir, runfolder.MetricsFile, stats.T95(r.seeds), r.seeds-1)
	case r.seeds == 1:
		fmt.Fprintf(&b, "Measured numbers come from one seed (`%s/seed-N/%s`).\n\n", runfolder.SeedsDir, runfolder.MetricsFile)
	case r.found[runfolder.MetricsFile]:
		fmt.Fprintf(&b, "Measured numbers come from `%s` (one run).\n\n", runfolder.MetricsFile)
	default:
		b.WriteString("Nothing was measured in this folder: only the prediction is shown.\n\n")
	}

	r.configSection(&b)
	r.finalSection(&b)

	figuresSection(&b, figs, sum, "PNG at 150 dpi, 6 in (15.2 cm, 900 px) wide: single panels are 6 × 4 in, stacked panels 3 in high each, grids of four 6 × 6 in. "+
		"Each model keeps one colour in every figure; solid lines are measured, dashed lines the theory's prediction.")
	b.WriteString("## Files read\n\n")
	var rows [][]string
	for _, f := range []string{runfolder.ConfigFile, runfolder.MetricsFile, runfolder.SeedsDir, runfolder.PredictionFile, runfolder.TheoryFile, runfolder.ComparisonFile, runfolder.InfluenceFile,
		runfolder.TablesFile, runfolder.PredictionTablesFile, runfolder.SamplesFile, runfolder.DensityFile, runfolder.ModesFile, runfolder.RewardGridFile, runfolder.RewardModelsFile} {
		state := "absent"
		if r.found[f] {
			state = "read"
			if f == runfolder.SeedsDir {
				state = fmt.Sprintf("read (%d seeds)", r.seeds)
			}
		}
		shown := f
		if f == runfolder.SeedsDir {
			shown += "/"
		}
		rows = append(rows, []string{"`" + shown + "`", state})
	}
	mdTable(&b, []string{"file", "state"}, rows)
	return b.String()
}

// configSection writes the config in brief, and the full YAML folded away.
func (r *run) configSection(b *strings.Builder) {
	b.WriteString("## Config in brief\n\n")
	if r.cfg == nil {
		fmt.Fprintf(b, "_`%s` is not in the run folder._\n\n", runfolder.ConfigFile)
		return
	}
	if len(r.cfg.settings) > 0 {
		var rows [][]string
		for _, kv := range r.cfg.settings {
			rows = append(rows, []string{kv[0], kv[1]})
		}
		mdTable(b, []string{"setting", "value"}, rows)
	}
	if len(r.cfg.models) > 0 {
		var rows [][]string
		for _, m := range r.cfg.models {
			rows = append(rows, []string{m.name, m.population, m.n, m.mix})
		}
		mdTable(b, []string{"model", "curated by", "n", "training mix"}, rows)
	}
	if len(r.cfg.populations) > 0 {
		fmt.Fprintf(b, "Populations: %s.\n\n", strings.Join(r.cfg.populations, ", "))
	}
	if len(r.cfg.ignored) > 0 {
		fmt.Fprintf(b, "Not read by this version (left out of the brief): %s.\n\n", strings.Join(r.cfg.ignored, "; "))
	}
	fence := "```"
	for strings.Contains(string(r.cfg.raw), fence) {
		fence += "`"
	}
	fmt.Fprintf(b, "<details>\n<summary>Full %s</summary>\n\n%syaml\n%s\n%s\n\n</details>\n\n",
		runfolder.ConfigFile, fence, strings.TrimRight(string(r.cfg.raw), "\n"), fence)
}

// finalSection writes the table of final numbers.
func (r *run) finalSection(b *strings.Builder) {
	gen, ok := r.lastGen()
	if !ok {
		b.WriteString("## Final numbers\n\n_No metrics or prediction to summarise._\n\n")
	} else {
		fmt.Fprintf(b, "## Final numbers (generation %d)\n\n", gen)
		b.WriteString("### Expected true reward J (rows: models; columns: whose reward)\n\n")
		r.jMatrix(b, gen)
		if r.distanceTable(&strings.Builder{}, gen) {
			b.WriteString("### Distance to the real data and diversity\n\n")
			r.distanceTable(b, gen)
		}
		b.WriteString("### Convergence\n\n")
		r.convergenceTable(b)
	}
	if len(r.influence) > 0 {
		b.WriteString("### Influence verdicts\n\n")
		r.influenceTable(b)
	}
	if len(r.rewardModels) > 0 {
		fmt.Fprintf(b, "### Learned reward models (`%s`)\n\n", runfolder.RewardModelsFile)
		r.rewardModelTable(b)
	}
	if len(r.comparison) > 0 {
		var t strings.Builder
		if g, ok := r.comparisonTable(&t); ok {
			fmt.Fprintf(b, "<details>\n<summary>Measured vs predicted at generation %d (<code>%s</code>)</summary>\n\n%s</details>\n\n", g, runfolder.ComparisonFile, t.String())
		}
	}
}

// figuresSection writes the figures with their captions, after an intro
// line on their sizes, and the figures that could not be drawn.
func figuresSection(b *strings.Builder, figs []figurePlan, sum Summary, intro string) {
	b.WriteString("## Figures\n\n")
	if len(figs) == 0 {
		b.WriteString("_No figure could be drawn from this folder's files._\n\n")
	} else {
		b.WriteString(intro + "\n\n")
	}
	section := ""
	for i, f := range figs {
		if f.section != section {
			section = f.section
			fmt.Fprintf(b, "### %s\n\n", section)
		}
		fmt.Fprintf(b, "![%s](%s)\n\n", strings.ReplaceAll(f.title, "]", ")"), sum.Figures[i].File)
		fmt.Fprintf(b, "%s\n\n", f.caption)
	}
	if len(sum.Skipped) > 0 {
		b.WriteString("## Figures not drawn\n\n")
		for _, s := range sum.Skipped {
			fmt.Fprintf(b, "- **%s**: %s.\n", s.Figure, strings.TrimSuffix(s.Reason, "."))
		}
		b.WriteString("\n")
	}
}
