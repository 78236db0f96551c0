#!/usr/bin/python3
"""bench-seq in PyTorch: the peer of `selfconsume bench configs/bench-seq.yaml`.

The same workload as the Go loop on configs/bench-seq.yaml: 3 autoregressive generators of
sequences of 4 tokens over 8 (4096 per prompt), 4 prompts; generator input one-hot(prompt) ++
one-hot(position) ++ one-hot of each of the 3 previous tokens (8 tokens + padding) = 35 ->
128 -> 128 -> 8 (ReLU), float32, teacher forcing (a batch of B sequences is 4B rows, loss the
mean sequence negative log-likelihood); the exact law of each model is enumerated along the
prefix tree every generation (4 x 4096 table); real data from a sparse Markov chain per prompt
(3 successors per token, Dirichlet(1) weights); one random-reward population (per prompt,
position and token N(0, 1), summed over positions); a learned reward model one-hot(prompt) ++
one-hot(token at each position) -> 128 -> 128 -> 1 fitted once (300 Bradley-Terry steps of 256
uniform pairs); generation 0: 200 Adam steps on 4096 real sequences; every later generation each
model curates 4096 groups of K = 4 candidates drawn from its table (Luce, temperature 1) and
retrains, warm-started with a fresh Adam, on 2048 real + 683/683/682 curated sequences, 2 epochs,
batch 256, lr 1e-3. Metrics (minimal): exact expected true reward and kl_real from the tables.

Last line: `generations_per_second: X`, the median over timed generations of 1 / wall time
(set-up and generation 0 excluded), as in `selfconsume bench`.
"""

import argparse
import os
import time

p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
p.add_argument("-n", "--generations", type=int, default=20)
p.add_argument("--threads", type=int, default=1)
p.add_argument("--seed", type=int, default=1)
p.add_argument("--quiet", action="store_true")
ARGS = p.parse_args()
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
os.environ.setdefault("OMP_NUM_THREADS", str(ARGS.threads))
os.environ.setdefault("OPENBLAS_NUM_THREADS", str(ARGS.threads))

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from torch import nn  # noqa: E402

