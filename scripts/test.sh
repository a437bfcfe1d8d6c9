#!/usr/bin/env bash
# Every check and test of genplay, in the order that fails fastest. `make test` and CI run this.
set -euo pipefail
cd "$(dirname "$0")/.."
# Each step says how long the command has run so far, so a slow step shows where the time goes.
step() { printf '\n\033[1m== %s\033[0m (at %d min %02d s)\n' "$*" $((SECONDS / 60)) $((SECONDS % 60)); }

step "set-up (skips what is already installed)"
scripts/setup.sh --browser

step "format: cargo fmt and prettier"
cargo fmt --all -- --check
npx prettier --check www tests/e2e scripts benches

step "lint: clippy, native and wasm32"
cargo clippy --workspace --all-targets -- -D warnings
# Every feature: both modules' handles and the relaxed-SIMD kernel (scripts/build-wasm.sh).
cargo clippy --workspace --lib --target wasm32-unknown-unknown --all-features -- -D warnings

step "dependencies: licences, bans and sources (cargo deny, deny.toml)"
target/tools/bin/cargo-deny --log-level error check licenses bans sources

step "native tests (the GPU ones on Mesa's lavapipe)"
# The Vulkan loader wants a runtime directory; a fresh CI machine may have none.
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-$(mktemp -d)}
cargo test --workspace

step "wasm build"
scripts/build-wasm.sh

step "bench harness, quick mode (benches/em-grid.mjs --quick: every tool gives a figure, and the log-likelihoods agree)"
node benches/em-grid.mjs --quick

step "browser tests (headless Chromium)"
node --test --test-concurrency=1 tests/e2e/

step "all passed"
