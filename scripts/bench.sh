#!/usr/bin/env bash
# The speed figures behind the README's performance table. Each goal is printed beside the peer it
# is compared with, measured in this same run on this machine: native Rust against scikit-learn and
# PyTorch, and the wasm build in headless Chromium. Takes a few minutes; nothing here is a test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --browser

# The peers run in a private virtual environment, so the system Python is left alone.
venv=target/bench-venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
# PyTorch from PyPI is the CUDA build (about 5 GB with its libraries, a few minutes once); it runs
# on the CPU here, which is what the GAN goal is compared with.
"$venv/bin/pip" install --quiet --disable-pip-version-check numpy scikit-learn torch
# OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE are set on some of these machines to dodge old OpenBLAS bugs;
# they slow a current numpy, so the peers run without them.
peer() { env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$venv/bin/python" "$@"; }

# The Vulkan loader (the GPU figures) wants a runtime directory; a fresh machine may have none.
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-$(mktemp -d)}

echo "== EM, native: one iteration (E + M), N = 100,000, K = 8, full covariance; then CPU and GPU"
echo "   per iteration at N = 10,000, 100,000 and 1,000,000 (the E-step on the GPU, the M-step on the CPU)"
cargo bench --quiet --bench em
peer benches/peers/em_sklearn.py

echo "== GAN, native: one iteration (1 D step + 1 G step), 2x64 hidden, batch 256, Adam"
cargo bench --quiet --bench gan
peer benches/peers/gan_torch.py

echo "== GAN and VAE, native: CPU against the GPU through Vulkan (lavapipe where there is no GPU)"
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-$(mktemp -d)}
cargo bench --quiet --bench gpu_nn

echo "== wasm in headless Chromium"
scripts/build-wasm.sh >/dev/null
node benches/browser.mjs
