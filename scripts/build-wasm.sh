#!/usr/bin/env bash
# Compiles the crate to WebAssembly twice and writes the JavaScript glue of each:
# - pkg/genplay.js: with simd128 (.cargo/config.toml), which every browser the page supports has;
# - pkg/relaxed/genplay.js: with relaxed SIMD too, whose fused multiply-add speeds up the matrix
#   products (src/nn/matmul.rs); www/ui/wasm-build.js loads it where the browser validates it.
# Then the charts module (charts/, plotters), which the page loads once it is ready, as
# /pkg/genplay_charts.js.
set -euo pipefail
cd "$(dirname "$0")/.."
# The `wasm` profile (Cargo.toml) is release optimised as one program, for the page's weight.
cargo build --profile wasm --lib --target wasm32-unknown-unknown
# The name section only serves debuggers; without it the page loads about 40 KB (gzipped) less.
wasm-bindgen --target web --no-typescript --remove-name-section --out-dir pkg \
  target/wasm32-unknown-unknown/wasm/genplay.wasm
# Its own target directory: other flags would otherwise rebuild every dependency each time.
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-C target-feature=+simd128,+relaxed-simd" \
  cargo build --profile wasm --lib --target wasm32-unknown-unknown --target-dir target/relaxed
wasm-bindgen --target web --no-typescript --remove-name-section --out-dir pkg/relaxed \
  target/relaxed/wasm32-unknown-unknown/wasm/genplay.wasm
cargo build --profile wasm --lib -p genplay-charts --target wasm32-unknown-unknown
wasm-bindgen --target web --no-typescript --remove-name-section --out-dir pkg \
  target/wasm32-unknown-unknown/wasm/genplay_charts.wasm
