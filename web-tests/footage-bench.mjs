// Benchmark of the footage page with a long scan (not a test): sign in, open scan SCAN and time
// until its first rows are drawn (load), then scroll the track list from top to bottom at a steady
// pace and record the time between animation frames (scroll frame time), and how many rows the page
// holds while doing so. Prints one JSON line. Usage: node footage-bench.mjs BASE_URL KEY SCAN
import { launch } from "./browser.mjs";

const [base, key, scanId] = process.argv.slice(2);
const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  await page.goto(base + "/videos");
  await page.fill("#key", key);
  await page.click("#signin");
  await page.waitForSelector(`#scans li[data-scan="${scanId}"]`);
  const t0 = Date.now();
  await page.click(`#scans li[data-scan="${scanId}"]`);
  await page.waitForSelector(".track");
  const loadMs = Date.now() - t0;
  await page.waitForTimeout(500);
  const result = await page.evaluate(async () => {
    const box = document.getElementById("list-scroll") || document.scrollingElement; // a page without its own list scrolls as a whole
    const deltas = [];
    let rowsMax = 0;
    const height = box.scrollHeight - box.clientHeight;
    const pxPerFrame = 120; // a brisk scroll: about 7,000 px a second at 60 frames a second
    await new Promise((done) => {
      let last = performance.now();
      function frame(now) {
        deltas.push(now - last);
        last = now;
        rowsMax = Math.max(rowsMax, document.querySelectorAll(".track").length);
        if (box.scrollTop >= height - 1) return done();
        box.scrollTop = Math.min(height, box.scrollTop + pxPerFrame);
        requestAnimationFrame(frame);
      }
      requestAnimationFrame(frame);
    });
    deltas.shift();
    deltas.sort((a, b) => a - b);
    const q = (p) => deltas[Math.min(deltas.length - 1, Math.floor(p * deltas.length))];
    return { frames: deltas.length, scrolledPx: height, frameMsP50: q(0.5), frameMsP95: q(0.95), frameMsMax: deltas[deltas.length - 1],
      rowsInPageMax: rowsMax, tracksListed: document.getElementById("count") ? document.getElementById("count").textContent : null };
  });
  console.log(JSON.stringify({ loadMs, ...result }));
} finally {
  await browser.close();
}
