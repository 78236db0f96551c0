// Package report turns a finished run folder into the pictures a researcher
// would show and a report.md that links them: reward curves of every model
// under every population's reward with the theory's prediction, convergence
// against the predicted rate, distances to the real data, diversity,
// categorical heat maps, 2-D densities, mode weights, influence and curation
// statistics. Its convergence table judges convergence as compare does: by
// tv_prev's mean after burn-in (its noise floor) against the finite-sample
// prediction's, and the first generation within 10% of that floor. It only reads the run folder's files (the README's run-folder
// table) and writes DIR/plots/*.png and DIR/report.md.
//
// Every figure is a PNG at 150 dpi, 6 in wide (15.2 cm, 900 px): a single
// panel is 6 × 4 in (900 × 600 px), a stack of n panels sharing the
// generation axis is 6 × (1 + 3n) in, and the four-panel grids (heat maps,
// 2-D densities) are 6 × 6 in (900 × 900 px). report.md shows them at their
// natural width, so the 12-point text stays readable on a code-hosting site.
//
// Given a collected sweep folder (package train/sweep: sweep.yaml and
// summary.csv), it draws instead, for every swept key and key metric
// (reward/<population>, kl_real, entropy, zero_mass), the final-generation
// value against the key's values: one line per model with its 95% band over
// the seeds (markers and bars when the values are categories), one panel per
// combination of the other keys' values. These are DIR/plots/sweep-KEY-METRIC.png,
// 6 in wide with up to four panels stacked, 9 in wide with more in two
// columns; DIR/report.md lists the grid, the cells and the final values.
package report
