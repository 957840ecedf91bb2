#!/usr/bin/env python3
"""Reference timings for bench/sinkhorn-kernels.bench.ts: seconds per Sinkhorn iteration
(one column pass + one row pass) of

- POT ``ot.sinkhorn(..., method="sinkhorn_log")`` in float32 on the dense cost matrix
  (numpy backend; the time of building the cost is excluded), and
- a torch "online" log-sum-exp: the kernel X Y^T recomputed block by block (torch.mm, float32)
  followed by torch.logsumexp, as the paper's online mode does on GPU.

Run with Debian's interpreter (/usr/bin/python3, packages python3-pot and python3-torch).
Prints one JSON object per line: {"library", "n", "d", "threads", "seconds_per_iteration"}.
"""
import argparse
import json
import time

import warnings

import numpy as np

warnings.filterwarnings("ignore", message="Sinkhorn did not converge")


def clouds(n, d, seed):
    rng = np.random.default_rng(seed)
    scale = 1.0 / np.sqrt(d)
    return (rng.standard_normal((n, d)) * scale).astype(np.float32), (rng.standard_normal((n, d)) * scale).astype(np.float32)


def time_pot(x, y, epsilon, iterations):
    import ot

    n = x.shape[0]
    a = np.full(n, 1.0 / n, dtype=np.float32)
    cost = (-x @ y.T).astype(np.float32)  # the dot-product cost, as sinkflow's default
    ot.sinkhorn(a, a, cost, epsilon, method="sinkhorn_log", numItermax=2, stopThr=0.0)
    start = time.perf_counter()
    ot.sinkhorn(a, a, cost, epsilon, method="sinkhorn_log", numItermax=iterations, stopThr=0.0)
    return (time.perf_counter() - start) / iterations


def time_torch(x, y, epsilon, iterations, threads, block=1024, device="cpu"):
    import torch

    torch.set_num_threads(threads)
    X = torch.from_numpy(x).to(device)
    Y = torch.from_numpy(y).to(device)
    n, m = X.shape[0], Y.shape[0]
    f = torch.zeros(n, device=device)
    g = torch.zeros(m, device=device)
    synchronize = torch.cuda.synchronize if device.startswith("cuda") else (lambda: None)

    def soft_max(A, B, h):
        out = torch.empty(A.shape[0], device=device)
        for start in range(0, A.shape[0], block):
            kernel = A[start:start + block] @ B.T
            out[start:start + block] = epsilon * torch.logsumexp((kernel + h[None, :]) / epsilon, dim=1)
        return out

    def iteration(f, g):
        g = -soft_max(Y, X, f)
        f = -soft_max(X, Y, g)
        return f, g

    with torch.no_grad():
        f, g = iteration(f, g)
        synchronize()
        start = time.perf_counter()
        for _ in range(iterations):
            f, g = iteration(f, g)
        synchronize()
        return (time.perf_counter() - start) / iterations


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="4096")
    parser.add_argument("--dims", default="2,64,256")
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--epsilon", type=float, default=0.05)
    parser.add_argument("--pot-max", type=int, default=8192, help="largest n for POT (dense n x n float32)")
    parser.add_argument("--device", default="cpu", help="torch device of the online kernel (cuda on a GPU machine)")
    parser.add_argument("--no-pot", action="store_true", help="time the torch kernel only")
    parser.add_argument("--seconds", type=float, default=1.0, help="target time per measurement")
    args = parser.parse_args()
    for n in [int(v) for v in args.sizes.split(",")]:
        for d in [int(v) for v in args.dims.split(",")]:
            x, y = clouds(n, d, 1)
            if n <= args.pot_max and not args.no_pot:
                first = time_pot(x, y, args.epsilon, 2)
                iterations = max(2, min(50, int(args.seconds / max(first, 1e-4))))
                seconds = time_pot(x, y, args.epsilon, iterations)
                print(json.dumps({"library": "pot", "n": n, "d": d, "threads": 1, "seconds_per_iteration": seconds}), flush=True)
            for threads in [int(v) for v in args.threads.split(",")]:
                first = time_torch(x, y, args.epsilon, 1, threads, device=args.device)
                iterations = max(2, min(50, int(args.seconds / max(first, 1e-4))))
                seconds = time_torch(x, y, args.epsilon, iterations, threads, device=args.device)
                print(json.dumps({"library": "torch", "device": args.device, "n": n, "d": d, "threads": threads, "seconds_per_iteration": seconds}), flush=True)


if __name__ == "__main__":
    main()
