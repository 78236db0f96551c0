package report

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/selfconsume/selfconsume/runfolder"
	"github.com/selfconsume/selfconsume/train/sweep"
)

// writeSweep is Write for a sweep folder.
func writeSweep(ctx context.Context, dir string) (Summary, error) {
	s, err := loadSweep(dir)
	if err != nil {
		return Summary{}, fmt.Errorf("report: %w", err)
	}
	if err := os.MkdirAll(filepath.Join(dir, runfolder.PlotsDir), 0o755); err != nil {
		return Summary{}, fmt.Errorf("report: %w", err)
	}
	sum := Summary{Report: filepath.Join(dir, runfolder.ReportFile)}
	plans, skipped := s.sweepPlans()
	sum.Skipped = append(sum.Skipped, skipped...)
	written, err := renderAll(ctx, dir, plans, make(map[string]bool), &sum)
	if err != nil {
		return sum, err
	}
	if err := writeFileAtomic(sum.Report, []byte(s.markdown(written, sum))); err != nil {
		return sum, fmt.Errorf("report: %w", err)
	}
	return sum, nil
}

// foldRows is the number of rows of the final-values table from which it
// is folded away.
const foldRows = 40

// markdown renders the sweep's report.md: the grid and the cells, the final
// values per grid point, the figures written (and only those), the figures
// skipped and the files read.
func (s *sweepRun) markdown(figs []figurePlan, sum Summary) string {
	var b strings.Builder
	name := filepath.Base(filepath.Clean(s.dir))
	fmt.Fprintf(&b, "# Sweep report: %s\n\n", name)
	fmt.Fprintf(&b, "Written by `selfconsume report` from this sweep folder's `%s` (`selfconsume sweep collect`). ", runfolder.SummaryCSV)
	b.WriteString("Every number is the mean over a grid point's finished seeds with its 95% Student-t interval (±t(0.975, n−1) standard errors over its n seeds), ")
	fmt.Fprintf(&b, "at %s. Each cell is an ordinary run folder in `%s/` (`selfconsume report %s/NAME` draws its curves).\n\n", s.genPhrase(), runfolder.CellsDir, runfolder.CellsDir)

	s.gridSection(&b)
	s.finalValuesSection(&b)

	figuresSection(&b, figs, sum, "PNG at 150 dpi, 6 in (15.2 cm, 900 px) wide (9 in with two columns of panels): one panel is 6 × 4 in, stacked panels 3 in high each. "+
		"Each model keeps one colour in every figure, as in the cells' own reports.")
	b.WriteString("## Files read\n\n")
	state := func(ok bool) string {
		if ok {
			return "read"
		}
		return "absent"
	}
	rows := [][]string{
		{"`" + runfolder.SpecFile + "`", state(s.found[runfolder.SpecFile])},
		{"`" + runfolder.SummaryCSV + "`", state(s.found[runfolder.SummaryCSV])},
	}
	switch {
	case s.status != nil:
		rows = append(rows, []string{"`" + runfolder.CellsDir + "/*/" + runfolder.DoneFile + "`, `" + runfolder.FailedFile + "`", "read (cell markers)"})
	case s.statusErr != nil:
		rows = append(rows, []string{"`" + runfolder.CellsDir + "/*/" + runfolder.DoneFile + "`, `" + runfolder.FailedFile + "`", "not read: " + s.statusErr.Error()})
	}
	if s.cfgFile != "" {
		shown := s.cfgFile
		if rel, err := filepath.Rel(s.dir, s.cfgFile); err == nil && !strings.HasPrefix(rel, "..") {
			shown = filepath.ToSlash(rel)
		}
		rows = append(rows, []string{"`" + shown + "`", "read (model order and colours)"})
	}
	mdTable(&b, []string{"file", "state"}, rows)
	return b.String()
}

