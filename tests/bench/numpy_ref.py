#!/usr/bin/python3
"""Plain numpy reference for gradscope's model, for the benchmark.

The same network as the engine, done the way a notebook would: explicit
n x n weight matrices, drawn anew on every recompute.

    a[0] = ones(n); z[l] = W[l] a[l-1]; a[l] = phi(z[l])
    g[L] = ones(n); e[l] = phi'(z[l]) * g[l]; g[l-1] = W[l]^T e[l]

Per layer it records activation_rms = rms(a[l]), gradient_rms = rms(g[l])
and weight_gradient_rms = rms(e[l] a[l-1]^T) = rms(e[l]) * rms(a[l-1]).

Run it with Debian's /usr/bin/python3 (it has numpy) and with
OPENBLAS_NUM_THREADS=1 so that it uses one core, like the engine.

Modes:
  --info   print the numpy version and the BLAS library it loaded
  --csv    one recompute, printed in gradscope --dump's CSV format
  default  time whole recomputes (drawing the weights included) until at
           least --runs runs and --seconds seconds; print
           "median_ms=<ms> runs=<count>"
"""

import argparse
import os
import sys
import time

import numpy as np

def activate(act, z):
    """phi(z) and phi'(z), sharing the work between them."""
    if act == "linear":
        return z, np.ones_like(z)
    if act == "tanh":
        a = np.tanh(z)
        return a, 1.0 - a * a
    if act == "relu":
        return np.maximum(z, 0.0), (z > 0.0).astype(z.dtype)
    a = 1.0 / (1.0 + np.exp(-z))
    return a, a * (1.0 - a)


ACTIVATIONS = ("linear", "tanh", "relu", "sigmoid")
INITS = ("identity", "gaussian", "orthogonal")

# Keeping every W, as a notebook would, takes depth * n^2 * 8 bytes: 8 GiB
# for the benchmark's largest rows (depth 1000, width 1024). Past that the
# backward pass draws each W again from the generator state saved in the
# forward pass: the same numbers, less memory, more time.
WEIGHT_BUDGET_BYTES = 8 << 30


def draw_weight(init, n, lam, rng):
    if init == "identity":
        return lam * np.eye(n)
    if init == "gaussian":
        return rng.standard_normal((n, n)) * (lam / np.sqrt(n))
    q, r = np.linalg.qr(rng.standard_normal((n, n)))
    q *= np.sign(np.diag(r))  # makes Q Haar-distributed
    return lam * q


def rms(v):
    return np.sqrt(np.dot(v, v) / v.size)


def recompute(depth, n, init, act, lam, seed):
    """Returns (activation_rms, gradient_rms, weight_gradient_rms), each of
    depth + 1 entries; weight_gradient_rms[0] is nan (no weights)."""
    rng = np.random.default_rng(seed)
    keep = depth * n * n * 8 <= WEIGHT_BUDGET_BYTES
    weights = [None] * (depth + 1)
    states = [None] * (depth + 1)
    slopes = [None] * (depth + 1)
    act_rms = np.empty(depth + 1)
    grad_rms = np.empty(depth + 1)
    wgrad_rms = np.full(depth + 1, np.nan)

    a = np.ones(n)
    act_rms[0] = rms(a)
    for l in range(1, depth + 1):
        if not keep:
            states[l] = rng.bit_generator.state
        w = draw_weight(init, n, lam, rng)
        if keep:
            weights[l] = w
        z = w @ a
        a, slopes[l] = activate(act, z)
        act_rms[l] = rms(a)

    g = np.ones(n)
    grad_rms[depth] = rms(g)
    for l in range(depth, 0, -1):
        if keep:
            w = weights[l]
        else:
            rng.bit_generator.state = states[l]
            w = draw_weight(init, n, lam, rng)
        e = slopes[l] * g
        wgrad_rms[l] = rms(e) * act_rms[l - 1]
        g = w.T @ e
        grad_rms[l - 1] = rms(g)
    return act_rms, grad_rms, wgrad_rms


def fmt(x):
    if x == 0.0:
        return "0"
    return "%.6e" % x  # "inf" and "nan" come out as such


def print_csv(result):
    act_rms, grad_rms, wgrad_rms = result
    print("layer,activation_rms,gradient_rms,weight_gradient_rms")
    for l in range(act_rms.size):
        wg = "" if l == 0 else fmt(wgrad_rms[l])
        print("%d,%s,%s,%s" % (l, fmt(act_rms[l]), fmt(grad_rms[l]), wg))


def blas_library():
    """The BLAS shared object numpy actually loaded, from our own maps."""
    np.dot(np.ones((2, 2)), np.ones((2, 2)))
    try:
        with open("/proc/self/maps") as f:
            for line in f:
                path = line.split()[-1]
                if "blas" in os.path.basename(path) or "blis" in path or "mkl" in path:
                    return os.path.realpath(path)
    except OSError:
        pass
    return "unknown"


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--depth", type=int, default=150)
    p.add_argument("--width", type=int, default=2)
    p.add_argument("--init", choices=INITS, default="identity")
    p.add_argument("--act", choices=ACTIVATIONS, default="tanh")
    p.add_argument("--lambda", dest="lam", type=float, default=1.0)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--seconds", type=float, default=1.0)
    p.add_argument("--csv", action="store_true")
    p.add_argument("--info", action="store_true")
    args = p.parse_args()

    if args.info:
        print("numpy %s, BLAS %s" % (np.__version__, blas_library()))
        return 0
    if args.csv:
        print_csv(recompute(args.depth, args.width, args.init, args.act,
                            args.lam, args.seed))
        return 0

    # Lambda alternates so that every run is a real recompute, as in the
    # engine's timing.
    times = []
    start = time.perf_counter()
    while len(times) < args.runs or time.perf_counter() - start < args.seconds:
        lam = args.lam * (1.001 if len(times) % 2 else 1.0)
        t0 = time.perf_counter()
        recompute(args.depth, args.width, args.init, args.act, lam, args.seed)
        times.append((time.perf_counter() - t0) * 1e3)
        if len(times) >= 10000:
            break
    print("median_ms=%.6f runs=%d" % (float(np.median(times)), len(times)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
