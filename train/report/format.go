package report

import (
	"math"
	"strconv"
	"strings"
)

// fmtNum formats a number for the report: 4 significant digits, an em dash
// for NaN.
func fmtNum(v float64) string {
	if math.IsNaN(v) {
		return "—"
	}
	if math.IsInf(v, 1) {
		return "∞"
	}
	if math.IsInf(v, -1) {
		return "−∞"
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}

// fmtMeanCI formats a mean with its 95% half-width (2 significant digits)
// when it has one.
func fmtMeanCI(mean, half float64) string {
	if half > 0 {
		return fmtNum(mean) + " ± " + strconv.FormatFloat(half, 'g', 2, 64)
	}
	return fmtNum(mean)
}

// joinInts lists whole numbers as "0, 5 and 10".
func joinInts(v []int) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = strconv.Itoa(x)
	}
	return joinAnd(s)
}

// joinAnd lists phrases as "a, b and c".
func joinAnd(s []string) string {
	switch len(s) {
	case 0:
		return ""
	case 1:
		return s[0]
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}

// mdCell escapes text for a Markdown table cell.
func mdCell(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	s = strings.ReplaceAll(s, "\n", " ")
	if s == "" {
		return "—"
	}
	return s
}

// mdTable renders a Markdown table.
func mdTable(b *strings.Builder, header []string, rows [][]string) {
	b.WriteString("| " + strings.Join(header, " | ") + " |\n|")
	for range header {
		b.WriteString("---|")
	}
	b.WriteString("\n")
	for _, r := range rows {
		cells := make([]string, len(r))
		for i, c := range r {
			cells[i] = mdCell(c)
		}
		b.WriteString("| " + strings.Join(cells, " | ") + " |\n")
	}
	b.WriteString("\n")
}
