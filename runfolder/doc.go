// Package runfolder owns the on-disk format of a run folder and of a sweep
// folder: the name of every file, the columns of every CSV, and the readers
// and writers that both the harness (train, train/compare, train/sweep) and
// the report (train/report) use, so that a file is written and read against
// one definition.
//
// A run folder (selfconsume run, or the top of a comparison folder) holds
// config.yaml (the resolved config), the measured metrics.csv and, per
// family, the per-generation records (tables.csv for categorical data;
// samples.csv and density.csv for planar data), the analytic prediction
// (prediction.csv, prediction_tables.csv, theory.json), the world the
// prediction starts from (world_*.csv), the checkpoint (checkpoints/state.gob)
// and the folder's lock (.lock). A comparison folder adds comparison.csv,
// influence.csv and seeds/seed-N/metrics.csv; the report adds report.md and
// plots/. A sweep folder holds sweep.yaml, cells.csv, one run folder per
// cell under cells/ with its DONE or FAILED marker, and, once collected,
// sweep.csv and summary.csv.
//
// Every CSV is written with encoding/csv (a field holding a comma, a quote or
// a line break is quoted and reads back as written) and every number with
// FormatFloat (the shortest text that parses back to the same float64), so
// that a file read and written again is byte-identical. Files are replaced
// atomically (WriteFileAtomic): a reader sees the old file or the new one.
package runfolder
