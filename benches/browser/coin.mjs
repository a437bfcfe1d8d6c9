// The coin lab's cost: flipping in wasm, and replaying a full run when p is dragged (what one
// slider event costs at the largest run).
export async function bench({ open, log }) {
  const { page, close } = await open("#/coin");
  const result = await page.evaluate(() => {
    const coin = window.genplay.labs.coin;
    coin.set("batch_n", 10);
    coin.reset(1);
    const t0 = performance.now();
    coin.step(100_000); // one million flips, the most a run holds
    const flipMs = performance.now() - t0;
    const drags = [];
    for (let i = 0; i < 9; i++) {
      const t = performance.now();
      coin.set("p", 0.1 + i * 0.1);
      drags.push(performance.now() - t);
    }
    drags.sort((a, b) => a - b);
    return { flipsPerSecond: 1e6 / (flipMs / 1000), replayMs: drags[4] };
  });
  log(
    "coin_flips_per_second",
    Math.round(result.flipsPerSecond).toLocaleString("en-US"),
    "flips/s",
  );
  log(
    "coin_drag_p_at_1M_flips",
    result.replayMs.toFixed(2),
    "ms",
    "replays 1,000,000 flips per slider event",
  );
  await close();
}
