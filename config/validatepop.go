package config

import (
	"fmt"
	"strings"
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
		case "":
			return nil, bad(key+".reward", `""`, "name the population's reward (negate, or one of its family's)")
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
		}
		// any other reward is its family's to check (its Validate)
	}
	ok := map[string]bool{}
	for name := range pops {
		ok[name] = true
	}
	return ok, nil
}
