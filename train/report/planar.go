package report

import (
	"math"
	"slices"

	"github.com/selfconsume/selfconsume/runfolder"
)

// planar holds the 2-D files of a run: samples.csv, density.csv, modes.csv
// and reward_grid.csv. Any of them may be absent (nil maps).
type planar struct {
	samples map[string]map[int][][2]float64 // model -> generation -> points
	density map[string]map[int]*grid        // model -> generation -> density
	modes   []mode
	reward  map[string]*grid // population -> reward field
	pops    names            // populations of reward_grid.csv
	models  names            // models with samples or densities
}

// mode is one real mode of a 2-D mixture.
type mode struct {
	name string
	x, y float64
}

// gens returns the sorted generations with samples or a density for model.
func (p *planar) gens(model string) []int {
	var gs []int
	for g := range p.samples[model] {
		gs = append(gs, g)
	}
	for g := range p.density[model] {
		if !slices.Contains(gs, g) {
			gs = append(gs, g)
		}
	}
	slices.Sort(gs)
	return gs
}

// readPlanar reads the 2-D files under the given paths; found lists which of
// them exist.
func readPlanar(samples, density, modes, reward string) (p *planar, found map[string]bool, err error) {
	p = &planar{}
	found = make(map[string]bool)

	ok, err := runfolder.Read(samples, runfolder.SamplesColumns, func(r runfolder.Record) error {
		g, m, x, y, err := genModelXY(r)
		if err != nil {
			return err
		}
		if p.samples == nil {
			p.samples = make(map[string]map[int][][2]float64)
		}
		if p.samples[m] == nil {
			p.samples[m] = make(map[int][][2]float64)
		}
		if !math.IsNaN(x) && !math.IsInf(x, 0) && !math.IsNaN(y) && !math.IsInf(y, 0) {
			p.samples[m][g] = append(p.samples[m][g], [2]float64{x, y})
		}
		p.models.add(m)
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	found[samples] = ok

	builders := make(map[string]map[int]*gridBuilder)
	ok, err = runfolder.Read(density, runfolder.DensityColumns, func(r runfolder.Record) error {
		g, m, x, y, err := genModelXY(r)
		if err != nil {
			return err
		}
		d, err := r.Float("density")
		if err != nil {
			return err
		}
		if builders[m] == nil {
			builders[m] = make(map[int]*gridBuilder)
		}
		if builders[m][g] == nil {
			builders[m][g] = new(gridBuilder)
		}
		builders[m][g].add(x, y, d)
		p.models.add(m)
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	found[density] = ok
	for m, byGen := range builders {
		for g, b := range byGen {
			if gr := b.build(); gr != nil {
				if p.density == nil {
					p.density = make(map[string]map[int]*grid)
				}
				if p.density[m] == nil {
					p.density[m] = make(map[int]*grid)
				}
				p.density[m][g] = gr
			}
		}
	}

	ok, err = runfolder.Read(modes, runfolder.ModesColumns, func(r runfolder.Record) error {
		v, err := r.Floats("x", "y")
		if err != nil {
			return err
		}
		p.modes = append(p.modes, mode{name: r.Str("mode"), x: v[0], y: v[1]})
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	found[modes] = ok

	rb := make(map[string]*gridBuilder)
	ok, err = runfolder.Read(reward, runfolder.RewardGridColumns, func(r runfolder.Record) error {
		pop, err := r.NonEmpty("population")
		if err != nil {
			return err
		}
		v, err := r.Floats("x", "y", "reward")
		if err != nil {
			return err
		}
		if rb[pop] == nil {
			rb[pop] = new(gridBuilder)
			p.pops.add(pop)
		}
		rb[pop].add(v[0], v[1], v[2])
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	found[reward] = ok
	for pop, b := range rb {
		if gr := b.build(); gr != nil {
			if p.reward == nil {
				p.reward = make(map[string]*grid)
			}
			p.reward[pop] = gr
		}
	}
	return p, found, nil
}

// genModelXY parses the generation, model, x and y columns.
func genModelXY(r runfolder.Record) (g int, m string, x, y float64, err error) {
	if g, m, err = r.GenModel(); err != nil {
		return
	}
	v, err := r.Floats("x", "y")
	if err != nil {
		return
	}
	return g, m, v[0], v[1], nil
}
