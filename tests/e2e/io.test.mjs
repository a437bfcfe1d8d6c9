// Import, export and classroom links in the browser: a CSV file into the EM, GAN, VAE and
// Classify labs (API, file picker and drop on the charts), a bad file named by line and column
// with the data kept; a model exported, imported into a fresh page and trained on the same; a
// changed or foreign model refused; charts saved as PNG; a hide= link hiding what it names; and
// the Share dialog's QR code decoding back to its link.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import jsQR from "jsqr";
import { openBrowser, screenshot } from "./harness.mjs";

let browser;
before(async () => (browser = await openBrowser()));
after(() => browser.close());

/** Opens `hash` and waits for the Data and model panel (and any hiding) too. */
async function openLab(hash, options) {
  const opened = await browser.open(hash, options);
  await opened.page.evaluate(() => window.genplay.tools);
  return opened;
}

test("a CSV becomes each lab's points, scaled into its plane, and a bad one changes nothing", async () => {
  const { page, problems, close } = await openLab("#/gan");
  const out = await page.evaluate(() => {
    const { em, gan, vae, classify } = window.genplay.labs;
    const results = {
      em: em.import_csv("x;y\n1;2\n3,5;4\n5;6\n"),
      gan: gan.import_csv("x,y\n0,0\n20,10\n"),
      vae: vae.import_csv("0.5\t0.5\n-0.5\t-0.5\n"),
      classify: classify.import_csv("a,b,kind\n0,0,cat\n1,1,dog\n2,0,cat\n"),
    };
    const before = JSON.stringify(gan.snapshot());
    let error = null;
    try {
      gan.import_csv("x,y\n1,2\n3,4\n5,6\n6,7\n7,8\n8,abc\n");
    } catch (e) {
      error = e.message;
    }
    return {
      results,
      error,
      unchanged: JSON.stringify(gan.snapshot()) === before,
      emPoints: em.points(),
      drawn: gan.snapshot().drawn_points,
      vaeTarget: vae.snapshot().target,
      classes: classify.points().map((r) => r[2]),
    };
  });
  assert.deepEqual(
    [out.results.em.rows, out.results.gan.rows, out.results.vae.rows, out.results.classify.rows],
    [3, 2, 2, 3],
  );
  assert.deepEqual(out.emPoints[1], [3.5, 4]);
  // (0, 0)–(20, 10) centred on (10, 5), the half-width 10 brought to 0.9 × 1.5.
  assert.equal(out.results.gan.scale, 0.135);
  // The GAN keeps its target in single precision.
  const expected = [-1.35, -0.675, 1.35, 0.675];
  out.drawn.flat().forEach((x, i) => assert.ok(Math.abs(x - expected[i]) < 1e-6, `${x}`));
  assert.equal(out.vaeTarget, "drawn");
  assert.deepEqual(out.classes, [0, 1, 0]);
  assert.deepEqual(out.results.classify.class_names, ["cat", "dog"]);
  assert.equal(
    out.error,
    "line 7, column 2: 'abc' is not a number: x and y must be finite numbers such as -1.25 or 3e2",
  );
  assert.ok(out.unchanged, "a refused file leaves the lab as it was");
  // The link holds the imported drawing.
  await page.waitForFunction(() => location.hash.includes("points=-1.35%2C-0.675%3B1.35%2C0.675"));
  assert.deepEqual(problems, []);
  await close();
});

