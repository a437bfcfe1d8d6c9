#!/usr/bin/env bash
# Compiles the crate to WebAssembly (with simd128, see .cargo/config.toml) and writes the
# JavaScript glue to pkg/, which the page imports as /pkg/genplay.js; then the charts module
# (charts/, plotters), which the page loads once it is ready, as /pkg/genplay_charts.js.
set -euo pipefail
cd "$(dirname "$0")/.."
# The `wasm` profile (Cargo.toml) is release optimised as one program, for the page's weight.
cargo build --profile wasm --lib --target wasm32-unknown-unknown
# The name section only serves debuggers; without it the page loads about 40 KB (gzipped) less.
wasm-bindgen --target web --no-typescript --remove-name-section --out-dir pkg \
  target/wasm32-unknown-unknown/wasm/genplay.wasm
cargo build --profile wasm --lib -p genplay-charts --target wasm32-unknown-unknown
wasm-bindgen --target web --no-typescript --remove-name-section --out-dir pkg \
  target/wasm32-unknown-unknown/wasm/genplay_charts.wasm
