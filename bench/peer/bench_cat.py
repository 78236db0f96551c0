#!/usr/bin/python3
"""bench-cat in PyTorch: the peer the Go harness is benchmarked against.

The same workload as `selfconsume bench configs/bench-cat.yaml` (the Go loop in
train/loop.go): 3 categorical models, 16 contexts, 64 tokens,
generator one-hot(16) -> 128 -> 128 -> 64 (ReLU), float32; one random-reward population;
a learned reward model one-hot(c) ++ one-hot(y) -> 128 -> 128 -> 1 fitted once with the
Bradley-Terry loss; generation 0 fits real data; every later generation each model curates
4096 samples (K = 4 candidates per context, Luce choice at temperature 1) and retrains,
warm-started with a fresh Adam, on 2048 real + 683/683/682 curated samples, 2 epochs,
batch 256, lr 1e-3. Exact metrics every generation from the full tables.

The three models run one after another in this one process (the Go harness trains them in
parallel goroutines); torch's intra-op threads (--threads) are the only parallelism.

Training, two ways:
  default   the usual way: a B x 16 one-hot batch through the MLP, cross-entropy (mean).
  --trick   the exact "one row per context" loss, which the Go harness uses: the
            network runs on the 16 context rows and the log-softmax is weighted by the
            minibatch's (context, token) counts / B. Same loss, same gradient.

Last line: `generations_per_second: X`, the median over timed generations of 1 / wall time
(set-up and generation 0 excluded), as in `selfconsume bench`.

Use Debian's /usr/bin/python3 (python3-torch, see setup.sh).
"""

import argparse
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("-n", "--generations", type=int, default=20,
                   help="generations to time, after set-up and generation 0 (default 20)")
    p.add_argument("--threads", type=int, default=1, help="torch.set_num_threads (default 1)")
    p.add_argument("--trick", action="store_true",
                   help="count-table loss on the 16 context rows (what the Go harness does)")
    p.add_argument("--fused-ce", action="store_true",
                   help="with --trick: the count-weighted loss as one F.cross_entropy call with "
                        "probability targets (as Go's fused CountCE op) instead of log_softmax, "
                        "a product and a sum")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--foreach", action="store_true",
                   help="Adam(foreach=True) (multi-tensor Adam; default: the single-tensor loop)")
    p.add_argument("--parity", action="store_true",
                   help="check that --trick and the usual loss give the same parameters after "
                        "50 Adam steps from the same start, then exit")
    p.add_argument("--workers", type=int, default=1,
                   help="models trained (and curated, tabulated) at once in a thread pool; 1 = one "
                        "after another (default)")
    p.add_argument("--quiet", action="store_true", help="no per-generation lines")
    p.add_argument("--metrics", choices=("minimal", "full"), default="minimal",
                   help="metric set, as the config key: minimal (reward, kl_real and the loop's "
                        "bookkeeping; configs/bench-cat.yaml) or full (default: minimal)")
    return p.parse_args()


ARGS = parse_args()
# Must be set before torch (and its OpenMP / OpenBLAS runtimes) load. Measured here: two torch
# threads are slow unless OMP_WAIT_POLICY=PASSIVE, and torch.set_num_threads does not cap the
# threads of Debian's pthread OpenBLAS. An explicit environment setting wins.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
os.environ.setdefault("OMP_NUM_THREADS", str(ARGS.threads))
os.environ.setdefault("OPENBLAS_NUM_THREADS", str(ARGS.threads))

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from torch import nn  # noqa: E402

