// Package sweep runs one experiment config over a grid of overrides and a
// number of seeds: it expands a sweep file into cells with stable names and
// indices, runs each cell as an ordinary run folder inside the sweep folder
// (in-process, or one cell per scheduler task through `selfconsume sweep
// run-cell`, as a Slurm job array or a Kubernetes Indexed Job), marks finished
// and failed cells so that an interrupted sweep resumes, and collects the
// cells' metrics into one tidy sweep.csv and a per-cell summary over seeds.
//
// A sweep folder holds:
//
//	sweep.yaml           the resolved sweep (base config path, overrides, grid, seeds)
//	cells.csv            index, name, the swept keys and the seed of every cell
//	cells/NAME/          the cell's run folder, plus DONE (finished) or FAILED (its error)
//	sweep.csv            Collect: key columns, seed, generation, model, metric, value
//	summary.csv          Collect: n, mean, stderr, 95% interval over seeds
//	slurm/               SubmitSlurm: the batch script and the tasks' logs
package sweep
