// Package regimemap maps the analytic loop over a plane of mixtures: for
// every cell of a grid over two parameters of a base config it gives the
// fixed point, its stability and spectral radius, and the influence of the
// knob model's curated share on every model's alignment, with and without
// feedback, labelled (theory.Label) and marked where feedback inverts the
// isolated effect; a few cells can be spot-checked by the neural loop.
//
// Generation 0 and the learned curators do not depend on the mixture, so
// the base config is fitted once (as predict does: the loop with
// generations = 0); each cell then only re-weights that world
// (train.World.WithMix) and runs train.PredictMean on the cell's config
// (the prediction without the seed spread, which a map does not use). A cell's numbers are therefore exactly those of predict on the
// same mixture, from the base seed's generation-0 tables.
//
// An axis sweeps one parameter (Axis.Param):
//
//   - curated (model or models): the model's curated share h. The curated
//     block keeps its split over source models (each curated weight is
//     scaled by h/h0); the real and raw shares keep their proportions and
//     are scaled to fill 1 - h. This is the knob's own direction
//     (theory.CuratedShare). A model without curated data has no split to
//     keep and is refused.
//   - cross (model or models): the share c of the model's curated block
//     that comes from other models. The block's total is kept; the model's
//     self-curated weight is (1 - c) times it, and the rest is split over
//     the other sources in their base proportions (evenly when all of them
//     were 0). With models: [p, q] both models take the same value: a
//     coupling strength.
//   - real (model or models): the real share r; raw and curated shares
//     keep their proportions and are scaled to fill 1 - r.
//   - k, tau: the curation law's number of candidates and temperature.
//   - scale (population): the scale of a random reward (its entries'
//     standard deviation); populations negating it follow.
//   - alignment (population, of): the population's reward becomes
//     a u + sqrt(1 - a^2) v, u being population of's reward centred within
//     each context and v the population's own base reward, centred and made
//     orthogonal to u, with u's norm: a = 1 is of's reward, a = -1 its
//     negation, a = 0 an independent one (CellRewards).
//
// Reward axes (scale, alignment) change the true rewards the learned
// reward models were fitted to, which would need a refit per cell: they
// require the map's curator to be the true reward (curator: true), and
// are refused otherwise. The curation law's K and tau do not enter the
// reward models' fits, so they work with either curator.
//
// A map folder holds:
//
//	map.yaml       the resolved map (base config, axes as value lists, curator, knob, spots)
//	cells/NAME.csv one file per finished cell (written atomically): the resume state
//	map.csv        every cell's rows in cell order: one row per cell, model and population
//	spots/         per spot its config NAME.yaml and comparison folder NAME/ (a sweep
//	               folder), NAME = cell, seeds and generations, e.g. x08-y04-s4-g30
//	spots.csv      the spot checks' verdicts
//	plots/, report.md
//
// Running a map again on its folder computes only the missing cells (and
// continues the spot comparisons), so an interrupted map resumes and ends
// with the same map.csv as an uninterrupted one; the spot settings may
// change between runs, the cells' (base, sets, curator, knob, axes) may not.
//
// A spot check runs the cell's config (generations from the spots, the
// learned or true curator as in the map) for its seeds through
// train/compare, locally or as Slurm job arrays, and is marked agree when
// every check of what the map claims agrees (the fixed point's rewards and
// the influences), disagree when one disagrees, unresolved otherwise; the
// noise-floor and spread checks are reported apart.
package regimemap
