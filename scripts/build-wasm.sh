#!/usr/bin/env bash
# Compiles the crate to WebAssembly and writes the JavaScript glue of each module
# (www/ui/wasm-build.js loads them):
# - pkg/genplay.js: the basic labs' handles (the coin, the joint table, the Gaussian, EM, the
#   classifiers), so that a first visit to one of them fetches no neural-network code;
# - pkg/training/genplay.js: the handles of the labs that train (the GAN, the VAE, the diffusion
#   lab), with simd128 (.cargo/config.toml), which every browser the page supports has;
# - pkg/training/relaxed/genplay.js: the same with relaxed SIMD too, whose fused multiply-add
#   speeds up the matrix products (src/nn/matmul.rs), loaded where the browser validates it.
# Then the charts module (charts/, plotters), which the page loads once it is ready, as
# /pkg/genplay_charts.js.
set -euo pipefail
cd "$(dirname "$0")/.."
# The name section only serves debuggers; without it the page loads about 40 KB (gzipped) less.
glue() { wasm-bindgen --target web --no-typescript --remove-name-section --out-dir "$@"; }
# The `wasm` profile (Cargo.toml) is release optimised as one program, for the page's weight.
wasm_build() { cargo build --profile wasm --lib --target wasm32-unknown-unknown "$@"; }
wasm_build --no-default-features --features basic-labs
glue pkg target/wasm32-unknown-unknown/wasm/genplay.wasm
wasm_build --no-default-features --features training-labs
glue pkg/training target/wasm32-unknown-unknown/wasm/genplay.wasm
# A cargo feature, not a target feature of the whole build: every dependency is shared.
wasm_build --no-default-features --features training-labs,relaxed-simd
glue pkg/training/relaxed target/wasm32-unknown-unknown/wasm/genplay.wasm
wasm_build -p genplay-charts
glue pkg target/wasm32-unknown-unknown/wasm/genplay_charts.wasm
