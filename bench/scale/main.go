// Command scale fits and draws the scaling benchmark that bench/scale.sh writes.
//
//	go run ./bench/scale fit CSV [-png DIR]
//
// CSV has the columns axis,value,run,gen_per_s,seconds_per_gen,peak_rss_kb, one row per run.
// Per axis and value it takes the median over runs of generations per second (seconds per
// generation is its inverse) and of the peak resident set, then fits by least squares on
// log-log scales log(seconds per generation) = a + b log(x), x the axis variable (number of
// models, C*V, hidden width, planar samples n); b is the growth exponent (1: linear). It fits the
// peak resident set the same way, and also as a straight line, and for the models and C*V axes
// extrapolates where each fit reaches 24 GiB. "Last step" is the log-log slope between the two
// largest values alone: a constant overhead flattens the fit over all points at small x, so the
// last step is the better guide to the growth at large x. It prints Markdown tables; with -png it draws
// DIR/AXIS.png per axis: seconds per generation against x, log-log, with the fitted line.
package main

import (
	"cmp"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
)

// axisInfo names an axis's variable for tables and plots.
var axisInfo = map[string]string{
	"models": "number of models",
	"cxv":    "contexts x tokens (C*V)",
	"hidden": "hidden width",
	"planar": "planar samples per model n",
}

// axisOrder is the order of axes in tables.
var axisOrder = []string{"models", "cxv", "hidden", "planar"}

// limitKB is the memory the extrapolation asks about: 24 GiB in kB.
const limitKB = 24 * 1024 * 1024

func main() {
	if len(os.Args) < 3 || os.Args[1] != "fit" {
		fmt.Fprintln(os.Stderr, "usage: go run ./bench/scale fit CSV [-png DIR]")
		os.Exit(2)
	}
	fs := flag.NewFlagSet("fit", flag.ExitOnError)
	pngDir := fs.String("png", "", "directory for one PNG per axis (none: no plots)")
	if err := fs.Parse(os.Args[3:]); err != nil {
		os.Exit(2)
	}
	if err := run(os.Args[2], *pngDir, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "scale:", err)
		os.Exit(1)
	}
}

// point is one axis value: medians over its runs.
type point struct {
	x, genPerS, rssKB float64
	runs              int
}

// series is one axis's points in increasing x.
type series struct {
	axis   string
	points []point
}

func run(path, pngDir string, w io.Writer) error {
	all, err := load(path)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "| axis | value | runs | generations/s (median) | s/generation | peak RSS (MiB, median) |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|")
	for _, s := range all {
		for _, p := range s.points {
			fmt.Fprintf(w, "| %s | %g | %d | %.3g | %.4g | %.0f |\n", s.axis, p.x, p.runs, p.genPerS, 1/p.genPerS, p.rssKB/1024)
		}
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| axis (x) | range | exponent of s/generation, fit (± s.e.) | last step | exponent of peak RSS, fit | last step | RSS reaches 24 GiB at x ≈ (log-log fit; linear fit; last step) |")
	fmt.Fprintln(w, "|---|---|---:|---:|---:|---:|---|")
	for _, s := range all {
		lx, ls, lr := make([]float64, len(s.points)), make([]float64, len(s.points)), make([]float64, len(s.points))
		xs, rs := make([]float64, len(s.points)), make([]float64, len(s.points))
		for i, p := range s.points {
			lx[i], ls[i], lr[i] = math.Log(p.x), -math.Log(p.genPerS), math.Log(p.rssKB)
			xs[i], rs[i] = p.x, p.rssKB
		}
		a, b, se := fitLine(lx, ls)
		ra, rb, _ := fitLine(lx, lr)
		la, lb, _ := fitLine(xs, rs)
		n := len(s.points)
		_, sb, _ := fitLine(lx[n-2:], ls[n-2:])
		qa, qb, _ := fitLine(lx[n-2:], lr[n-2:])
		reach := "—"
		if s.axis == "models" || s.axis == "cxv" {
			reach = fmt.Sprintf("%s; %s; %s", extrapolate(math.Exp((math.Log(limitKB)-ra)/rb), rb > 0),
				extrapolate((limitKB-la)/lb, lb > 0), extrapolate(math.Exp((math.Log(limitKB)-qa)/qb), qb > 0))
		}
		fmt.Fprintf(w, "| %s | %g–%g | %.2f ± %.2f | %.2f | %.2f | %.2f | %s |\n", axisInfo[s.axis], s.points[0].x,
			s.points[n-1].x, b, se, sb, rb, qb, reach)
		if pngDir != "" {
			if err := drawAxis(s, a, b, filepath.Join(pngDir, s.axis+".png")); err != nil {
				return err
			}
		}
	}
	return nil
}

