package data

import (
	"math"
	"testing"
)

func mustRing(t *testing.T, count int, radius, std float64) *Mixture {
	t.Helper()
	m, err := Ring(count, radius, std)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func mustMoons(t *testing.T, noise float64) *Moons {
	t.Helper()
	m, err := NewMoons(noise)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestPlaneConstructorsRejectBadArguments(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
	}{
		{"ring count 0", func() error { _, err := Ring(0, 2, 0.2); return err }()},
		{"ring radius -1", func() error { _, err := Ring(8, -1, 0.2); return err }()},
		{"ring std 0", func() error { _, err := Ring(8, 2, 0); return err }()},
		{"ring std NaN", func() error { _, err := Ring(8, 2, math.NaN()); return err }()},
		{"grid 0 rows", func() error { _, err := Grid(0, 3, 1, 0.1); return err }()},
		{"grid spacing Inf", func() error { _, err := Grid(3, 3, math.Inf(1), 0.1); return err }()},
		{"mixture empty", func() error { _, err := NewMixture(nil, 1); return err }()},
		{"moons noise 0", func() error { _, err := NewMoons(0); return err }()},
	} {
		if tc.err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
}

func TestRingAndGridCentres(t *testing.T) {
	r := mustRing(t, 8, 2, 0.2)
	modes := r.Modes()
	if len(modes) != 8 {
		t.Fatalf("ring has %d modes, want 8", len(modes))
	}
	for k, c := range modes {
		if d := math.Hypot(c[0], c[1]); math.Abs(d-2) > 1e-12 {
			t.Errorf("mode %d at radius %g, want 2", k, d)
		}
		a := math.Atan2(c[1], c[0])
		if want := 2 * math.Pi * float64(k) / 8; math.Abs(math.Remainder(a-want, 2*math.Pi)) > 1e-12 {
			t.Errorf("mode %d at angle %g, want %g", k, a, want)
		}
		if got := r.NearestMode(c); got != k {
			t.Errorf("NearestMode(centre %d) = %d", k, got)
		}
	}
	g, err := Grid(2, 3, 1.5, 0.1)
	if err != nil {
		t.Fatal(err)
	}
	want := [][2]float64{{-1.5, -0.75}, {0, -0.75}, {1.5, -0.75}, {-1.5, 0.75}, {0, 0.75}, {1.5, 0.75}}
	for i, c := range g.Modes() {
		if c != want[i] {
			t.Errorf("grid mode %d = %v, want %v", i, c, want[i])
		}
	}
}

// integrate returns the midpoint-rule integral of exp(logp) over a box.
func integrate(logp func([2]float64) float64, lo, hi [2]float64, step float64) float64 {
	s := 0.0
	for x := lo[0] + step/2; x < hi[0]; x += step {
		for y := lo[1] + step/2; y < hi[1]; y += step {
			s += math.Exp(logp([2]float64{x, y}))
		}
	}
	return s * step * step
}

func TestPlaneDensityIntegratesToOne(t *testing.T) {
	grid, err := Grid(3, 3, 1, 0.15)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		d      Plane
		lo, hi [2]float64
		step   float64
	}{
		{"ring", mustRing(t, 8, 2, 0.2), [2]float64{-4, -4}, [2]float64{4, 4}, 0.05},
		{"grid", grid, [2]float64{-3, -3}, [2]float64{3, 3}, 0.04},
		{"moons 0.1", mustMoons(t, 0.1), [2]float64{-2, -1.5}, [2]float64{3, 2}, 0.025},
	} {
		if got := integrate(tc.d.LogDensity, tc.lo, tc.hi, tc.step); math.Abs(got-1) > 1e-6 {
			t.Errorf("%s: density integrates to %.9f, want 1 +- 1e-6", tc.name, got)
		}
	}
}

func TestMoonsQuadratureConverged(t *testing.T) {
	m := mustMoons(t, 0.05)
	fine := newMoons(m.noise, 4*(m.nodes-1)+1)
	rng := Stream(1, PurposeEval, 99)
	xs := m.Sample(rng, 500)
	for i := 0; i < 500; i++ {
		x := [2]float64{xs[2*i], xs[2*i+1]}
		a, b := m.LogDensity(x), fine.LogDensity(x)
		if math.Abs(a-b) > 1e-6 {
			t.Fatalf("point %v: log density %.9f with %d nodes, %.9f with %d", x, a, m.nodes, b, fine.nodes)
		}
	}
}

func TestMixtureEntropy(t *testing.T) {
	single := mustRing(t, 1, 0, 0.3)
	exact := math.Log(2 * math.Pi * math.E * 0.09)
	if got := single.Entropy(); math.Abs(got-exact) > 1e-9 {
		t.Errorf("single Gaussian entropy %.12f, want %.12f", got, exact)
	}
	// Eight well-separated modes (7.7 std apart): log 8 + the Gaussian's
	// entropy, less an overlap term of order 1e-4.
	ring := mustRing(t, 8, 2, 0.2)
	sep := math.Log(8) + math.Log(2*math.Pi*math.E*0.04)
	h := ring.Entropy()
	if h > sep || sep-h > 1e-3 {
		t.Errorf("ring entropy %.6f, want just below %.6f (within 1e-3)", h, sep)
	}
	// Overlapping grid: no closed form, compare with Monte Carlo.
	grid, err := Grid(3, 3, 0.5, 0.3)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		d    Plane
	}{{"ring", ring}, {"grid", grid}, {"moons", mustMoons(t, 0.1)}} {
		const n = 100000
		mc, se := EntropyMC(tc.d, Stream(2, PurposeEval, 7), n)
		if h := tc.d.Entropy(); math.Abs(h-mc) > 4*se {
			t.Errorf("%s: grid entropy %.5f, Monte Carlo (n=%d) %.5f +- %.5f: off by more than 4 standard errors", tc.name, h, n, mc, se)
		}
	}
}

