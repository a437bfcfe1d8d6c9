// The curve charts drawn by plotters (www/ui/chart.js, the charts module from charts/): the time
// to redraw a chart of 2,048 points (two lines of 1,024, a loss curve's shape, with axes, ticks
// and a legend) on a 600 × 300 canvas at device pixel ratio 1: the median of 5 runs of 60
// redraws after 10 warm-up ones, each run's mean (the page's clock ticks in 0.1 ms, too coarse
// for one redraw); the goal is at most 2 ms. Also the same chart written as SVG.
const POINTS = 1024;
const WARM_UP = 10;
const TIMED = 60;
const GOAL_MS = 2;

export async function bench({ open, log }) {
  const { page, close } = await open("#/coin");
  const figures = await page.evaluate(
    async ({ POINTS, WARM_UP, TIMED }) => {
      const { CurveChart, loadCharts } = await import("/ui/chart.js");
      await loadCharts();
      const canvas = document.createElement("canvas");
      document.body.append(canvas);
      canvas.width = 600;
      canvas.height = 300;
      Object.defineProperty(canvas, "clientWidth", { value: 600 });
      Object.defineProperty(canvas, "clientHeight", { value: 300 });
      const chart = new CurveChart(canvas, { xLabel: "iteration", yLabel: "loss" });
      const xs = Float64Array.from({ length: POINTS }, (_, i) => i);
      const spec = (shift) => ({
        x: [0, POINTS],
        y: [0, 2],
        series: [
          {
            kind: "line",
            label: "D loss",
            color: "#0072B2",
            width: 1.6,
            xs,
            ys: xs.map((i) => 1.3 + 0.2 * Math.sin(i / 9 + shift)),
          },
          {
            kind: "line",
            label: "G loss",
            color: "#E69F00",
            width: 1.6,
            xs,
            ys: xs.map((i) => 0.7 + 0.2 * Math.cos(i / 7 + shift)),
          },
        ],
      });
      const specs = Array.from({ length: TIMED }, (_, k) => spec(k));
      for (let k = 0; k < WARM_UP; k++) chart.draw(specs[k]);
      const mean = (run) => {
        const t = performance.now();
        for (let k = 0; k < TIMED; k++) run(k);
        return (performance.now() - t) / TIMED;
      };
      const draws = [];
      const svgs = [];
      for (let r = 0; r < 5; r++) {
        draws.push(mean((k) => chart.draw(specs[k])));
        svgs.push(mean(() => chart.svg()));
      }
      const median = (v) => v.sort((a, b) => a - b)[Math.floor(v.length / 2)];
      return { draw: median(draws), svg: median(svgs) };
    },
    { POINTS, WARM_UP, TIMED },
  );
  log(
    "chart_redraw_2048_points_ms",
    figures.draw.toFixed(2),
    "ms",
    `plotters-canvas, 2 lines × ${POINTS} points, axes and legend, 600×300; median of 5 means of ${TIMED}; goal ≤ ${GOAL_MS}: ${figures.draw <= GOAL_MS ? "met" : "not met"}`,
  );
  log(
    "chart_svg_2048_points_ms",
    figures.svg.toFixed(2),
    "ms",
    "the same chart as SVG, the same way",
  );
  await close();
}
