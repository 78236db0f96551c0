package report

import (
	"slices"

	"github.com/selfconsume/selfconsume/runfolder"
)

// probTable is one model's conditional table p(token|context) at one
// generation, as read from tables.csv.
type probTable struct {
	p map[[2]string]float64 // (context, token) -> probability
}

// tableSet holds the tables of tables.csv or prediction_tables.csv by model
// and generation.
type tableSet struct {
	tabs   map[string]map[int]*probTable
	models names
}

// readTables reads a generation,model,context,token,prob file; found is false
// when it is absent.
func readTables(path string) (*tableSet, bool, error) {
	ts := &tableSet{tabs: make(map[string]map[int]*probTable)}
	found, err := runfolder.Read(path, runfolder.TablesColumns, func(r runfolder.Record) error {
		g, m, err := r.GenModel()
		if err != nil {
			return err
		}
		c, err := r.NonEmpty("context")
		if err != nil {
			return err
		}
		y, err := r.NonEmpty("token")
		if err != nil {
			return err
		}
		p, err := r.Float("prob")
		if err != nil {
			return err
		}
		byGen := ts.tabs[m]
		if byGen == nil {
			byGen = make(map[int]*probTable)
			ts.tabs[m] = byGen
			ts.models.add(m)
		}
		t := byGen[g]
		if t == nil {
			t = &probTable{p: make(map[[2]string]float64)}
			byGen[g] = t
		}
		t.p[[2]string{c, y}] = p
		return nil
	})
	if !found || err != nil {
		return nil, found, err
	}
	return ts, true, nil
}

// gens returns the sorted generations of a model's tables.
func (ts *tableSet) gens(model string) []int {
	if ts == nil {
		return nil
	}
	var gs []int
	for g := range ts.tabs[model] {
		gs = append(gs, g)
	}
	slices.Sort(gs)
	return gs
}

// get returns a model's table at a generation, or nil.
func (ts *tableSet) get(model string, gen int) *probTable {
	if ts == nil {
		return nil
	}
	return ts.tabs[model][gen]
}

// tableAxes returns the contexts and tokens of the given tables, in natural order.
func tableAxes(tabs ...*probTable) (contexts, tokens []string) {
	var cs, ys names
	for _, t := range tabs {
		if t == nil {
			continue
		}
		for k := range t.p {
			cs.add(k[0])
			ys.add(k[1])
		}
	}
	sortNatural(cs.list)
	sortNatural(ys.list)
	return cs.list, ys.list
}
