#!/usr/bin/env python3
"""Reference timings for bench/semidiscrete-score.bench.mjs: seconds of the fastest training step of the
semidiscrete dual [mousavi2025semidiscrete] in torch (float32, CPU), the same work as one step of
sinkflow's solveSemidiscrete:

- draw a batch x ~ N(0, I) (batch x d),
- scores s = x Y^T + h (torch.mm, float32),
- hard: the row argmax and the counts of each point (torch.bincount); entropic: pi = softmax(s / eps)
  per row and its column sums,
- an Adam step on g.

Run with Debian's interpreter (/usr/bin/python3, python3-torch). Y is drawn here with numpy (the
same distribution as the node side, not the same numbers: the timing does not depend on them).
Prints one JSON object per line: {"library", "mode", "n", "d", "batch", "threads", "seconds_per_step"}.
"""
import argparse
import json
import time

import numpy as np


def time_steps(y, batch, steps, mode, epsilon, threads):
    import torch

    torch.set_num_threads(threads)
    generator = torch.Generator().manual_seed(0)
    Y = torch.from_numpy(y)
    n, d = Y.shape
    g = torch.zeros(n)
    m = torch.zeros(n)
    v = torch.zeros(n)
    b = torch.full((n,), 1.0 / n)
    durations = []
    with torch.no_grad():
        for step in range(1, steps + 1):
            start = time.perf_counter()
            x = torch.randn(batch, d, generator=generator)
            s = torch.addmm(g[None, :], x, Y.T)
            if mode == "hard":
                sums = torch.bincount(torch.argmax(s, dim=1), minlength=n).to(torch.float32)
            else:
                sums = torch.softmax(s / epsilon, dim=1).sum(dim=0)
            gradient = b - sums / batch
            m.mul_(0.9).add_(gradient, alpha=0.1)
            v.mul_(0.999).addcmul_(gradient, gradient, value=0.001)
            g.add_(0.01 * (m / (1 - 0.9**step)) / ((v / (1 - 0.999**step)).sqrt() + 1e-12))
            durations.append(time.perf_counter() - start)
    return min(durations)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=60000)
    parser.add_argument("--dims", default="784,64")
    parser.add_argument("--batch", type=int, default=1024)
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--relative-epsilon", type=float, default=0.05,
                        help="eps = this x sqrt(d / 3), about std(<x, y>) for x ~ N(0, I), y ~ U[0, 1)^d")
    args = parser.parse_args()
    for d in [int(value) for value in args.dims.split(",")]:
        rng = np.random.default_rng(1)
        y = rng.random((args.n, d), dtype=np.float32)
        for mode in ["hard", "entropic"]:
            epsilon = args.relative_epsilon * np.sqrt(d / 3)
            time_steps(y, args.batch, 1, mode, epsilon, args.threads)
            seconds = min(
                time_steps(y, args.batch, args.steps, mode, epsilon, args.threads)
                for _ in range(args.repeats)
            )
            print(json.dumps({"library": "torch", "mode": mode, "n": args.n, "d": d, "batch": args.batch,
                              "threads": args.threads, "seconds_per_step": seconds}), flush=True)


if __name__ == "__main__":
    main()
