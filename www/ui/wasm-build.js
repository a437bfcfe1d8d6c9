// The WebAssembly modules of the crate (scripts/build-wasm.sh) and which build of them this
// browser runs. The labs' handles come in two modules, so that a first visit fetches only the
// code of what it shows: `basic` (the coin, the joint table, the Gaussian, EM, the classifiers)
// and `training` (the GAN, the VAE, the diffusion lab). The training module has two builds: the
// one with relaxed SIMD, whose fused multiply-add makes the matrix products about 1.25× faster,
// where the browser validates it; else the one with plain 128-bit SIMD. The page and its
// training workers make the same choice, so a run moved between them stays bitwise the same.

/** The basic module's glue (it has no matrix products to fuse: one build). */
export const BASIC = "../pkg/genplay.js";

/** The training module's glue, by build. */
export const BUILDS = {
  "relaxed-simd": "../pkg/training/relaxed/genplay.js",
  simd128: "../pkg/training/genplay.js",
};

// A module of one function: three i8x16.splat and an f32x4.relaxed_madd (0xfd 0x105).
const RELAXED_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, 0x03,
  0x02, 0x01, 0x00, 0x0a, 0x13, 0x01, 0x11, 0x00, 0x41, 0x01, 0xfd, 0x0f, 0x41, 0x02, 0xfd, 0x0f,
  0x41, 0x03, 0xfd, 0x0f, 0xfd, 0x85, 0x02, 0x0b,
]);

/**
 * The training module's build to load: `wanted` when it names one (the page passes its choice
 * to its workers; a test may ask for `"simd128"` through `self.genplayWasmBuild`), else the
 * fastest this browser can run.
 */
export function chooseBuild(wanted = self.genplayWasmBuild) {
  if (Object.hasOwn(BUILDS, wanted)) return wanted;
  return WebAssembly.validate(RELAXED_PROBE) ? "relaxed-simd" : "simd128";
}
