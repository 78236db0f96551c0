// Package planar is the family of 2-D density models: normalizing flows
// (models/flow) trained on points of a mixture on the plane (a ring or a
// grid of Gaussians, two moons). Rewards and curators act on points;
// metrics are Monte Carlo on fixed evaluation noise, plus exact ones on a
// regular grid of cells over a box of the plane, on which a flow's
// density becomes a 1 x cells table and the theory of the categorical
// case runs unchanged (one context, one token per cell). Its run-folder
// files: density.csv and samples.csv every generation, and the grid,
// modes and reward grid once.
package planar
