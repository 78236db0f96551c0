#!/usr/bin/python3
"""bench-2d in PyTorch: the peer for the continuous benchmark workload.

The bench-cat loop on R^2 (configs/bench-2d.yaml), float32: real data 8 Gaussians on
a circle of radius 2 (std 0.2); 3 models, each an affine-coupling flow of 6 couplings whose
conditioners are 1 -> 128 -> 128 -> 2 (ReLU; shift and raw log-scale, the log-scale bounded as
2 tanh(r / 2)), standard normal base, initialised like models/flow (params.go); one population
with true reward r(x) = x_1 (the first coordinate) and a learned reward model 2 -> 128 -> 128 -> 1
fitted once with the Bradley-Terry loss (300 Adam steps of 256 pairs). Generation 0 fits 4096
real points (200 Adam steps of 256). Every later generation each model draws 16384 candidates
(4 for each of 4096 groups), the reward model scores them, a Luce choice (softmax(reward / 1))
keeps one per group, and each model retrains, warm-started with a fresh Adam, on 2048 fresh real
points + 683/683/682 curated points of the three models, 2 epochs of full minibatches of 256,
lr 1e-3. Metric: mean true reward of 4096 fresh samples per model.

The Go loop for bench-2d is not wired yet (models/flow exists, no config); choices made here that
the Go side will have to match or be compared against: reward-model pairs are drawn uniformly in
the square [-3, 3]^2 (bench-cat draws its pair tokens uniformly), labels Bradley-Terry at
temperature 1.

Models run one after another in one process; --threads sets torch's threads. Last line:
`generations_per_second: X`, median over timed generations (set-up and generation 0 excluded).
"""

import argparse
import math
import os
import sys
import time


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("-n", "--generations", type=int, default=10)
    p.add_argument("--threads", type=int, default=1, help="torch.set_num_threads (default 1)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--quiet", action="store_true")
    p.add_argument("--pwl", action="store_true",
                   help="sample through each conditioner's piecewise-linear form (tables of slopes and "
                        "intercepts of m(c) and r(c), built in float64 once per training phase), as the Go "
                        "harness's Sample does, instead of the layers")
    return p.parse_args()


ARGS = parse_args()
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
os.environ.setdefault("OMP_NUM_THREADS", str(ARGS.threads))
os.environ.setdefault("OPENBLAS_NUM_THREADS", str(ARGS.threads))

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from torch import nn  # noqa: E402

MODES, RADIUS, STD = 8, 2.0, 0.2
DEPTH, H, SMAX = 6, 128, 2.0
M, N, EPOCHS, BATCH, LR = 3, 4096, 2, 256, 1e-3
INIT_STEPS = 200
K, TAU, POOL = 4, 1.0, 4096
RM_STEPS, RM_BATCH, RM_LR, RM_BOX = 300, 256, 1e-3, 3.0
EVAL = 4096
PHASES = ("score", "sample", "curate", "mix", "train", "metrics", "write")
REAL_SAMPLE, CURATE, MIX, TRAIN, LABELS, EVAL_P = range(1, 7)


def apportion(n, weights):
    w = np.asarray(weights, dtype=np.float64)
    q = n * w / w.sum()
    counts = np.floor(q).astype(int)
    order = sorted(range(len(w)), key=lambda i: -(q[i] - counts[i]))
    k = 0
    while counts.sum() < n:
        if w[order[k % len(order)]] > 0:
            counts[order[k % len(order)]] += 1
        k += 1
    return counts


COUNTS = apportion(N, [0.5, 1 / 6, 1 / 6, 1 / 6])  # real, curated a, b, c: 2048, 683, 683, 682
CENTRES = np.array([[RADIUS * math.cos(2 * math.pi * k / MODES),
                     RADIUS * math.sin(2 * math.pi * k / MODES)] for k in range(MODES)])


def ring(rng, n):
    return (CENTRES[rng.integers(MODES, size=n)] + STD * rng.standard_normal((n, 2))).astype(np.float32)