C, V, L, W = 4, 8, 4, 3     # prompts, tokens, length, window
S = V ** L                  # sequences per prompt
HIDDEN = (128, 128)
M, N = 3, 4096
EPOCHS, BATCH, LR, INIT_STEPS = 2, 256, 1e-3, 200
K, TAU, POOL = 4, 1.0, 4096
RM_STEPS, RM_BATCH, RM_LR = 300, 256, 1e-3
SUCCESSORS = 3
COUNTS = [2048, 683, 683, 682]  # real, curated a, b, c (data.Apportion of 0.5, 1/6, 1/6, 1/6)
FIN = C + L + W * (V + 1)
DIGITS = np.stack([(np.arange(S) // V ** (L - 1 - t)) % V for t in range(L)], axis=1)  # S x L


def mlp(sizes):
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        if i + 2 < len(sizes):
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


def states(ctx, toks):
    """Teacher-forcing inputs: for n sequences (prompts ctx, tokens n x L), n*L rows."""
    n = len(ctx)
    x = torch.zeros(n, L, FIN)
    ar = torch.arange(n)
    for t in range(L):
        x[ar, t, ctx] = 1
        x[:, t, C + t] = 1
        for k in range(1, W + 1):
            y = toks[:, t - k] if t - k >= 0 else torch.full((n,), V, dtype=torch.long)
            x[ar, t, C + L + (k - 1) * (V + 1) + y] = 1
    return x.reshape(n * L, FIN)


def table(net):
    """Exact C x S law along the prefix tree, float64."""
    out = np.zeros((C, S))
    with torch.no_grad():
        for c in range(C):
            prob = np.ones(1)
            for t in range(L):
                n = V ** t
                pre = torch.as_tensor(np.stack([(np.arange(n) // V ** (t - 1 - j)) % V for j in range(t)], axis=1)
                                      if t > 0 else np.zeros((1, 0)), dtype=torch.long)
                x = torch.zeros(n, FIN)
                x[:, c] = 1
                x[:, C + t] = 1
                for k in range(1, W + 1):
                    y = pre[:, t - k] if t - k >= 0 else torch.full((n,), V, dtype=torch.long)
                    x[torch.arange(n), C + L + (k - 1) * (V + 1) + y] = 1
                cond = torch.softmax(net(x).double(), dim=1).numpy()
                prob = (prob[:, None] * cond).ravel()
            out[c] = prob
    return out


def draw(rng, tab, ctx, k=None):
    cdf = np.cumsum(tab, axis=1)
    cdf /= cdf[:, -1:]
    u = rng.random(ctx.shape if k is None else (len(ctx), k))
    c = ctx if k is None else ctx[:, None]
    return np.minimum((cdf[c] < u[..., None]).sum(-1), S - 1)


def fit(net, opt, ctx, seqs, steps=None, rng=None):
    n = len(ctx)
    ctx_t, toks = torch.as_tensor(ctx), torch.as_tensor(DIGITS[seqs])
    batches = []
    if steps is not None:
        batches = [rng.integers(0, n, BATCH) for _ in range(steps)]
    else:
        for _ in range(EPOCHS):
            order = rng.permutation(n)
            batches += [order[i:i + BATCH] for i in range(0, n, BATCH)]
    for idx in batches:
        idx = torch.as_tensor(idx)
        logits = net(states(ctx_t[idx], toks[idx]))
        loss = F.cross_entropy(logits, toks[idx].reshape(-1), reduction="sum") / len(idx)
        opt.zero_grad()
        loss.backward()
        if not torch.isfinite(loss):
            raise SystemExit("non-finite loss")
        opt.step()


def main():
    torch.set_num_threads(ARGS.threads)
    torch.manual_seed(ARGS.seed)
    rng = np.random.default_rng(ARGS.seed)
    # Real law: a sparse Markov chain per prompt, enumerated.
    real = np.zeros((C, S))
    for c in range(C):
        first = rng.dirichlet(np.ones(V))
        trans = np.zeros((V, V))
        for y in range(V):
            trans[y, rng.permutation(V)[:SUCCESSORS]] = rng.dirichlet(np.ones(SUCCESSORS))
        pr = first[DIGITS[:, 0]]
        for t in range(1, L):
            pr = pr * trans[DIGITS[:, t - 1], DIGITS[:, t]]
        real[c] = pr
    R = rng.normal(size=(C, L, V))
    truth = np.stack([R[c, np.arange(L), DIGITS].sum(1) for c in range(C)])
    # Reward model, fitted once, tabulated.
    rm = mlp((C + L * V,) + HIDDEN + (1,))
    ropt = torch.optim.Adam(rm.parameters(), lr=RM_LR)

    def rfeat(ctx, seqs):
        x = torch.zeros(len(ctx), C + L * V)
        ar = torch.arange(len(ctx))
        x[ar, torch.as_tensor(ctx)] = 1
        d = torch.as_tensor(DIGITS[seqs])
        for t in range(L):
            x[ar, C + t * V + d[:, t]] = 1
        return x
    for _ in range(RM_STEPS):
        c = rng.integers(0, C, RM_BATCH)
        a, b = rng.integers(0, S, RM_BATCH), rng.integers(0, S, RM_BATCH)
        pa = 1 / (1 + np.exp(-(truth[c, a] - truth[c, b])))
        win = rng.random(RM_BATCH) < pa
        w, lo = np.where(win, a, b), np.where(win, b, a)
        loss = F.softplus(rm(rfeat(c, lo)) - rm(rfeat(c, w))).mean()
        ropt.zero_grad()
        loss.backward()
        ropt.step()
    with torch.no_grad():
        cur = rm(rfeat(np.repeat(np.arange(C), S), np.tile(np.arange(S), C))).double().numpy().reshape(C, S)
    nets = [mlp((FIN,) + HIDDEN + (V,)) for _ in range(M)]
    for net in nets:
        ctx = rng.integers(0, C, N)
        fit(net, torch.optim.Adam(net.parameters(), lr=LR), ctx, draw(rng, real, ctx), steps=INIT_STEPS, rng=rng)
    tabs = [table(net) for net in nets]  # generation 0's laws, as the Go loop freezes them
    times = []
    for g in range(1, ARGS.generations + 1):
        t0 = time.perf_counter()
        pools = []
        for tab in tabs:
            ctx = rng.integers(0, C, POOL)
            cand = draw(rng, tab, ctx, K)
            sc = cur[ctx[:, None], cand] / TAU
            w = np.exp(sc - sc.max(1, keepdims=True))
            u = rng.random(POOL) * w.sum(1)
            kept = np.minimum((np.cumsum(w, 1) < u[:, None]).sum(1), K - 1)
            pools.append((ctx, cand[np.arange(POOL), kept]))
        for i, net in enumerate(nets):
            ctx = rng.integers(0, C, COUNTS[0])
            parts_c, parts_s = [ctx], [draw(rng, real, ctx)]
            for j in range(M):
                sel = rng.choice(POOL, COUNTS[1 + j], replace=False)
                parts_c.append(pools[j][0][sel])
                parts_s.append(pools[j][1][sel])
            fit(net, torch.optim.Adam(net.parameters(), lr=LR), np.concatenate(parts_c), np.concatenate(parts_s), rng=rng)
        tabs = [table(net) for net in nets]
        with np.errstate(divide="ignore", invalid="ignore"):
            metrics = [((tab * truth).sum(1).mean(), np.where(real > 0, real * np.log(real / tab), 0).sum(1).mean())
                       for tab in tabs]
        times.append(time.perf_counter() - t0)
        if not ARGS.quiet:
            print(f"generation {g}: {times[-1]:.3f} s, reward {metrics[0][0]:.4f}, kl_real {metrics[0][1]:.4f}")
    print(f"generations_per_second: {1 / float(np.median(times)):.4f}")


if __name__ == "__main__":
    main()