// extrapolate formats an extrapolated axis value; ok false means the fit does not grow.
func extrapolate(x float64, ok bool) string {
	if !ok || math.IsInf(x, 0) || math.IsNaN(x) {
		return "never (RSS does not grow)"
	}
	return fmt.Sprintf("%.3g", x)
}

// fitLine fits y = a + b x by least squares and returns a, b and the standard error of b
// (NaN with fewer than three points).
func fitLine(x, y []float64) (a, b, se float64) {
	n := float64(len(x))
	var mx, my float64
	for i := range x {
		mx += x[i]
		my += y[i]
	}
	mx /= n
	my /= n
	var sxx, sxy float64
	for i := range x {
		sxx += (x[i] - mx) * (x[i] - mx)
		sxy += (x[i] - mx) * (y[i] - my)
	}
	b = sxy / sxx
	a = my - b*mx
	var rss float64
	for i := range x {
		r := y[i] - a - b*x[i]
		rss += r * r
	}
	se = math.NaN()
	if len(x) > 2 {
		se = math.Sqrt(rss / (n - 2) / sxx)
	}
	return a, b, se
}

// load reads the CSV and returns the axes in axisOrder (then any others), each with its
// per-value medians.
func load(path string) ([]series, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, err
	}
	if len(rows) < 2 {
		return nil, fmt.Errorf("%s: no runs", path)
	}
	want := []string{"axis", "value", "run", "gen_per_s", "seconds_per_gen", "peak_rss_kb"}
	if !slices.Equal(rows[0], want) {
		return nil, fmt.Errorf("%s: header %v, want %v", path, rows[0], want)
	}
	type key struct {
		axis string
		x    float64
	}
	gens, rss := map[key][]float64{}, map[key][]float64{}
	var axes []string
	for i, r := range rows[1:] {
		var v [3]float64
		for j, c := range []int{1, 3, 5} {
			if v[j], err = strconv.ParseFloat(r[c], 64); err != nil || v[j] <= 0 {
				return nil, fmt.Errorf("%s line %d: %s %q: want a positive number", path, i+2, want[c], r[c])
			}
		}
		k := key{r[0], v[0]}
		if !slices.Contains(axes, r[0]) {
			axes = append(axes, r[0])
		}
		gens[k] = append(gens[k], v[1])
		rss[k] = append(rss[k], v[2])
	}
	slices.SortStableFunc(axes, func(a, b string) int { return order(a) - order(b) })
	var out []series
	for _, ax := range axes {
		s := series{axis: ax}
		for k, g := range gens {
			if k.axis == ax {
				s.points = append(s.points, point{x: k.x, genPerS: median(g), rssKB: median(rss[k]), runs: len(g)})
			}
		}
		slices.SortFunc(s.points, func(a, b point) int { return cmp.Compare(a.x, b.x) })
		if len(s.points) < 2 {
			return nil, fmt.Errorf("%s: axis %s has %d value(s), want at least 2 to fit", path, ax, len(s.points))
		}
		out = append(out, s)
	}
	return out, nil
}

// order is an axis's place in axisOrder; unknown axes come last.
func order(axis string) int {
	if i := slices.Index(axisOrder, axis); i >= 0 {
		return i
	}
	return len(axisOrder)
}

// median returns the median of v (the mean of the middle two for an even count).
func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}
