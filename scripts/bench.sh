#!/usr/bin/env bash
# The speed figures behind the README's performance table. Each goal is printed beside the peer it
# is compared with, measured in this same run on this machine: native Rust against scikit-learn and
# PyTorch, and the wasm build in headless Chromium. Takes a few minutes; nothing here is a test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --browser

# The peers run in a private virtual environment (numpy and scikit-learn, from the set-up), so the
# system Python is left alone. PyTorch from PyPI is the CUDA build (about 5 GB with its libraries,
# a few minutes once); it runs on the CPU here, for the GAN's peer, and only with BENCH_TORCH=1.
venv=target/bench-venv
if [ "${BENCH_TORCH:-0}" = 1 ]; then
  "$venv/bin/pip" install --quiet --disable-pip-version-check torch
fi
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
if "$venv/bin/python" -c "import torch" 2>/dev/null; then
  peer benches/peers/gan_torch.py
else
  echo "   (PyTorch not measured: BENCH_TORCH=1 make bench installs it, about 5 GB)"
fi

echo "== GAN and VAE, native: CPU against the GPU through Vulkan (lavapipe where there is no GPU)"
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-$(mktemp -d)}
cargo bench --quiet --bench gpu_nn

# TensorFlow.js, the browser peer (the diffusion bench), is installed here only: the tests need it
# not, and it is about 290 MB.
if [ ! -d node_modules/@tensorflow/tfjs-backend-webgpu ]; then
  npm install --no-save --no-audit --no-fund --loglevel=error \
    @tensorflow/tfjs@4.22.0 @tensorflow/tfjs-backend-wasm@4.22.0 \
    @tensorflow/tfjs-backend-webgpu@4.22.0
fi

echo "== wasm in headless Chromium"
scripts/build-wasm.sh >/dev/null
node benches/browser.mjs

echo "== EM over N x K, interleaved size by size: genplay native and wasm against scikit-learn"
BENCH_PYTHON="$venv/bin/python" node benches/em-grid.mjs
cargo run --quiet --example bench_plot