// TestSampleModeWeights checks that samples spread evenly over the modes: a
// chi-square statistic with K-1 degrees of freedom, against a bound far in its
// tail (mean K-1, sd sqrt(2(K-1)); the bound is mean + 6 sd).
func TestSampleModeWeights(t *testing.T) {
	grid, err := Grid(3, 4, 1, 0.1)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		d    Plane
	}{{"ring", mustRing(t, 8, 2, 0.2)}, {"grid", grid}, {"moons", mustMoons(t, 0.05)}} {
		const n = 40000
		counts := ModeCounts(tc.d, tc.d.Sample(Stream(3, PurposeEval, 1), n))
		k := float64(len(counts))
		chi := 0.0
		for _, c := range counts {
			e := n / k
			chi += (float64(c) - e) * (float64(c) - e) / e
		}
		if bound := (k - 1) + 6*math.Sqrt(2*(k-1)); chi > bound {
			t.Errorf("%s: mode counts %v, chi-square %.1f > %.1f", tc.name, counts, chi, bound)
		}
	}
}

// TestSampleMoments compares sample means with the exact ones: the ring's
// mean is the origin and its E|x|^2 is radius^2 + 2 std^2; the moons' mean is
// (0.5, 0.25).
func TestSampleMoments(t *testing.T) {
	const n = 100000
	ring := mustRing(t, 8, 2, 0.2)
	xs := ring.Sample(Stream(4, PurposeEval, 0), n)
	var mx, my, r2 float64
	for i := 0; i < n; i++ {
		mx += xs[2*i]
		my += xs[2*i+1]
		r2 += xs[2*i]*xs[2*i] + xs[2*i+1]*xs[2*i+1]
	}
	mx, my, r2 = mx/n, my/n, r2/n
	// sd of each coordinate is about sqrt(2): 5 standard errors.
	if tol := 5 * math.Sqrt(2.0/n); math.Abs(mx) > tol || math.Abs(my) > tol {
		t.Errorf("ring sample mean (%.4f, %.4f), want (0, 0) +- %.4f", mx, my, tol)
	}
	if want := 4 + 2*0.04; math.Abs(r2-want) > 5*1.0/math.Sqrt(n) {
		t.Errorf("ring E|x|^2 = %.4f, want %.4f", r2, want)
	}
	// Moons: E x = (0 + 1)/2, E y = (2/pi + 0.5 - 2/pi)/2; coordinate sds < 1.
	moons := mustMoons(t, 0.1)
	xs = moons.Sample(Stream(4, PurposeEval, 1), n)
	mx, my = 0, 0
	for i := 0; i < n; i++ {
		mx += xs[2*i]
		my += xs[2*i+1]
	}
	mx, my = mx/n, my/n
	if tol := 5 / math.Sqrt(n); math.Abs(mx-0.5) > tol || math.Abs(my-0.25) > tol {
		t.Errorf("moons sample mean (%.4f, %.4f), want (0.5, 0.25) +- %.4f", mx, my, tol)
	}
}

func TestTrainHeldOutStreams(t *testing.T) {
	ring := mustRing(t, 8, 2, 0.2)
	a, ha := TrainHeldOut(ring, 5, 100, 50)
	b, hb := TrainHeldOut(ring, 5, 300, 50)
	if len(a) != 200 || len(ha) != 100 || len(b) != 600 {
		t.Fatalf("lengths %d %d %d, want 200 100 600", len(a), len(ha), len(b))
	}
	for i := range ha {
		if ha[i] != hb[i] {
			t.Fatalf("held-out set changed with the training size at %d", i)
		}
	}
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("training prefix changed with the training size at %d", i)
		}
	}
	if a[0] == ha[0] && a[1] == ha[1] {
		t.Error("training and held-out sets start with the same point")
	}
	c, _ := TrainHeldOut(ring, 6, 100, 50)
	if c[0] == a[0] {
		t.Error("different seeds gave the same first point")
	}
	// The held-out NLL of the true density is its entropy, within sampling error.
	_, held := TrainHeldOut(ring, 5, 0, 20000)
	nll := -MeanLogDensity(ring, held)
	if h := ring.Entropy(); math.Abs(nll-h) > 5/math.Sqrt(20000) {
		t.Errorf("held-out NLL %.4f vs entropy %.4f", nll, h)
	}
}
