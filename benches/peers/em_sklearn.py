"""Times one scikit-learn GaussianMixture EM iteration on the problem benches/em.rs times.

Run `cargo bench --bench em` first: it writes target/em_bench/points.txt (100,000 2-D points)
and target/em_bench/init.txt (the starting mixture, one component per line:
weight, mean x, mean y, cov xx, cov xy, cov yy). This script starts scikit-learn from that same
mixture (weights_init, means_init, precisions_init), times its internal _e_step + _m_step
(exactly one EM iteration, as GaussianMixture.fit runs it) and prints the median per
iteration, plus fit(max_iter=m)/m as a cross-check.

It reads the Rust figure from target/em_bench/genplay_ms.txt and prints the ratio:
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benches/peers/em_sklearn.py
"""

import pathlib
import time
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import GaussianMixture

ROOT = pathlib.Path(__file__).resolve().parents[2]
WARM_UP, TIMED, FIT_ITER = 3, 30, 20


def main():
    x = np.loadtxt(ROOT / "target/em_bench/points.txt")
    init = np.loadtxt(ROOT / "target/em_bench/init.txt")
    weights, means = init[:, 0], init[:, 1:3]
    covariances = np.array([[[c[3], c[4]], [c[4], c[5]]] for c in init])
    precisions = np.array([np.linalg.inv(c) for c in covariances])
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
    main()
