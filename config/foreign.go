package config

import "fmt"

// checkForeign refuses another family's key that a config sets to
// something other than its default: data.plane.resolution on a categorical
// config, say, which the run would not read. A key at its default passes
// (and is dropped by fillSections and fillModelDefaults), so the
// config.yaml of a run folder written when every family's section was
// listed still reads.
func checkForeign(tree any) error {
	top, _ := tree.(map[string]any)
	d, _ := top["data"].(map[string]any)
	kind, _ := d["kind"].(string)
	def, _ := toTree(ModelDefaults())
	modelDef, _ := def.(map[string]any)
	list, _ := top["models"].([]any)
	for _, s := range familySections {
		if s.kind == kind {
			continue
		}
		why := fmt.Sprintf("read only when data.kind is %s (this config's is %q): remove it", s.kind, kind)
		if m, ok := d[s.key].(map[string]any); ok {
			sd, _ := toTree(s.defaults())
			sdm, _ := sd.(map[string]any)
			for _, k := range sortedKeys(m) {
				if m[k] != nil && !sameValue(m[k], sdm[k]) {
					return Invalid("data."+s.key+"."+k, m[k], "%s", why)
				}
			}
		}
		for i, item := range list {
			m, _ := item.(map[string]any)
			for _, k := range s.modelKeys {
				if v := m[k]; v != nil && !sameValue(v, modelDef[k]) {
					return Invalid(fmt.Sprintf("models.%d.%s", i, k), v, "%s", why)
				}
			}
		}
	}
	return nil
}

// sameValue says whether two scalars of a config tree print the same (an
// int and a float of the same value do; a value given as text by --set
// does too).
func sameValue(a, b any) bool { return fmt.Sprint(a) == fmt.Sprint(b) }
