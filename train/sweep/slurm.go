package sweep

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/selfconsume/selfconsume/runfolder"
)

// SlurmOptions are the Slurm backend's resources and task layout; the sweep
// file's slurm: block, overridden by the command line's flags.
type SlurmOptions struct {
	Partition    string `yaml:"partition,omitempty"`      // --partition; empty: the cluster's default
	Time         string `yaml:"time,omitempty"`           // --time of one array task, e.g. 00:30:00
	Mem          string `yaml:"mem,omitempty"`            // --mem of one array task, e.g. 2G
	CPUsPerTask  int    `yaml:"cpus_per_task,omitempty"`  // --cpus-per-task (default 1); each cell trains this many models at once
	CellsPerTask int    `yaml:"cells_per_task,omitempty"` // cells one array task runs one after another (default 1)
	Concurrency  int    `yaml:"concurrency,omitempty"`    // array tasks running at once at most (the % limit); 0: no limit
	Binary       string `yaml:"binary,omitempty"`         // the selfconsume command on the compute nodes; default: this executable
}

// ErrNothingToSubmit is returned by SubmitSlurm when every cell it would
// submit is already done.
var ErrNothingToSubmit = errors.New("nothing to submit: every cell is done")

// SubmitSlurm submits the unfinished cells of the prepared sweep in dir (or
// only the cells whose indices are in only, e.g. Status.Failed()) as one
// Slurm job array: `sbatch --array=0-N%C`, each array task running
// o.CellsPerTask cells one after another with `selfconsume sweep run-cell
// DIR --index I`. dir must be on a filesystem the compute nodes share. The
// batch script is kept in dir/slurm/submit.sh and the tasks' output in
// dir/slurm/JOB_TASK.out. With dryRun it only returns the script. jobID is
// the array's job ID, for squeue -j and scancel.
func SubmitSlurm(dir string, o SlurmOptions, only []int, dryRun bool) (script, jobID string, err error) {
	_, cells, err := open(dir)
	if err != nil {
		return "", "", err
	}
	todo, err := selectCells(dir, cells, only)
	if err != nil {
		return "", "", err
	}
	if len(todo) == 0 {
		return "", "", ErrNothingToSubmit
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", "", err
	}
	if o.Binary == "" {
		if o.Binary, err = os.Executable(); err != nil {
			return "", "", fmt.Errorf("slurm: the selfconsume binary: %w (set slurm.binary)", err)
		}
	}
	idx := make([]int, len(todo))
	for i, c := range todo {
		idx[i] = c.Index
	}
	script = slurmScript(abs, o, idx, len(cells))
	if dryRun {
		return script, "", nil
	}
	logs := filepath.Join(abs, runfolder.SlurmDir)
	if err := os.MkdirAll(logs, 0o755); err != nil {
		return script, "", err
	}
	path := filepath.Join(logs, "submit.sh")
	if err := runfolder.WriteFileAtomic(path, []byte(script)); err != nil {
		return script, "", err
	}
	var stderr bytes.Buffer
	cmd := exec.Command("sbatch", "--parsable", path)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return script, "", fmt.Errorf("sbatch: %w: %s", err, strings.TrimSpace(stderr.String()))
	}
	jobID, _, _ = strings.Cut(strings.TrimSpace(string(out)), ";")
	if jobID == "" {
		return script, "", fmt.Errorf("sbatch printed no job ID: %q", out)
	}
	return script, jobID, nil
}

// slurmScript is the job array's batch script: array task t runs cells
// idx[t*per : (t+1)*per].
func slurmScript(dir string, o SlurmOptions, idx []int, total int) string {
	per := max(1, o.CellsPerTask)
	tasks := (len(idx) + per - 1) / per
	array := fmt.Sprintf("0-%d", tasks-1)
	if o.Concurrency > 0 {
		array += fmt.Sprintf("%%%d", o.Concurrency)
	}
	var b strings.Builder
	b.WriteString("#!/bin/bash\n")
	fmt.Fprintf(&b, "#SBATCH --job-name=sweep-%s\n", filepath.Base(dir))
	fmt.Fprintf(&b, "#SBATCH --array=%s\n", array)
	fmt.Fprintf(&b, "#SBATCH --cpus-per-task=%d\n", max(1, o.CPUsPerTask))
	fmt.Fprintf(&b, "#SBATCH --output=%s\n", filepath.Join(dir, runfolder.SlurmDir, "%A_%a.out"))
	for _, opt := range []struct{ flag, v string }{{"partition", o.Partition}, {"time", o.Time}, {"mem", o.Mem}} {
		if opt.v != "" {
			fmt.Fprintf(&b, "#SBATCH --%s=%s\n", opt.flag, opt.v)
		}
	}
	fmt.Fprintf(&b, "# selfconsume sweep %s: %d of its %d cells, %d per array task, one after another;\n", dir, len(idx), total, per)
	b.WriteString("# a task fails when one of its cells fails (see the cell's FAILED file).\n")
	b.WriteString("cells=(")
	for i, c := range idx {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprint(&b, c)
	}
	b.WriteString(")\n")
	fmt.Fprintf(&b, "per=%d\n", per)
	b.WriteString("status=0\n")
	b.WriteString("first=$((SLURM_ARRAY_TASK_ID * per))\n")
	b.WriteString("for ((k = first; k < first + per && k < ${#cells[@]}; k++)); do\n")
	fmt.Fprintf(&b, "\t%s sweep run-cell %s --index \"${cells[k]}\" || status=1\n", shellQuote(o.Binary), shellQuote(dir))
	b.WriteString("done\n")
	b.WriteString("exit \"$status\"\n")
	return b.String()
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