class Flow(nn.Module):
    """Affine couplings; coupling l conditions on x[l % 2] and transforms x[1 - l % 2]."""

    def __init__(self, gen):
        super().__init__()

        def u(shape, a):
            return nn.Parameter((torch.rand(shape, generator=gen, dtype=torch.float64) * 2 - 1).mul_(a).float())
        w1 = u((DEPTH, 1, H), math.sqrt(6))
        kink = (torch.rand((DEPTH, 1, H), generator=gen, dtype=torch.float64) * 2 - 1) * 3
        self.w1, self.b1 = w1, nn.Parameter(-(w1.detach().double() * kink).float())
        self.w2, self.b2 = u((DEPTH, H, H), math.sqrt(6 / H)), nn.Parameter(torch.zeros(DEPTH, 1, H))
        # the shift and log-scale heads side by side: (H, 2)
        self.wh = u((DEPTH, H, 2), 0.01 * math.sqrt(6 / H))
        self.bh = nn.Parameter(torch.zeros(DEPTH, 1, 2))

    def conditioner(self, l, c):
        h = F.relu(torch.addmm(self.b1[l], c, self.w1[l]))
        h = F.relu(torch.addmm(self.b2[l], h, self.w2[l]))
        out = torch.addmm(self.bh[l], h, self.wh[l])
        return out[:, :1], SMAX * torch.tanh(out[:, 1:] / SMAX)

    def log_prob(self, x):
        x0, x1 = x[:, :1], x[:, 1:]
        logdet = 0
        for l in range(DEPTH):
            if l % 2 == 0:
                m, s = self.conditioner(l, x0)
                x1 = x1 * torch.exp(s) + m
            else:
                m, s = self.conditioner(l, x1)
                x0 = x0 * torch.exp(s) + m
            logdet = logdet + s
        return (logdet - 0.5 * (x0 * x0 + x1 * x1) - math.log(2 * math.pi)).squeeze(1)

    @torch.no_grad()
    def sample(self, n, gen):
        if ARGS.pwl:
            return self.sample_pwl(n, gen)
        z = torch.randn(n, 2, generator=gen)
        z0, z1 = z[:, :1], z[:, 1:]
        for l in reversed(range(DEPTH)):
            if l % 2 == 0:
                m, s = self.conditioner(l, z0)
                z1 = (z1 - m) * torch.exp(-s)
            else:
                m, s = self.conditioner(l, z1)
                z0 = (z0 - m) * torch.exp(-s)
        return torch.cat([z0, z1], dim=1)


    @torch.no_grad()
    def pieces(self):
        """Every coupling's m(c) and r(c) as pieces: breakpoints x (ascending) and per piece the
        slope and intercept of m and r (float64), exactly the conditioner's function (a ReLU network
        of one input is piecewise linear: first-layer units bend at -b1/w1, between those bends the
        second layer's pre-activations are linear and bend where they cross zero)."""
        out = []
        for l in range(DEPTH):
            w1 = self.w1[l, 0].double().numpy()
            b1 = self.b1[l, 0].double().numpy()
            w2 = self.w2[l].double().numpy()
            b2 = self.b2[l, 0].double().numpy()
            wm, ws = self.wh[l, :, 0].double().numpy(), self.wh[l, :, 1].double().numpy()
            bm, bs = float(self.bh[l, 0, 0]), float(self.bh[l, 0, 1])
            units = np.nonzero(w1)[0]
            kinks = -b1[units] / w1[units]
            order = np.argsort(kinks, kind="stable")
            units, kinks = units[order], kinks[order]
            # second-layer pre-activations a c + b on the first piece (left of every kink)
            left = (w1 < 0) | ((w1 == 0) & (b1 > 0))
            a = (w1 * left) @ w2
            b = b2 + (b1 * left) @ w2
            xs, rows = [], []
            for q in range(len(kinks) + 1):
                lo = kinks[q - 1] if q > 0 else -np.inf
                hi = kinks[q] if q < len(kinks) else np.inf
                if q > 0:
                    xs.append(lo)
                with np.errstate(divide="ignore", invalid="ignore"):
                    rt = np.where(a != 0, -b / a, 0.0)
                on = np.where(a != 0, ((a > 0) & (rt <= lo)) | ((a < 0) & (rt > lo)), b > 0)
                base = np.array([(wm * a)[on].sum(), bm + (wm * b)[on].sum(), (ws * a)[on].sum(), bs + (ws * b)[on].sum()])
                inside = np.nonzero((a != 0) & (lo < rt) & (rt < hi))[0]
                inside = inside[np.argsort(rt[inside], kind="stable")]
                sign = np.where(on[inside], -1.0, 1.0)
                delta = sign[:, None] * np.stack([wm[inside] * a[inside], wm[inside] * b[inside],
                                                  ws[inside] * a[inside], ws[inside] * b[inside]], axis=1)
                rows.append(base[None, :])
                rows.append(base[None, :] + np.cumsum(delta, axis=0))
                xs.extend(rt[inside])
                if q < len(kinks):  # cross the kink: the unit turns on (w1 > 0) or off
                    j = units[q]
                    sgn = 1.0 if w1[j] > 0 else -1.0
                    a = a + sgn * w1[j] * w2[j]
                    b = b + sgn * b1[j] * w2[j]
            out.append((torch.from_numpy(np.asarray(xs, dtype=np.float64)),
                        torch.from_numpy(np.concatenate(rows))))
        return out

    @torch.no_grad()
    def sample_pwl(self, n, gen):
        """sample through the pieces (built once per parameter update), in float64."""
        if getattr(self, "_pieces_of", None) != self._version():
            self._pieces, self._pieces_of = self.pieces(), self._version()
        z = torch.randn(n, 2, generator=gen).double()
        z0, z1 = z[:, 0].contiguous(), z[:, 1].contiguous()
        for l in reversed(range(DEPTH)):
            x, coef = self._pieces[l]
            c = z0 if l % 2 == 0 else z1
            k = coef[torch.searchsorted(x, c)]
            m = k[:, 0] * c + k[:, 1]
            s = SMAX * torch.tanh((k[:, 2] * c + k[:, 3]) / SMAX)
            if l % 2 == 0:
                z1 = (z1 - m) * torch.exp(-s)
            else:
                z0 = (z0 - m) * torch.exp(-s)
        return torch.stack([z0, z1], dim=1).float()

    def _version(self):
        return tuple(p._version for p in self.parameters())


