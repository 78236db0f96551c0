package family

import (
	"strconv"

	"github.com/selfconsume/selfconsume/config"
	"github.com/selfconsume/selfconsume/data"
	"github.com/selfconsume/selfconsume/runfolder"
)

// WorldFiles are the world files of a run (both families): the real table,
// the context weights, every population's true reward and, when the curators
// are learned, their tables as fitted before generation 0 (curators nil: the
// true rewards curate). Every number is written with the shortest
// round-trip format, so LoadWorld reads back the very float64 values the
// run's own prediction was computed from. Planar runs add their theory grid
// and generation-0 grid tables (the planar family's summaries).
func WorldFiles(cfg config.Config, w *World, curators []*data.Table) map[string][]byte {
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

// StartTablesCSV is tables.csv's form of the generation-0 tables.
func StartTablesCSV(cfg config.Config, start []*data.Table) []byte {
	return runfolder.Fill(runfolder.TablesColumns, func(row func(...string)) {
		for i, tab := range start {
			name := cfg.Models[i].Name
			eachCell(tab, func(c, y int, v float64) { row("0", name, itoa(c), itoa(y), runfolder.FormatFloat(v)) })
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