# ---- bench-cat (configs/bench-cat.yaml) ----
C, V = 16, 64               # contexts, tokens
HIDDEN = (128, 128)
M = 3                       # models a, b, c; all curated by the one population
N = 4096                    # training samples per model per generation
EPOCHS, BATCH, LR = 2, 256, 1e-3
INIT_STEPS = 200            # generation 0, batches drawn with replacement
K, TAU, POOL = 4, 1.0, 4096
RM_STEPS, RM_BATCH, RM_LR = 300, 256, 1e-3
LABEL_TEMPERATURE = 1.0     # Bradley-Terry labels: a beats b w.p. sigmoid((r_a - r_b) / T)
CONCENTRATION = 1.0         # symmetric Dirichlet rows of the real table
HELDOUT = 4096              # real samples for heldout_nll (the Go config's default)
ZERO_MASS_FLOOR = 0.01      # zero_mass: real mass where p(y|c) < 0.01 / V
PHASES = ("score", "sample", "curate", "mix", "train", "metrics", "write")
SOURCES = ("real", "self-raw", "cross-raw", "self-curated", "cross-curated")


def apportion(n, weights):
    """Largest-remainder counts summing to n, ties to the lower index (data.Apportion)."""
    w = np.asarray(weights, dtype=np.float64)
    q = n * w / w.sum()
    counts = np.floor(q).astype(int)
    order = sorted(range(len(w)), key=lambda i: -(q[i] - counts[i]))  # stable
    k = 0
    while counts.sum() < n:
        i = order[k % len(order)]
        if w[i] > 0:
            counts[i] += 1
        k += 1
    return counts


# Model i's mix: [real, raw_a, raw_b, raw_c, curated_a, curated_b, curated_c].
COUNTS = apportion(N, [0.5, 0, 0, 0, 1 / 6, 1 / 6, 1 / 6])  # 2048, 0, 0, 0, 683, 683, 682


class TableSampler:
    """Draws tokens from every row of a C x V table by inverse CDF, vectorised over samples
    (the Go side uses one alias table per row)."""

    def __init__(self, table):
        cdf = np.cumsum(table, axis=1)
        cdf /= cdf[:, -1:]
        # Row c shifted by c, so one searchsorted serves every context.
        self.flat = (cdf + np.arange(table.shape[0])[:, None]).ravel()

    def draw(self, rng, ctx, shape=None):
        """Tokens for contexts ctx (shape (n,)); shape (n, k) draws k per context."""
        u = rng.random(shape if shape is not None else ctx.shape)
        c = ctx if shape is None else ctx[:, None]
        y = np.searchsorted(self.flat, u + c, side="right") - c * V
        return np.minimum(y, V - 1)


def sample_joint(rng, n, sampler):
    """n (context, token) pairs: contexts uniform, tokens from the sampler's table."""
    ctx = rng.integers(C, size=n)
    return ctx, sampler.draw(rng, ctx)


def mlp(sizes):
    """Dense layers with ReLU between them; nn.Linear's default init is uniform
    +-1/sqrt(fan_in) for weights and biases, as in the Go models/mlp.go."""
    layers = []
    for k in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[k], sizes[k + 1]))
        if k + 2 < len(sizes):
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


@torch.no_grad()
def forward64(net, x):
    """The network in float64 on the rows of x (Go's forwardRows: exact tables)."""
    h = x
    linears = [m for m in net if isinstance(m, nn.Linear)]
    for k, lin in enumerate(linears):
        h = torch.addmm(lin.bias.double(), h, lin.weight.double().t())
        if k + 1 < len(linears):
            h = h.clamp_min_(0)
    return h


def finite(loss, what, step):
    if not np.isfinite(loss):
        raise RuntimeError(f"{what}, step {step}: loss is {loss}")