// gridSection writes the swept keys and their values, the sweep's settings
// and the cell counts.
func (s *sweepRun) gridSection(b *strings.Builder) {
	b.WriteString("## Grid\n\n")
	if len(s.keys) == 0 {
		b.WriteString("_No swept key: every cell differs only by its seed._\n\n")
	} else {
		var rows [][]string
		for _, k := range s.keys {
			rows = append(rows, []string{"`" + k.name + "`", strings.Join(k.values, ", "), k.axis()})
		}
		mdTable(b, []string{"swept key", "values", "x axis"}, rows)
	}
	if s.spec != nil {
		mode := s.spec.Mode
		if mode == "" {
			mode = sweep.ModeProduct
		}
		seeds := max(s.spec.Seeds, 1)
		fmt.Fprintf(b, "Grid mode %s: %s × %s", mode, plural(s.gridPoints(), "grid point"), plural(seeds, "seed"))
		if s.spec.BaseSeed != nil {
			fmt.Fprintf(b, " (seed = %d + s)", *s.spec.BaseSeed)
		}
		b.WriteString(". ")
		fmt.Fprintf(b, "Base config: `%s`", s.spec.Base)
		if len(s.spec.Sets) > 0 {
			quoted := make([]string, len(s.spec.Sets))
			for i, v := range s.spec.Sets {
				quoted[i] = "`" + v + "`"
			}
			fmt.Fprintf(b, ", with %s in every cell", strings.Join(quoted, ", "))
		}
		b.WriteString(".\n\n")
	} else {
		fmt.Fprintf(b, "_No `%s` in the folder: the swept keys are the columns of `%s`._\n\n", runfolder.SpecFile, runfolder.SummaryCSV)
	}
	switch {
	case s.status != nil:
		st := s.status
		fmt.Fprintf(b, "**Cells: %d: %d done, %d failed, %d pending.**", st.Cells, st.Done, len(st.Failures), st.Pending)
		if st.Done < st.Cells {
			b.WriteString(" Only the done cells are in the numbers below.")
		}
		b.WriteString("\n\n")
		if len(st.Failures) > 0 {
			b.WriteString("<details>\n<summary>Failed cells</summary>\n\n")
			for _, f := range st.Failures {
				fmt.Fprintf(b, "- `%s`: %s\n", f.Name, mdCell(oneLine(f.Message, 300)))
			}
			b.WriteString("\n</details>\n\n")
		}
	case s.statusErr != nil:
		fmt.Fprintf(b, "_The cells' markers could not be read: %s._\n\n", mdCell(oneLine(s.statusErr.Error(), 300)))
	}
	if want := s.gridPoints(); want > 0 && len(s.points) < want {
		fmt.Fprintf(b, "%d of %d grid points have no finished cell and are missing from `%s`.\n\n", want-len(s.points), want, runfolder.SummaryCSV)
	}
}

// plural writes a count and a noun, with an s unless the count is 1.
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// oneLine joins a message's lines and cuts it to at most n runes.
func oneLine(msg string, n int) string {
	msg = strings.Join(strings.Fields(msg), " ")
	if r := []rune(msg); len(r) > n {
		msg = string(r[:n-1]) + "…"
	}
	return msg
}

// finalValuesSection writes the table of the key metrics' final values:
// one row per grid point and model.
func (s *sweepRun) finalValuesSection(b *strings.Builder) {
	fmt.Fprintf(b, "## Final values (%s)\n\n", s.genPhrase())
	if len(s.points) == 0 {
		fmt.Fprintf(b, "_`%s` has no rows: no cell has finished._\n\n", runfolder.SummaryCSV)
		return
	}
	if len(s.metrics) == 0 {
		fmt.Fprintf(b, "_`%s` has none of the key metrics (reward/<population>, kl_real, entropy, zero_mass)._\n\n", runfolder.SummaryCSV)
		return
	}
	gens := s.finalGens()
	var header []string
	for _, k := range s.keys {
		header = append(header, "`"+k.name+"`")
	}
	header = append(header, "model", "seeds")
	if len(gens) > 1 {
		header = append(header, "generation")
	}
	for _, m := range s.metrics {
		header = append(header, "`"+m+"`")
	}
	var rows [][]string
	for _, p := range s.points {
		for _, m := range s.models {
			seeds, gen, has := 0, -1, false
			for _, metric := range s.metrics {
				if f, ok := p.finals[seriesKey{m, metric}]; ok {
					seeds, gen, has = max(seeds, f.n), max(gen, f.gen), true
				}
			}
			if !has {
				continue
			}
			row := append([]string{}, p.vals...)
			row = append(row, m, strconv.Itoa(seeds))
			if len(gens) > 1 {
				row = append(row, strconv.Itoa(gen))
			}
			for _, metric := range s.metrics {
				f, ok := p.finals[seriesKey{m, metric}]
				if !ok {
					row = append(row, "")
					continue
				}
				cell := fmtMeanCI(f.mean, f.half())
				if f.n != seeds {
					cell += fmt.Sprintf(" (n = %d)", f.n)
				}
				row = append(row, cell)
			}
			rows = append(rows, row)
		}
	}
	b.WriteString("Mean ± half-width of the 95% interval over the seeds (no interval with one seed); ")
	b.WriteString("(n = …) where fewer seeds than the row's gave a finite value; — where there is none.\n\n")
	if len(rows) > foldRows {
		fmt.Fprintf(b, "<details>\n<summary>%d rows</summary>\n\n", len(rows))
		mdTable(b, header, rows)
		b.WriteString("</details>\n\n")
		return
	}
	mdTable(b, header, rows)
}
