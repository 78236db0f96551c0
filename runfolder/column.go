package runfolder

import "go.yaml.in/yaml/v3"

// ColumnText is a swept value (YAML text) as the sweep folder's CSV files
// (cells.csv, sweep.csv, summary.csv) write it in its key's column: a
// scalar's plain text (quotes dropped), anything else its YAML text.
func ColumnText(v string) string {
	var n yaml.Node
	if err := yaml.Unmarshal([]byte(v), &n); err == nil && len(n.Content) == 1 && n.Content[0].Kind == yaml.ScalarNode {
		return n.Content[0].Value
	}
	return v
}