def mlp(sizes):
    layers = []
    for k in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[k], sizes[k + 1]))
        if k + 2 < len(sizes):
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


def check(loss, what, step):
    if not math.isfinite(loss):
        raise RuntimeError(f"{what}, step {step}: loss is {loss}")


class Model:
    def __init__(self, name, seed):
        self.name = name
        self.flow = Flow(torch.Generator().manual_seed(seed))
        self.opt = None

    def reset_optimizer(self):
        self.opt = torch.optim.Adam(self.flow.parameters(), lr=LR)

    def _step(self, xb):
        loss = -self.flow.log_prob(xb).mean()
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        self.opt.step()
        return loss.item()

    def fit(self, x, epochs, rng):
        """epochs of full minibatches in fresh order (the remainder skipped), as flow.Fit."""
        xt = torch.from_numpy(x)
        per = len(x) // BATCH
        for e in range(epochs):
            order = torch.from_numpy(rng.permutation(len(x)))
            for s in range(per):
                check(self._step(xt[order[s * BATCH:(s + 1) * BATCH]]), f"model {self.name}", e * per + s + 1)

    def steps(self, x, steps, rng):
        """exactly `steps` minibatches, epochs of fresh order, as flow.Steps."""
        xt = torch.from_numpy(x)
        per = len(x) // BATCH
        for s in range(steps):
            if s % per == 0:
                order = torch.from_numpy(rng.permutation(len(x)))
            k = s % per
            check(self._step(xt[order[k * BATCH:(k + 1) * BATCH]]), f"model {self.name}, generation 0", s + 1)


def fit_reward_model(rng):
    net = mlp((2, H, H, 1))
    opt = torch.optim.Adam(net.parameters(), lr=RM_LR)
    for s in range(RM_STEPS):
        a = rng.uniform(-RM_BOX, RM_BOX, (RM_BATCH, 2)).astype(np.float32)
        b = rng.uniform(-RM_BOX, RM_BOX, (RM_BATCH, 2)).astype(np.float32)
        a_wins = rng.random(RM_BATCH) < 1 / (1 + np.exp(-(a[:, 0] - b[:, 0])))
        win = torch.from_numpy(np.where(a_wins[:, None], a, b))
        lose = torch.from_numpy(np.where(a_wins[:, None], b, a))
        loss = F.softplus(net(lose) - net(win)).mean()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        check(loss.item(), "reward model", s + 1)
    # agreement with the truth on fresh pairs from the real data
    x = torch.from_numpy(ring(rng, 2 * 4096))
    with torch.no_grad():
        r = net(x).squeeze(1)
    agree = ((r[0::2] > r[1::2]) == (x[0::2, 0] > x[1::2, 0])).float().mean().item()
    return net, agree


