package train

import (
	"strconv"

	"github.com/selfconsume/selfconsume/config"
	"github.com/selfconsume/selfconsume/data"
)

// Kinds of rows in world_rewards.csv.
const (
	rewardKindTrue    = "true"    // a population's true reward
	rewardKindCurator = "curator" // its learned curator as fitted before generation 0
)

// The headers of the world files.
var (
	worldRealHeader    = []string{"context", "token", "prob"}
	worldContextHeader = []string{"context", "weight"}
	worldRewardsHeader = []string{"population", "kind", "context", "token", "value"}
	worldGridHeader    = []string{"token", "ix", "iy", "x", "y", "x_lo", "x_hi", "y_lo", "y_hi"}
	worldStartHeader   = []string{"generation", "model", "context", "token", "prob"} // as tables.csv
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
	out[WorldRealFile] = csvFill(worldRealHeader, func(row func(...string)) {
		eachCell(w.Real, func(c, y int, v float64) { row(itoa(c), itoa(y), fmtFloat(v)) })
	})
	out[WorldContextFile] = csvFill(worldContextHeader, func(row func(...string)) {
		for c, v := range w.Context {
			row(itoa(c), fmtFloat(v))
		}
	})
	out[WorldRewardsFile] = csvFill(worldRewardsHeader, func(row func(...string)) {
		for kind, tabs := range [][]*data.Table{w.Truth, curators} {
			k := []string{rewardKindTrue, rewardKindCurator}[kind]
			for a, tab := range tabs {
				name := cfg.Populations[a].Name
				eachCell(tab, func(c, y int, v float64) { row(name, k, itoa(c), itoa(y), fmtFloat(v)) })
			}
		}
	})
	return out
}

// startTablesCSV is tables.csv's form of the generation-0 tables.
func startTablesCSV(cfg config.Config, start []*data.Table) []byte {
	return csvFill(worldStartHeader, func(row func(...string)) {
		for i, tab := range start {
			name := cfg.Models[i].Name
			eachCell(tab, func(c, y int, v float64) { row("0", name, itoa(c), itoa(y), fmtFloat(v)) })
		}
	})
}

// gridCSV is world_grid.csv: every cell of the grid by its token index, its
// column ix and row iy, its centre and its edges.
func (g planeGrid) gridCSV() []byte {
	dx, dy := (g.hi[0]-g.lo[0])/float64(g.res), (g.hi[1]-g.lo[1])/float64(g.res)
	return csvFill(worldGridHeader, func(row func(...string)) {
		for k := 0; k < g.cells(); k++ {
			ix, iy := k%g.res, k/g.res
			row(itoa(k), itoa(ix), itoa(iy), fmtFloat(g.centres[2*k]), fmtFloat(g.centres[2*k+1]),
				fmtFloat(g.lo[0]+float64(ix)*dx), fmtFloat(g.lo[0]+float64(ix+1)*dx),
				fmtFloat(g.lo[1]+float64(iy)*dy), fmtFloat(g.lo[1]+float64(iy+1)*dy))
		}
	})
}

// eachCell calls f on every cell of a table.
func eachCell(t *data.Table, f func(c, y int, v float64)) {
	for k, v := range t.P {
		f(k/t.V, k%t.V, v)
	}
}

// csvFill is csvBytes with the records emitted by fill.
func csvFill(header []string, fill func(row func(...string))) []byte {
	var recs [][]string
	fill(func(rec ...string) { recs = append(recs, rec) })
	b, _ := csvBytes(header, recs) // writes to memory: no error
	return b
}

func itoa(i int) string { return strconv.Itoa(i) }
