package config

import (
	"fmt"
	"math"
	"strings"

	"github.com/selfconsume/selfconsume/curate"
)

func (c Config) validatePopulations() (map[string]bool, error) {
	if len(c.Populations) == 0 {
		return nil, bad("populations", "[]", "need at least one population")
	}
	if err := caseDuplicate("populations", c.populationNames()); err != nil {
		return nil, err
	}
	pops := map[string]PopulationConfig{}
	for i, p := range c.Populations {
		key := fmt.Sprintf("populations.%d", i)
		if err := checkName(key+".name", p.Name); err != nil {
			return nil, err
		}
		if _, dup := pops[p.Name]; dup {
			return nil, bad(key+".name", p.Name, "population names must be unique")
		}
		pops[p.Name] = p
	}
	for i, p := range c.Populations {
		key := fmt.Sprintf("populations.%d", i)
		switch p.Reward {
		case "linear", "quadratic", "distance":
			if c.Data.Kind != "planar" {
				return nil, bad(key+".reward", p.Reward, "rewards on the plane need data.kind planar; allowed here: random, table, negate")
			}
			if _, err := curate.PlaneRewardOf(p.Reward, p.Weights, p.Point, p.Gamma, p.RMin); err != nil {
				return nil, bad(key, p.Reward, "%v", err)
			}
			if p.Gamma < 0 || p.RMin < 0 {
				return nil, bad(key+".gamma", p.Gamma, "gamma and r_min must be >= 0")
			}
		case "random", "table":
			if c.Data.Kind == "planar" {
				return nil, bad(key+".reward", p.Reward, "allowed on the plane: linear, quadratic, distance, negate")
			}
		}
		switch p.Reward {
		case "linear", "quadratic", "distance":
		case "random":
			if p.Scale < 0 || math.IsNaN(p.Scale) {
				return nil, bad(key+".scale", p.Scale, "must be >= 0")
			}
		case "table":
			if err := fileExists(key+".file", p.File); err != nil {
				return nil, err
			}
		case "negate":
			seen := map[string]bool{p.Name: true}
			for q := p; q.Reward == "negate"; {
				next, ok := pops[q.Of]
				if !ok {
					return nil, bad(key+".of", p.Of, "allowed: %s", strings.Join(c.populationNames(), ", "))
				}
				if seen[next.Name] {
					return nil, bad(key+".of", p.Of, "negations form a cycle")
				}
				seen[next.Name] = true
				q = next
			}
		default:
			return nil, bad(key+".reward", p.Reward, "allowed: random, table, negate (categorical); linear, quadratic, distance, negate (planar)")
		}
	}
	ok := map[string]bool{}
	for name := range pops {
		ok[name] = true
	}
	return ok, nil
}