class Loop:
    def __init__(self, seed):
        self.seed = seed
        torch.manual_seed(seed)
        self.models = [Model(n, seed * 1000 + i) for i, n in enumerate("abc")]
        self.rm, self.rm_agreement = fit_reward_model(self.stream(LABELS))
        self.history = []

    def stream(self, *idx):
        return np.random.default_rng([self.seed, *idx])

    def tgen(self, *idx):
        return torch.Generator().manual_seed(int(self.stream(*idx).integers(2**62)))

    def generation_zero(self):
        for i, m in enumerate(self.models):
            m.reset_optimizer()
            m.steps(ring(self.stream(REAL_SAMPLE, i, 0), N), INIT_STEPS, self.stream(TRAIN, i, 0))
        self.metrics(0)

    def generation(self, t, secs):
        clock = [time.perf_counter()]

        def end(phase):
            now = time.perf_counter()
            secs[phase] += now - clock[0]
            clock[0] = now

        end("score")
        cands = [m.flow.sample(K * POOL, self.tgen(CURATE, j, t)) for j, m in enumerate(self.models)]
        end("sample")
        pools = []
        for j, x in enumerate(cands):
            with torch.no_grad():
                r = self.rm(x).view(POOL, K).double()
            kept = torch.multinomial(torch.softmax(r / TAU, dim=1), 1,
                                     generator=self.tgen(CURATE, j, t, 1)).squeeze(1)
            pools.append(x.view(POOL, K, 2)[torch.arange(POOL), kept].numpy())
        end("curate")
        sets = []
        for i in range(M):
            parts = [ring(self.stream(REAL_SAMPLE, i, t), COUNTS[0])]
            for j in range(M):
                parts.append(pools[j][self.stream(MIX, i, t, j).choice(POOL, COUNTS[1 + j], replace=False)])
            sets.append(np.concatenate(parts))
        end("mix")
        for i, m in enumerate(self.models):
            m.reset_optimizer()
            m.fit(sets[i], EPOCHS, self.stream(TRAIN, i, t))
        end("train")
        self.metrics(t)
        end("metrics")
        end("write")

    def metrics(self, t):
        row = {}
        for i, m in enumerate(self.models):
            x = m.flow.sample(EVAL, self.tgen(EVAL_P, i, t))
            row[m.name] = x[:, 0].double().mean().item()
        self.history.append(row)


def main():
    torch.set_num_threads(ARGS.threads)
    t0 = time.perf_counter()
    loop = Loop(ARGS.seed)
    loop.generation_zero()
    setup = time.perf_counter() - t0
    secs = dict.fromkeys(PHASES, 0.0)
    per_gen = []
    for t in range(1, ARGS.generations + 1):
        s = time.perf_counter()
        loop.generation(t, secs)
        per_gen.append(time.perf_counter() - s)
        if not ARGS.quiet:
            print(f"generation {t:3d}  {per_gen[-1]:.3f}s  mean reward " +
                  " ".join(f"{k} {v:.3f}" for k, v in loop.history[-1].items()), file=sys.stderr)
    g = len(per_gen)
    print(f"bench-2d peer: PyTorch {torch.__version__}, {M} models one after another in one process, "
          f"{g} generations timed, torch threads {torch.get_num_threads()}, "
          f"OMP_WAIT_POLICY={os.environ['OMP_WAIT_POLICY']} "
          f"OPENBLAS_NUM_THREADS={os.environ['OPENBLAS_NUM_THREADS']}")
    print(f"reward model: pair agreement with r(x) = x_1 on real pairs {loop.rm_agreement:.3f}")
    print(f"set-up and generation 0: {setup:.2f}s")
    total = sum(secs.values())
    print(f"{'phase':>9}  {'s/generation':>12}  {'share':>6}")
    for p in PHASES:
        print(f"{p:>9}  {secs[p] / g:12.4f}  {100 * secs[p] / total:5.1f}%")
    for name in "abc":
        print(f"model {name}: mean true reward {loop.history[0][name]:.3f} -> {loop.history[-1][name]:.3f}")
    s = sorted(per_gen)
    med = s[g // 2] if g % 2 else (s[g // 2 - 1] + s[g // 2]) / 2
    print(f"generations_per_second: {1 / med:.3f}")


if __name__ == "__main__":
    main()
