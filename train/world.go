package train

import (
	"strconv"

	"github.com/selfconsume/selfconsume/config"
	"github.com/selfconsume/selfconsume/data"
	"github.com/selfconsume/selfconsume/runfolder"
)

// worldFiles are the world files of a run (both families): the real table,
// the context weights, every population's true reward and, when the curators
// are learned, their tables as fitted before generation 0 (curators nil: the
// true rewards curate). Every number is written with the shortest
// round-trip format, so LoadWorld reads back the very float64 values the
// run's own prediction was computed from. Planar runs add their theory grid
// and generation-0 grid tables (planar.summaries).
func worldFiles(cfg config.Config, w *World, curators []*data.Table) map[string][]byte {
	out := map[string][]byte{}
	out[runfolder.WorldRealFile] = runfolder.Fill(runfolder.WorldRealColumns, func(row func(...string)) {
		eachCell(w.Real, func(c, y int, v float64) { row(itoa(c), itoa(y), runfolder.FormatFloat(v)) })
	})
	out[runfolder.WorldContextFile] = runfolder.Fill(runfolder.WorldContextColumns, func(row func(...string)) {
		for c, v := range w.Context {
			row(itoa(c), runfolder.FormatFloat(v))
		}
	})
	out[runfolder.WorldRewardsFile] = runfolder.Fill(runfolder.WorldRewardsColumns, func(row func(...string)) {
		for kind, tabs := range [][]*data.Table{w.Truth, curators} {
			k := []string{runfolder.RewardKindTrue, runfolder.RewardKindCurator}[kind]
			for a, tab := range tabs {
				name := cfg.Populations[a].Name
				eachCell(tab, func(c, y int, v float64) { row(name, k, itoa(c), itoa(y), runfolder.FormatFloat(v)) })
			}
		}
	})
	return out
}

// startTablesCSV is tables.csv's form of the generation-0 tables.
func startTablesCSV(cfg config.Config, start []*data.Table) []byte {
	return runfolder.Fill(runfolder.TablesColumns, func(row func(...string)) {
		for i, tab := range start {
			name := cfg.Models[i].Name
			eachCell(tab, func(c, y int, v float64) { row("0", name, itoa(c), itoa(y), runfolder.FormatFloat(v)) })
		}
	})
}

// gridCSV is world_grid.csv: every cell of the grid by its token index, its
// column ix and row iy, its centre and its edges.
func (g planeGrid) gridCSV() []byte {
	dx, dy := (g.hi[0]-g.lo[0])/float64(g.res), (g.hi[1]-g.lo[1])/float64(g.res)
	return runfolder.Fill(runfolder.WorldGridColumns, func(row func(...string)) {
		for k := 0; k < g.cells(); k++ {
			ix, iy := k%g.res, k/g.res
			row(itoa(k), itoa(ix), itoa(iy), runfolder.FormatFloat(g.centres[2*k]), runfolder.FormatFloat(g.centres[2*k+1]),
				runfolder.FormatFloat(g.lo[0]+float64(ix)*dx), runfolder.FormatFloat(g.lo[0]+float64(ix+1)*dx),
				runfolder.FormatFloat(g.lo[1]+float64(iy)*dy), runfolder.FormatFloat(g.lo[1]+float64(iy+1)*dy))
		}
	})
}

// eachCell calls f on every cell of a table.
func eachCell(t *data.Table, f func(c, y int, v float64)) {
	for k, v := range t.P {
		f(k/t.V, k%t.V, v)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }
