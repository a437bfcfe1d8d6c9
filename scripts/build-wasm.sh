#!/usr/bin/env bash
# Compiles the crate to WebAssembly (with simd128, see .cargo/config.toml) and writes the
# JavaScript glue to pkg/, which the page imports as /pkg/genplay.js.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --lib --target wasm32-unknown-unknown
# The name section only serves debuggers; without it the page loads about 40 KB (gzipped) less.
wasm-bindgen --target web --no-typescript --remove-name-section --out-dir pkg \
  target/wasm32-unknown-unknown/release/genplay.wasm
