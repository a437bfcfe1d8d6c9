"""Times one scikit-learn GaussianMixture EM iteration on the problem benches/em.rs times.

Run `cargo bench --bench em` first: it writes target/em_bench/points.txt (100,000 2-D points)
and target/em_bench/init.txt (the starting mixture, one component per line:
weight, mean x, mean y, cov xx, cov xy, cov yy). This script starts scikit-learn from that same
mixture (weights_init, means_init, precisions_init), times its internal _e_step + _m_step
(exactly one EM iteration, as GaussianMixture.fit runs it) and prints the median per
iteration, plus fit(max_iter=m)/m as a cross-check.

It reads the Rust figure from target/em_bench/genplay_ms.txt and prints the ratio:
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benches/peers/em_sklearn.py

`em_sklearn.py grid-one DIR` times one size of benches/em-grid.mjs's grid from the problem
`cargo bench --bench em -- grid-one N K` wrote to DIR (points.f64, init.txt) and prints one JSON
line: the median per iteration and the mean log-likelihood after 10 iterations from that start.
"""

import json
import pathlib
import sys
import time
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import GaussianMixture

ROOT = pathlib.Path(__file__).resolve().parents[2]
WARM_UP, TIMED, FIT_ITER = 3, 30, 20


def read_start(path):
    init = np.loadtxt(path, ndmin=2)
    weights, means = init[:, 0], init[:, 1:3]
    covariances = np.array([[[c[3], c[4]], [c[4], c[5]]] for c in init])
    return weights, means, np.array([np.linalg.inv(c) for c in covariances])


def grid_one(folder):
    folder = pathlib.Path(folder)
    x = np.fromfile(folder / "points.f64", dtype="<f8").reshape(-1, 2)
    weights, means, precisions = read_start(folder / "init.txt")

    def model(max_iter):
        return GaussianMixture(
            n_components=len(weights), covariance_type="full", tol=0.0, max_iter=max_iter,
            weights_init=weights, means_init=means, precisions_init=precisions,
        )

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        # lower_bound_ after fit(max_iter=10) is the tenth E-step's mean log-likelihood.
        log_likelihood = float(model(10).fit(x).lower_bound_)
        gm = model(1).fit(x)

        def iterations(count):
            start = time.perf_counter()
            for _ in range(count):
                _, log_resp = gm._e_step(x)
                gm._m_step(x, log_resp)
            return (time.perf_counter() - start) * 1e3 / count

        # As benches/em.rs: a millisecond or more per sample, 5 to 15 samples.
        iterations(1)
        first = max(iterations(1), 1e-4)
        per_sample = int(np.ceil(1 / first))
        samples = min(15, max(5, int(1000 / (first * per_sample))))
        times = [iterations(per_sample) for _ in range(samples)]
    print(json.dumps({
        "tool": "scikit-learn", "n": len(x), "k": len(weights),
        "ms": float(np.median(times)), "samples": samples, "iterations_per_sample": per_sample,
        "log_likelihood_after_10": log_likelihood,
    }))


def main():
    x = np.loadtxt(ROOT / "target/em_bench/points.txt")
    weights, means, precisions = read_start(ROOT / "target/em_bench/init.txt")
    k = len(weights)

    def model(max_iter):
        return GaussianMixture(
            n_components=k, covariance_type="full", tol=0.0, max_iter=max_iter,
            weights_init=weights, means_init=means, precisions_init=precisions,
        )

    gm = model(1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        gm.fit(x)  # sets up the fitted attributes; one iteration from the shared start
        times = []
        for i in range(WARM_UP + TIMED):
            start = time.perf_counter()
            _, log_resp = gm._e_step(x)
            gm._m_step(x, log_resp)
            if i >= WARM_UP:
                times.append((time.perf_counter() - start) * 1e3)
        step_ms = float(np.median(times))
        start = time.perf_counter()
        model(FIT_ITER).fit(x)
        fit_ms = (time.perf_counter() - start) * 1e3 / FIT_ITER
    print(f"scikit-learn, N = {len(x)}, K = {k}, full, f64: {step_ms:.3f} ms per iteration "
          f"(median of {TIMED} _e_step + _m_step); fit(max_iter={FIT_ITER})/{FIT_ITER}: {fit_ms:.3f} ms")
    # The browser bench (benches/browser/em.mjs) reads this to print its ratio from the same run.
    (ROOT / "target/em_bench/sklearn_ms.txt").write_text(f"{step_ms:.6f}\n")
    ours_file = ROOT / "target/em_bench/genplay_ms.txt"
    if ours_file.exists():
        ours = float(ours_file.read_text())
        print(f"genplay fast kernel: {ours:.3f} ms; scikit-learn / genplay = {step_ms / ours:.1f}x "
              f"(target ≥ 15x)")


if __name__ == "__main__":
    if sys.argv[1:2] == ["grid-one"]:
        grid_one(sys.argv[2])
    else:
        main()