test("the file picker and a drop on the charts import a file, and say how it was scaled", async () => {
  const { page, problems, close } = await openLab("#/gan");
  const csv = "x,y\n" + Array.from({ length: 40 }, (_, i) => `${i},${(i * i) % 7}`).join("\n");
  const chooser = page.waitForEvent("filechooser");
  await page.getByRole("button", { name: "Import CSV…" }).click();
  await (
    await chooser
  ).setFiles({ name: "mine.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await page.waitForFunction(() => !document.querySelector(".io-scaling").hidden);
  const scaling = await page.textContent(".io-scaling");
  assert.match(scaling, /^Imported mine\.csv: scaled into the plane: x′ = \(x − 19\.5\) × 0\.069/);
  assert.equal(
    await page.evaluate(() => window.genplay.labs.gan.snapshot().drawn_points.length),
    40,
  );

  // A bad file dropped on the views: named by line and column, and the drawing stays.
  await page.evaluate(() => {
    const data = new DataTransfer();
    data.items.add(new File(["1,2\n3,x\n"], "bad.csv", { type: "text/csv" }));
    const views = document.querySelector(".views");
    views.dispatchEvent(
      new DragEvent("dragover", { dataTransfer: data, bubbles: true, cancelable: true }),
    );
    views.dispatchEvent(
      new DragEvent("drop", { dataTransfer: data, bubbles: true, cancelable: true }),
    );
  });
  await page.waitForFunction(() =>
    document.querySelector(".io-panel .message")?.textContent.includes("bad.csv"),
  );
  const message = await page.textContent(".io-panel .message");
  assert.match(message, /^bad\.csv was not imported: line 2, column 2: 'x' is not a number/);
  assert.match(message, /The data stay as they were\.$/);
  assert.equal(
    await page.evaluate(() => window.genplay.labs.gan.snapshot().drawn_points.length),
    40,
  );
  await screenshot(page, "io-gan-imported");
  assert.deepEqual(problems, []);
  await close();
});

test("an exported model imports into a fresh page and trains on identically", async () => {
  const first = await openLab("#/gan?seed=3");
  const file = await first.page.evaluate(async () => {
    const gan = window.genplay.labs.gan;
    await gan.step(25);
    gan.set("d_learning_rate", 0.003); // live: a link alone could not replay it
    await gan.step(5);
    return gan.export_model();
  });
  const parsed = JSON.parse(file);
  assert.deepEqual(
    [parsed.format, parsed.version, parsed.lab, parsed.iterations],
    ["genplay-model", 1, "gan", 30],
  );
  assert.equal(parsed.model.generator_weights[0].length, 2, "the first layer has 2 input rows");
  assert.equal(parsed.settings.d_learning_rate, "0.003");

  const second = await openLab("#/gan");
  const outcome = await second.page.evaluate((json) => {
    const gan = window.genplay.labs.gan;
    const refusals = [];
    const tampered = JSON.parse(json);
    tampered.model.generator_weights[0][0][0] += 0.25;
    const newer = { ...JSON.parse(json), version: 2 };
    const before = JSON.stringify(gan.snapshot());
    for (const bad of [JSON.stringify(tampered), JSON.stringify(newer), "{not json"]) {
      try {
        gan.import_model(bad);
      } catch (e) {
        refusals.push(e.message);
      }
    }
    try {
      window.genplay.labs.vae.import_model(json);
    } catch (e) {
      refusals.push(e.message);
    }
    const unchanged = JSON.stringify(gan.snapshot()) === before;
    gan.import_model(json);
    return { refusals, unchanged, iteration: gan.snapshot().iteration };
  }, file);
  assert.ok(outcome.unchanged, "refused files change nothing");
  assert.match(
    outcome.refusals[0],
    /the model's numbers do not match its settings and state \(generator_weights\)/,
  );
  assert.match(outcome.refusals[1], /format version 2: this genplay reads version 1 only/);
  assert.match(outcome.refusals[2], /^this file is not JSON/);
  assert.match(outcome.refusals[3], /this is a model of the gan lab, not of the vae lab/);
  assert.equal(outcome.iteration, 30);

  const train = (page) =>
    page.evaluate(async () => {
      const gan = window.genplay.labs.gan;
      await gan.step(20);
      const s = gan.snapshot();
      return [s.iteration, s.d_loss, s.g_loss, s.d_parameter_sum, s.g_parameter_sum];
    });
  const [a, b] = [await train(first.page), await train(second.page)];
  assert.equal(a[0], 50);
  assert.deepEqual(b, a, "the same losses and weights after 20 more iterations");
  assert.deepEqual([...first.problems, ...second.problems], []);
  await first.close();
  await second.close();
});

test("the page's buttons save the model, the data and a chart, and load the model back", async () => {
  const { page, problems, close } = await openLab("#/em?k=2&steps=6");
  const save = async (name) => {
    const download = page.waitForEvent("download");
    await page.getByRole("button", { name, exact: true }).click();
    const d = await download;
    return { name: d.suggestedFilename(), text: await readFile(await d.path(), "utf8") };
  };
  const model = await save("Model (JSON)");
  assert.equal(model.name, "genplay-em-model.json");
  const parsed = JSON.parse(model.text);
  assert.equal(parsed.steps, 6);
  assert.equal(parsed.model.weights.length, 2);
  const data = await save("Data (CSV)");
  assert.equal(data.name, "genplay-em-data.csv");
  const lines = data.text.trim().split("\n");
  assert.equal(lines[0], "x,y");
  assert.equal(lines.length, 601, "the header and the preset's 600 points");
  const snapshot = await save("Snapshot (JSON)");
  assert.equal(JSON.parse(snapshot.text).half_steps, 6);
  const png = page.waitForEvent("download");
  await page.locator("figure.view .png-button").first().click();
  const pngFile = await png;
  assert.match(pngFile.suggestedFilename(), /^genplay-em-.+\.png$/);
  const bytes = await readFile(await pngFile.path());
  assert.deepEqual([...bytes.subarray(1, 4)], [0x50, 0x4e, 0x47], "a PNG file");

  // Trained further, then the file picker brings the saved model back.
  await page.evaluate(() => window.genplay.labs.em.step(10));
  const chooser = page.waitForEvent("filechooser");
  await page.getByRole("button", { name: "Import model…" }).click();
  await (
    await chooser
  ).setFiles({
    name: "model.json",
    mimeType: "application/json",
    buffer: Buffer.from(model.text),
  });
  await page.waitForFunction(() => window.genplay.labs.em.snapshot().half_steps === 6);
  const weights = await page.evaluate(() => window.genplay.labs.em.snapshot().weights);
  assert.deepEqual(weights, parsed.model.weights);
  assert.deepEqual(problems, []);
  await close();
});

test("a hide= link hides what it names, refuses unknown names, and can show everything", async () => {
  const { page, problems, close } = await openLab(
    "#/gan?hide=batch_size,link_learning_rates,Networks,data_and_model,nonsense",
  );
  const visible = (selector) =>
    page.$eval(selector, (node) => node.offsetParent !== null && !node.closest("[hidden]"));
  assert.equal(await visible('[data-setting="batch_size"]'), false);
  assert.equal(
    await visible('[data-param="link_learning_rates"]'),
    false,
    "a lab's own control too",
  );
  assert.equal(await visible('[data-group="Networks"]'), false);
  assert.equal(await visible(".io-panel"), false);
  assert.equal(await visible('[data-setting="loss"]'), true, "what is not named stays");
  const banner = await page.textContent("#banner");
  assert.match(banner, /hide = nonsense: the gan lab has no control or section called “nonsense”/);
  assert.match(
    await page.evaluate(() => location.hash),
    /hide=batch_size%2Clink_learning_rates%2CNetworks%2Cdata_and_model$/,
  );
  await screenshot(page, "io-gan-classroom");

  await page.getByRole("button", { name: "Show all controls" }).click();
  assert.equal(await visible('[data-setting="batch_size"]'), true);
  assert.equal(await visible(".io-panel"), true);
  await page.getByRole("button", { name: "Hide them again" }).click();
  assert.equal(await visible('[data-group="Networks"]'), false);
  // Problems: none but the refused name, which is a banner, not an error.
  assert.deepEqual(problems, []);
  await close();
});

test("the Share dialog writes the hide= link and its QR code decodes back to it", async () => {
  const { page, problems, close } = await openLab("#/vae?beta=2", {
    viewport: { width: 360, height: 740 },
  });
  await page.getByRole("button", { name: "Share…" }).click();
  const dialog = page.locator("dialog.share-dialog");
  await dialog.waitFor();
  // By keyboard: Tab to the β control's box, Space ticks it.
  await dialog.locator('input[data-hide="beta"]').focus();
  await page.keyboard.press("Space");
  await dialog.locator('input[data-hide="Training"]').check();
  const link = await dialog.locator(".share-link").inputValue();
  assert.match(link, /#\/vae\?.*beta=2.*&hide=beta%2CTraining$/);
  await screenshot(page, "io-share-phone");
  const image = await page.$eval("canvas.share-qr", (canvas) => {
    const { data, width, height } = canvas
      .getContext("2d")
      .getImageData(0, 0, canvas.width, canvas.height);
    return { data: Array.from(data), width, height };
  });
  const decoded = jsQR(Uint8ClampedArray.from(image.data), image.width, image.height);
  assert.ok(decoded, "the QR code decodes");
  assert.equal(decoded.data, link);
  await page.keyboard.press("Escape");
  await dialog.waitFor({ state: "detached" });

  // The link opens the lab with those hidden.
  const opened = await openLab(link.slice(link.indexOf("#")));
  const hidden = await opened.page.$eval('[data-setting="beta"]', (n) => n.hidden);
  assert.equal(hidden, true);
  assert.equal(await opened.page.evaluate(() => window.genplay.labs.vae.snapshot().beta), 2);
  assert.deepEqual([...problems, ...opened.problems], []);
  await opened.close();
  await close();
});

test("a long link gets a longer QR code that still decodes", async () => {
  const { page, close } = await openLab("#/gan");
  // Short numbers, so that the link (some 1,600 characters) fits a QR code of a high version.
  const points = Array.from(
    { length: 120 },
    (_, i) => `${((i % 12) - 6) / 10},${(Math.floor(i / 12) - 5) / 10}`,
  );
  await page.evaluate((csv) => window.genplay.labs.gan.import_csv(csv), points.join("\n"));
  await page.getByRole("button", { name: "Share…" }).click();
  const link = await page.locator(".share-link").inputValue();
  assert.ok(link.length > 1400, `a long link (${link.length} characters)`);
  const image = await page.$eval("canvas.share-qr", (canvas) => {
    const { data, width, height } = canvas
      .getContext("2d")
      .getImageData(0, 0, canvas.width, canvas.height);
    return { data: Array.from(data), width, height };
  });
  const decoded = jsQR(Uint8ClampedArray.from(image.data), image.width, image.height);
  assert.equal(decoded?.data, link);
  // Twice the points with long decimals: too long for any QR code, and the dialog says so.
  await page.keyboard.press("Escape");
  await page.evaluate(() =>
    window.genplay.labs.gan.import_csv(
      Array.from({ length: 300 }, (_, i) => `${Math.sin(i) / 2},${Math.cos(i) / 2}`).join("\n"),
    ),
  );
  await page.getByRole("button", { name: "Share…" }).click();
  assert.equal(await page.locator("canvas.share-qr").isHidden(), true);
  assert.match(
    await page.locator(".share-dialog .hint").last().textContent(),
    /too many for a QR code \(at most 2,953\): copy it instead/,
  );
  await close();
});

test("the VAE plays on imported points in its worker, which takes them whole", async () => {
  const { page, problems, close } = await openLab("#/vae");
  // 400 points: more than a link carries, so the worker's copy needs them beside the link.
  const csv = Array.from({ length: 400 }, (_, i) => `${Math.cos(i) * 3},${Math.sin(i) * 3}`);
  const report = await page.evaluate(
    (text) => window.genplay.labs.vae.import_csv(text),
    csv.join("\n"),
  );
  assert.equal(report.rows, 400);
  assert.match(report.scaling, /^scaled into the plane: x′ = \(x/);
  await page.evaluate(() => window.genplay.labs.vae.set("playing", true));
  // The page trains the first frames while the worker loads; then the worker holds the run.
  await page.waitForFunction(
    () => {
      const s = window.genplay.labs.vae.snapshot();
      return s.trainer === "worker" && s.iteration > 50;
    },
    null,
    { timeout: 60_000 },
  );
  // Read while it plays: a worker holds the run only while Play is on.
  const s = await page.evaluate(() => window.genplay.labs.vae.snapshot());
  await page.evaluate(() => window.genplay.labs.vae.set("playing", false));
  assert.equal(s.trainer, "worker");
  assert.equal(s.target, "drawn");
  // The data the VAE shows are drawn from the imported ring of radius 3 × its scale.
  const radius = Math.hypot(...s.real_samples[0]);
  assert.ok(Math.abs(radius - 3 * report.scale) < 0.15, `radius ${radius}`);
  assert.deepEqual(problems, []);
  await close();
});
