package report

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/selfconsume/selfconsume/config"
)

// configBrief is what the report shows of config.yaml: a few top-level
// settings and each model's population, sample size and mixture.
type configBrief struct {
	raw         []byte
	settings    [][2]string // key, value in display order
	models      []modelBrief
	populations []string
	tol         float64  // theory.tol; 0 when unset
	generations int      // generations; 0 when unset
	burnIn      int      // theory.burn_in; 0 when unset
	ignored     []string // keys this version does not read, with why
}

// modelBrief is one entry of the config's models list.
type modelBrief struct {
	name, population, n, mix string
}

// population returns the population curating the named model ("" if unknown).
func (c *configBrief) population(model string) string {
	if c == nil {
		return ""
	}
	for _, m := range c.models {
		if m.name == model {
			return m.population
		}
	}
	return ""
}

// readConfig reads config.yaml through config.ParseLenient, so that a run
// folder of another version is still reported: the brief shows the values
// the file set (typed as the config package reads them), and the keys this
// version does not read are listed. found is false when the file is
// absent. A YAML error names the file (and yaml's message names the line).
func readConfig(path string) (c *configBrief, found bool, err error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	r, err := config.ParseLenient(b)
	if err != nil {
		return nil, true, fmt.Errorf("%s: %v", path, err)
	}
	doc, err := r.FileTree()
	if err != nil {
		return nil, true, fmt.Errorf("%s: %v", path, err)
	}
	c = &configBrief{raw: b, ignored: r.Ignored}
	for _, k := range []string{"name", "seed", "generations", "regime"} {
		if v, ok := doc[k]; ok {
			c.settings = append(c.settings, [2]string{k, compact(v)})
		}
	}
	if v, ok := doc["generations"].(int); ok {
		c.generations = v
	}
	if cur, ok := doc["curation"].(map[string]any); ok {
		for _, k := range []string{"k", "tau"} {
			if v, ok := cur[k]; ok {
				c.settings = append(c.settings, [2]string{"curation." + k, compact(v)})
			}
		}
	}
	if d, ok := doc["data"].(map[string]any); ok {
		keys := []string{"kind", "contexts", "tokens", "real"}
		if d["kind"] == "sequence" {
			keys[3] = "sequence" // prompts, vocabulary, and the length and source of the sequences
		}
		for _, k := range keys {
			if v, ok := d[k]; ok {
				c.settings = append(c.settings, [2]string{"data." + k, compact(v)})
			}
		}
	}
	if th, ok := doc["theory"].(map[string]any); ok {
		if v, ok := th["tol"]; ok {
			c.settings = append(c.settings, [2]string{"theory.tol", compact(v)})
			if f, err := strconv.ParseFloat(compact(v), 64); err == nil && f > 0 {
				c.tol = f
			}
		}
		if v, ok := th["burn_in"].(int); ok {
			c.burnIn = v
		}
	}
	if ps, ok := doc["populations"].([]any); ok {
		for _, p := range ps {
			switch p := p.(type) {
			case map[string]any:
				c.populations = append(c.populations, compact(p["name"]))
			default:
				c.populations = append(c.populations, compact(p))
			}
		}
	}
	if ms, ok := doc["models"].([]any); ok {
		for _, m := range ms {
			mm, ok := m.(map[string]any)
			if !ok {
				continue
			}
			c.models = append(c.models, modelBrief{
				name:       compact(mm["name"]),
				population: compact(mm["population"]),
				n:          compact(mm["n"]),
				mix:        compact(mm["mix"]),
			})
		}
	}
	return c, true, nil
}

// compact renders a YAML value on one line: maps as "k: v, ..." with sorted
// keys, lists as "[a, b]", nil as "".
func compact(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		parts := make([]string, 0, len(keys))
		for _, k := range keys {
			s := compact(v[k])
			if _, isMap := v[k].(map[string]any); isMap {
				s = "{" + s + "}"
			}
			parts = append(parts, k+": "+s)
		}
		return strings.Join(parts, ", ")
	case []any:
		parts := make([]string, len(v))
		for i, x := range v {
			parts[i] = compact(x)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64)
	default:
		return fmt.Sprint(v)
	}
}
