// Play in a Web Worker (www/ui/train-worker.js): the GAN and the VAE train a copy of their run
// there while the page draws and answers input; the same seed gives the same losses in the
// worker, on the page's thread (the fallback) and through step(n); a live setting changed while
// a run is on its way is not lost; Pause stops the worker; a worker that dies (ended, or by a
// panic inside it) is restarted from the lab's run with a message; switching labs ends it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { openBrowser, nextFrames } from "./harness.mjs";

let browser;
before(async () => (browser = await openBrowser()));
after(() => browser.close());

const HISTORY = { gan: "d_loss_history", vae: "elbo_history" };

const snapshot = (page, lab) => page.evaluate((lab) => window.genplay.labs[lab].snapshot(), lab);
const workers = (page) => page.evaluate(() => window.genplay.debug.workers());
const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

/** Waits until `check(snapshot)` holds (polling), or fails after `ms`. */
async function until(page, lab, check, ms = 20000) {
  const end = Date.now() + ms;
  for (;;) {
    const s = await snapshot(page, lab);
    if (check(s)) return s;
    if (Date.now() > end) throw new Error(`timed out; last snapshot at iteration ${s.iteration}`);
    await sleep(50);
  }
}

/** Presses Pause and waits until a result on its way has landed (the count stays put). */
async function pause(page, lab) {
  await page.getByRole("button", { name: /Pause/ }).click();
  let last = -1;
  for (;;) {
    await sleep(150);
    await nextFrames(page);
    const s = await snapshot(page, lab);
    if (s.iteration === last) return s;
    last = s.iteration;
  }
}

/** The same run through step(n) on the page's thread, from the seed: its history. */
function stepped(page, lab, seed, n, between = null) {
  return page.evaluate(
    ({ lab, seed, n, between, key }) => {
      const l = window.genplay.labs[lab];
      // The settings stay as they are: a change `between` is undone first.
      if (between) l.set(between.name, between.from);
      l.reset(seed);
      if (between) {
        l.step(between.at);
        l.set(between.name, between.value);
        l.step(n - between.at);
      } else l.step(n);
      return l.snapshot()[key];
    },
    { lab, seed, n, between, key: HISTORY[lab] },
  );
}

test("Play trains the GAN in a worker, the page answers a key within 50 ms, Pause stops it", async () => {
  const { page, problems, close } = await browser.open("#/gan");
  await page.evaluate(() => {
    window.__keys = [];
    document.addEventListener("keydown", (e) => {
      if (e.key === "x") window.__keys.push(performance.now() - e.timeStamp);
    });
  });
  await page.getByRole("button", { name: /Play/ }).click();
  const first = await until(page, "gan", (s) => s.trainer === "worker" && s.iteration > 20);
  assert.equal(first.trainer_note, null);
  const later = await until(page, "gan", (s) => s.iteration > first.iteration + 50);
  assert.ok(later.iteration > first.iteration);
  const counts = await workers(page);
  assert.equal(counts.live, 1);
  assert.equal(counts.started, 1);
  assert.ok(counts.runs > 3, `${counts.runs} runs came back`);
  for (let i = 0; i < 10; i++) {
    await page.keyboard.press("x");
    await sleep(40);
  }
  const keys = await page.evaluate(() => window.__keys.sort((a, b) => a - b));
  assert.equal(keys.length, 10);
  assert.ok(keys[5] < 50, `median key latency ${keys[5]} ms`);

  const paused = await pause(page, "gan");
  const runs = (await workers(page)).runs;
  await sleep(500);
  assert.equal((await snapshot(page, "gan")).iteration, paused.iteration, "Pause stops training");
  assert.equal((await workers(page)).runs, runs, "no run is started after Pause");
  assert.deepEqual(problems, []);
  await close();
});

