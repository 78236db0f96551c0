// Package compare holds an experiment against its theory: it runs the loop
// over seeds (and, with an influence knob, at lambda -/+ delta with common
// random numbers) through the sweep engine, then sets every seed's measured
// trajectory beside its own prediction and reports agreement with 95%
// intervals.
package compare