class Generator:
    """p(y|c) = softmax(MLP(one-hot(c)))."""

    def __init__(self, name, trick):
        self.name = name
        self.trick = trick
        self.net = mlp((C,) + HIDDEN + (V,))
        self.params = list(self.net.parameters())
        self.eye = torch.eye(C)
        self.eye64 = torch.eye(C, dtype=torch.float64)
        self.opt = None

    def reset_optimizer(self):
        self.opt = torch.optim.Adam(self.params, lr=LR, foreach=ARGS.foreach or None)

    def _step(self, ctx_b, tok_b, key_b):
        if self.trick:
            # loss = -(1/B) sum_{c,y} count[c,y] log p(y|c): the network sees the C rows only.
            w = torch.bincount(key_b, minlength=C * V).to(torch.float32)
            w.mul_(1.0 / key_b.numel())
            if ARGS.fused_ce:
                loss = F.cross_entropy(self.net(self.eye), w.view(C, V), reduction="sum")
            else:
                logp = F.log_softmax(self.net(self.eye), dim=1)
                loss = -(w.view(C, V) * logp).sum()
        else:
            x = self.eye.index_select(0, ctx_b)           # B x C one-hot batch
            loss = F.cross_entropy(self.net(x), tok_b)    # mean over the batch
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        self.opt.step()
        return loss.item()

    def _tensors(self, ctx, tok):
        ctx_t = torch.from_numpy(ctx.astype(np.int64))
        tok_t = torch.from_numpy(tok.astype(np.int64))
        return ctx_t, tok_t, ctx_t * V + tok_t

    def fit(self, ctx, tok, rng):
        """EPOCHS shuffled passes in minibatches of BATCH (generation t >= 1)."""
        ctx_t, tok_t, key_t = self._tensors(ctx, tok)
        n, step, sum_ = len(ctx), 0, 0.0
        for _ in range(EPOCHS):
            order = torch.from_numpy(rng.permutation(n))
            sum_ = 0.0
            for lo in range(0, n, BATCH):
                idx = order[lo:lo + BATCH]
                if self.trick:
                    loss = self._step(None, None, key_t[idx])
                else:
                    loss = self._step(ctx_t[idx], tok_t[idx], None)
                step += 1
                finite(loss, f"model {self.name}", step)
                sum_ += loss
        return step, sum_ / ((n + BATCH - 1) // BATCH)

    def fit_steps(self, ctx, tok, steps, rng):
        """steps minibatches of BATCH drawn with replacement (generation 0)."""
        ctx_t, tok_t, key_t = self._tensors(ctx, tok)
        for s in range(steps):
            idx = torch.from_numpy(rng.integers(len(ctx), size=BATCH))
            if self.trick:
                loss = self._step(None, None, key_t[idx])
            else:
                loss = self._step(ctx_t[idx], tok_t[idx], None)
            finite(loss, f"model {self.name}, generation 0", s + 1)

    def table(self):
        """The exact table p(y|c), float64 from the float32 parameters."""
        return torch.softmax(forward64(self.net, self.eye64), dim=1).numpy()

    def flat_params(self):
        return torch.cat([p.detach().reshape(-1) for p in self.params]).numpy().astype(np.float64)


def fit_reward_model(rng, truth):
    """one-hot(c) ++ one-hot(y) -> 128 -> 128 -> 1, RM_STEPS Adam steps on RM_BATCH fresh
    pairs each (contexts and both tokens uniform, Bradley-Terry labels from the truth), loss
    mean softplus(r(loser) - r(winner)). Returns the learned reward table (float64)."""
    net = mlp((C + V,) + HIDDEN + (1,))
    opt = torch.optim.Adam(net.parameters(), lr=RM_LR)
    win = torch.zeros(RM_BATCH, C + V)
    lose = torch.zeros(RM_BATCH, C + V)
    rows = torch.arange(RM_BATCH)
    tail = []
    for s in range(RM_STEPS):
        c = rng.integers(C, size=RM_BATCH)
        a = rng.integers(V, size=RM_BATCH)
        b = rng.integers(V, size=RM_BATCH)
        p_a = 1 / (1 + np.exp(-(truth[c, a] - truth[c, b]) / LABEL_TEMPERATURE))
        a_wins = rng.random(RM_BATCH) < p_a
        w_tok, l_tok = np.where(a_wins, a, b), np.where(a_wins, b, a)
        c_t = torch.from_numpy(c)
        win.zero_()
        lose.zero_()
        win[rows, c_t] = 1
        win[rows, C + torch.from_numpy(w_tok)] = 1
        lose[rows, c_t] = 1
        lose[rows, C + torch.from_numpy(l_tok)] = 1
        loss = F.softplus(net(lose) - net(win)).mean()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        lv = loss.item()
        finite(lv, "reward model", s + 1)
        if s >= RM_STEPS - max(1, RM_STEPS // 10):
            tail.append(lv)
    x = torch.zeros(C * V, C + V, dtype=torch.float64)
    cells = torch.arange(C * V)
    x[cells, cells // V] = 1
    x[cells, C + cells % V] = 1
    table = forward64(net, x).view(C, V).numpy()
    return table, float(np.mean(tail))


def pair_agreement(learned, truth):
    """Share of within-context token pairs the learned reward orders like the truth."""
    agree = total = 0
    for c in range(C):
        dl = np.sign(learned[c][:, None] - learned[c][None, :])
        dt = np.sign(truth[c][:, None] - truth[c][None, :])
        mask = np.triu(np.ones((V, V), dtype=bool), 1) & (dt != 0)
        agree += int((dl[mask] == dt[mask]).sum())
        total += int(mask.sum())
    return agree / total


def curate(rng, sampler, reward):
    """POOL groups: a uniform context, K candidates from the model's table, one kept with
    probability softmax(reward / TAU) (Luce). Returns contexts, tokens and the choice's mean
    entropy and mean reward gap (kept minus mean of the rejected), as curate/choice.go."""
    ctx = rng.integers(C, size=POOL)
    cand = sampler.draw(rng, ctx, (POOL, K))
    r = reward[ctx[:, None], cand]                                  # POOL x K
    w = np.exp((r - r.max(axis=1, keepdims=True)) / TAU)
    p = w / w.sum(axis=1, keepdims=True)
    ent = -(p * np.log(p, where=p > 0, out=np.zeros_like(p))).sum(axis=1)
    u = rng.random(POOL)[:, None]
    kept = np.minimum((np.cumsum(p, axis=1) <= u).sum(axis=1), K - 1)
    rk = r[np.arange(POOL), kept]
    gap = rk - (r.sum(axis=1) - rk) / (K - 1)
    return ctx, cand[np.arange(POOL), kept], float(ent.mean()), float(gap.mean())


def kl_real(p, q, ctxw):
    """E_c KL(q||p) alone (the minimal metric set), as table_metrics computes it."""
    qlogq = np.where(q > 0, q * np.log(np.where(q > 0, q, 1) / p), 0.0)
    return (ctxw * qlogq.sum(axis=1)).sum()


def table_metrics(p, q, ctxw):
    """kl_real = E_c KL(q||p), tv_real, entropy (nats), zero_mass (train/metrics.go)."""
    qlogq = np.where(q > 0, q * np.log(np.where(q > 0, q, 1) / p), 0.0)
    kl = (ctxw * qlogq.sum(axis=1)).sum()
    tv = (ctxw * np.abs(p - q).sum(axis=1) / 2).sum()
    plogp = np.where(p > 0, p * np.log(np.where(p > 0, p, 1)), 0.0)
    ent = -(ctxw * plogp.sum(axis=1)).sum()
    zero = (ctxw * np.where(p < ZERO_MASS_FLOOR / V, q, 0.0).sum(axis=1)).sum()
    return kl, tv, ent, zero


# Random streams, one per (purpose, indices), like data.Stream: the numbers depend only on the
# seed, not on the order in which models run or on --workers.
REAL_DATA, INIT, REAL_SAMPLE, CURATE, MIX, TRAIN, LABELS, EVAL, REWARD = range(1, 10)


class Loop:
    def __init__(self, seed, trick, workers):
        self.seed = seed
        self.pool = ThreadPoolExecutor(workers) if workers > 1 else None
        self.ctxw = np.full(C, 1.0 / C)
        self.real = self.stream(REAL_DATA).dirichlet(np.full(V, CONCENTRATION), size=C)
        self.real_sampler = TableSampler(self.real)
        self.truth = self.stream(REWARD, 0).standard_normal((C, V))   # the population's N(0,1) reward
        self.heldout = sample_joint(self.stream(EVAL), HELDOUT, self.real_sampler)
        self.gens = []
        for i, name in enumerate("abc"):
            torch.manual_seed(seed * 1000 + i)
            self.gens.append(Generator(name, trick))
        torch.manual_seed(seed * 1000 + 999)
        self.curator, self.rm_loss = fit_reward_model(self.stream(LABELS, 0), self.truth)
        self.rm_agreement = pair_agreement(self.curator, self.truth)
        self.tables = None
        self.params = None
        self.history = []

    def stream(self, purpose, *idx):
        return np.random.default_rng([self.seed, purpose, *idx])

    def each(self, f):
        """f(i) for every model, in the worker pool or one after another."""
        if self.pool is None:
            return [f(i) for i in range(M)]
        return list(self.pool.map(f, range(M)))

    def generation_zero(self):
        def fit(i):
            ctx, tok = sample_joint(self.stream(REAL_SAMPLE, i, 0), N, self.real_sampler)
            g = self.gens[i]
            g.reset_optimizer()
            g.fit_steps(ctx, tok, INIT_STEPS, self.stream(TRAIN, i, 0))
            return ctx, tok, np.zeros(N, dtype=np.int8)
        self.finish(0, self.each(fit), None)

    def generation(self, t, secs):
        clock = [time.perf_counter()]

        def end(phase):
            now = time.perf_counter()
            secs[phase] += now - clock[0]
            clock[0] = now

        end("score")  # no reward-model refit in bench-cat
        samplers = self.each(lambda j: TableSampler(self.tables[j]))  # no raw pools (0 raw samples)
        end("sample")
        cur = self.each(lambda j: curate(self.stream(CURATE, j, t), samplers[j], self.curator))
        end("curate")

        def mix(i):
            ctx, tok = sample_joint(self.stream(REAL_SAMPLE, i, t), COUNTS[0], self.real_sampler)
            parts_c, parts_y, parts_s = [ctx], [tok], [np.zeros(COUNTS[0], dtype=np.int8)]
            for j in range(M):
                n = COUNTS[1 + M + j]
                sub = self.stream(MIX, i, t, j).choice(POOL, size=n, replace=False)
                parts_c.append(cur[j][0][sub])
                parts_y.append(cur[j][1][sub])
                parts_s.append(np.full(n, 3 if i == j else 4, dtype=np.int8))  # self/cross-curated
            return np.concatenate(parts_c), np.concatenate(parts_y), np.concatenate(parts_s)
        sets = self.each(mix)
        end("mix")

        def train(i):
            g = self.gens[i]
            g.reset_optimizer()                      # warm start, fresh Adam
            g.fit(sets[i][0], sets[i][1], self.stream(TRAIN, i, t))
        self.each(train)
        end("train")
        self.finish(t, sets, [(c[2], c[3]) for c in cur])
        end("metrics")
        end("write")  # no run folder in a bench

    def finish(self, t, sets, stats):
        tabs = self.each(lambda i: self.gens[i].table())
        params = [g.flat_params() for g in self.gens]
        hctx, htok = self.heldout
        rows = {}
        for i, p in enumerate(tabs):
            m = {}
            m["reward/human"] = (self.ctxw * (p * self.truth).sum(axis=1)).sum()
            full = ARGS.metrics == "full"
            if full:
                m["reward_model"] = (self.ctxw * (p * self.curator).sum(axis=1)).sum()
                m["kl_real"], m["tv_real"], m["entropy"], m["zero_mass"] = table_metrics(p, self.real, self.ctxw)
            else:
                m["kl_real"] = kl_real(p, self.real, self.ctxw)
            if t > 0:
                prev = self.tables[i]
                if full:
                    m["tv_prev"] = (self.ctxw * np.abs(p - prev).sum(axis=1) / 2).sum()
                d, b = params[i] - self.params[i], self.params[i]
                m["param_delta"] = np.sqrt((d * d).sum() / (b * b).sum())
            ctx, tok, src = sets[i]
            if full:
                m["train_nll"] = -np.log(p[ctx, tok]).mean()
                m["heldout_nll"] = -np.log(p[hctx, htok]).mean()
            if stats is not None:
                m["curation_entropy"], m["curation_gap"] = stats[i]
            share = np.bincount(src, minlength=len(SOURCES)) / len(src)
            for s, v in zip(SOURCES, share):
                m["share/" + s] = v
            rows[self.gens[i].name] = m
        self.tables, self.params = tabs, params
        self.history.append(rows)


def parity():
    """Same start, same 50 minibatches: usual loss vs count-table loss."""
    rng = np.random.default_rng(ARGS.seed)
    real = rng.dirichlet(np.full(V, CONCENTRATION), size=C)
    ctx, tok = sample_joint(rng, N, TableSampler(real))
    torch.manual_seed(ARGS.seed)
    plain, trick = Generator("plain", False), Generator("trick", True)
    trick.net.load_state_dict(plain.net.state_dict())
    plain.reset_optimizer()
    trick.reset_optimizer()
    plain.fit_steps(ctx, tok, 50, np.random.default_rng(7))
    trick.fit_steps(ctx, tok, 50, np.random.default_rng(7))
    a, b = plain.flat_params(), trick.flat_params()
    print(f"parity after 50 Adam steps: relative L2 difference of the parameters "
          f"{np.linalg.norm(a - b) / np.linalg.norm(a):.2e}, max |table difference| "
          f"{np.abs(plain.table() - trick.table()).max():.2e}")


def main():
    torch.set_num_threads(ARGS.threads)
    if ARGS.parity:
        parity()
        return
    t0 = time.perf_counter()
    loop = Loop(ARGS.seed, ARGS.trick, ARGS.workers)
    loop.generation_zero()
    setup = time.perf_counter() - t0
    secs = dict.fromkeys(PHASES, 0.0)
    per_gen = []
    for t in range(1, ARGS.generations + 1):
        s = time.perf_counter()
        loop.generation(t, secs)
        per_gen.append(time.perf_counter() - s)
        if not ARGS.quiet:
            a = loop.history[-1]["a"]
            print(f"generation {t:3d}  {per_gen[-1]:.4f}s  model a: reward {a['reward/human']:.3f}  "
                  f"kl_real {a['kl_real']:.3f}", file=sys.stderr)
    g = len(per_gen)
    mode = "count-table trick (16 context rows)" if ARGS.trick else "usual (B x 16 one-hot batch)"
    if ARGS.trick and ARGS.fused_ce:
        mode += ", loss as one cross_entropy call"
    how = (f"in a pool of {ARGS.workers} Python threads" if ARGS.workers > 1
           else "one after another")
    print(f"bench-cat peer: PyTorch {torch.__version__}, {M} models {how} in one process, "
          f"{g} generations timed, torch threads {torch.get_num_threads()}, "
          f"OMP_WAIT_POLICY={os.environ['OMP_WAIT_POLICY']} "
          f"OPENBLAS_NUM_THREADS={os.environ['OPENBLAS_NUM_THREADS']}, "
          f"Adam foreach={bool(ARGS.foreach)}, training: {mode}, metrics: {ARGS.metrics}")
    print(f"reward model: BT loss {loop.rm_loss:.3f}, pair agreement {loop.rm_agreement:.3f}")
    print(f"set-up and generation 0: {setup:.2f}s")
    total = sum(secs.values())
    print(f"{'phase':>9}  {'s/generation':>12}  {'share':>6}")
    for p in PHASES:
        print(f"{p:>9}  {secs[p] / g:12.4f}  {100 * secs[p] / total:5.1f}%")
    for name in "abc":
        h0, h1 = loop.history[0][name], loop.history[-1][name]
        print(f"model {name}: reward/human {h0['reward/human']:.3f} -> {h1['reward/human']:.3f}, "
              f"kl_real {h0['kl_real']:.3f} -> {h1['kl_real']:.3f}")
    s = sorted(per_gen)
    med = s[g // 2] if g % 2 else (s[g // 2 - 1] + s[g // 2]) / 2
    print(f"generations_per_second: {1 / med:.3f}")


if __name__ == "__main__":
    main()