for (const lab of ["gan", "vae"]) {
  test(`the ${lab.toUpperCase()}'s losses are the same in the worker, on the page's thread and through step(n)`, async () => {
    const runs = {};
    for (const where of ["worker", "main"]) {
      const { page, problems, close } = await browser.open(`#/${lab}?seed=3`);
      if (where === "main") await page.evaluate(() => window.genplay.debug.noWorker());
      await page.getByRole("button", { name: /Play/ }).click();
      await until(page, lab, (s) => s.iteration >= 150);
      const s = await pause(page, lab);
      assert.equal(s.trainer, where);
      if (where === "main") {
        assert.match(s.trainer_note, /turned off/);
        const note = page.locator(".train-note");
        await assert.doesNotReject(note.waitFor({ state: "visible" }));
        assert.match(await note.textContent(), /page's own thread/);
        assert.equal((await workers(page)).started, 0);
      }
      const history = s[HISTORY[lab]];
      assert.equal(history.length, s.iteration);
      assert.deepEqual(await stepped(page, lab, 3, s.iteration), history, `${where} = step(n)`);
      runs[where] = history;
      assert.deepEqual(problems, []);
      await close();
    }
    const n = Math.min(runs.worker.length, runs.main.length);
    assert.ok(n >= 150);
    assert.deepEqual(runs.worker.slice(0, n), runs.main.slice(0, n));
  });
}

test("a live setting changed while a worker's run is on its way applies from that iteration", async () => {
  const { page, problems, close } = await browser.open("#/vae?seed=4");
  await page.getByRole("button", { name: /Play/ }).click();
  await until(page, "vae", (s) => s.trainer === "worker" && s.iteration > 30);
  // Runs are on their way at full speed: they land on the old β and must be dropped, also
  // after a Pause that comes at once (otherwise the last of them would be the run).
  const at = await page.evaluate(() => {
    const vae = window.genplay.labs.vae;
    vae.set("beta", 0.2);
    vae.set("playing", false);
    return vae.snapshot().iteration;
  });
  await sleep(300);
  await nextFrames(page);
  const held = await snapshot(page, "vae");
  assert.equal(held.beta, Math.fround(0.2));
  assert.equal(held.iteration, at);
  await page.getByRole("button", { name: /Play/ }).click();
  await until(page, "vae", (s) => s.iteration > at + 100);
  const s = await pause(page, "vae");
  assert.equal(s.beta, Math.fround(0.2));
  const replica = await stepped(page, "vae", 4, s.iteration, {
    at,
    name: "beta",
    from: 1,
    value: 0.2,
  });
  assert.deepEqual(replica, s.elbo_history);
  assert.deepEqual(problems, []);
  await close();
});

for (const [how, said] of [
  ["terminate", /it was ended/],
  ["panic", /a panic on purpose in the gan lab/],
]) {
  test(`a worker that dies (${how}) is restarted from the lab's run, with a message`, async () => {
    const { page, problems, close } = await browser.open("#/gan?seed=5");
    await page.getByRole("button", { name: /Play/ }).click();
    await until(page, "gan", (s) => s.trainer === "worker" && s.iteration > 20);
    const at = (await snapshot(page, "gan")).iteration;
    await page.evaluate((how) => window.genplay.debug.killWorker(how), how);
    const message = page.getByText(/The training worker stopped/);
    await message.waitFor();
    assert.match(await message.textContent(), said);
    await until(page, "gan", (s) => s.trainer === "worker" && s.iteration > at + 60);
    const counts = await workers(page);
    assert.equal(counts.started, 2);
    assert.equal(counts.live, 1);
    const s = await pause(page, "gan");
    assert.deepEqual(await stepped(page, "gan", 5, s.iteration), s.d_loss_history);
    // The page's own module never panicked: no error panel.
    assert.equal(await page.locator("#panic").isVisible(), false);
    assert.deepEqual(problems, []);
    await close();
  });
}

test("a run that diverges in the worker stops Play there, and the worker stays", async () => {
  const { page, problems, close } = await browser.open("#/gan");
  await page.getByRole("button", { name: /Play/ }).click();
  await until(page, "gan", (s) => s.trainer === "worker");
  // A rebuild stops Play; the worker stays, loaded, for the next.
  await page.evaluate(() => {
    const gan = window.genplay.labs.gan;
    gan.set("optimizer", "sgd");
    gan.set("learning_rate", 10);
  });
  await page.getByRole("button", { name: /Play/ }).click();
  const s = await until(page, "gan", (s) => s.diverged !== null && !s.playing);
  assert.match(s.diverged, /training diverged at iteration/);
  assert.equal(s.trainer, "worker");
  assert.equal((await workers(page)).started, 1);
  assert.equal(await page.getByText(/The training worker stopped/).count(), 0);
  assert.deepEqual(problems, []);
  await close();
});

test("switching labs ends the worker of the lab left behind", async () => {
  const { page, problems, close } = await browser.open("#/gan");
  await page.getByRole("button", { name: /Play/ }).click();
  await until(page, "gan", (s) => s.trainer === "worker" && s.iteration > 10);
  assert.equal((await workers(page)).live, 1);
  await page.evaluate(() => (location.hash = "#/vae"));
  await page.getByRole("heading", { name: /VAE/ }).waitFor();
  await sleep(300);
  const left = await snapshot(page, "gan");
  assert.equal((await workers(page)).live, 0);
  assert.equal(left.playing, false);
  await sleep(400);
  assert.equal((await snapshot(page, "gan")).iteration, left.iteration);
  assert.deepEqual(problems, []);
  await close();
});
