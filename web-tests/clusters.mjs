// Drives the unknown-faces page in headless Debian Chromium: sign in, see the clusters as grids of
// faces, open a photo face (the photo with the face boxed) and a video face (the footage page plays
// its moment: player within 0.5 s of the track's start), then merge, undo, split, name and reject,
// checking the page after each, and that the decisions are there after a reload.
// Usage: node clusters.mjs BASE_URL KEY OUTDIR
import { launch, check } from "./browser.mjs";
import { mkdirSync } from "node:fs";

const [base, key, outDir] = process.argv.slice(2);
mkdirSync(outDir, { recursive: true });
const browser = await launch();
const count = (page) => page.$$eval(".cluster", (s) => s.length);
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1100 } });
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  // A resource the Content-Security-Policy refuses is a broken page too.
  page.on("console", (m) => { if (/Content Security Policy/i.test(m.text())) errors.push(m.text()); });
  await page.goto(base + "/clusters");
  await page.fill("#key", key);
  await page.click("#signin");
  await page.waitForSelector(".cluster");
  await page.waitForFunction(() => [...document.querySelectorAll(".face img")].every((i) => i.complete && i.naturalWidth > 0));
  const start = await count(page);
  check(start >= 4, "clusters shown: " + start);
  await page.screenshot({ path: outDir + "/1-clusters.png", fullPage: true });

  // A photo face opens its photo with the face boxed.
  await page.click(".face[data-kind='photo'] img");
  await page.waitForSelector("#viewer:not(.hidden)");
  check((await page.$eval("#photo", (c) => c.width)) > 100, "photo drawn");
  await page.screenshot({ path: outDir + "/2-photo.png" });
  await page.click("#viewer");

  // A video face plays its moment on the footage page.
  const video = await page.$eval(".face[data-kind='video']", (f) => ({ scan: f.dataset.scan, track: f.dataset.track }));
  await page.click(`.face[data-kind='video'][data-track='${video.track}'] img`);
  await page.waitForURL(/\/videos\?scan=/);
  await page.waitForSelector(`.track[data-track='${video.track}']`);
  const trackStart = Number(await page.$eval(`.track[data-track='${video.track}']`, (r) => r.dataset.start));
  await page.waitForFunction(() => { const v = document.getElementById("player"); return v.readyState >= 2 && !v.seeking; });
  const at = await page.$eval("#player", (v) => v.currentTime);
  check(Math.abs(at - trackStart) <= 0.5, `player at ${at} s, track starts at ${trackStart} s`);
  await page.screenshot({ path: outDir + "/3-video-moment.png" });
  await page.goto(base + "/clusters");
  await page.waitForSelector(".cluster");

  // A suggested pair, with the closest faces side by side, answered "different people": it is not suggested again.
  const pair = await page.$(".suggestion");
  if (pair) {
    const [sa, sb] = await pair.evaluate((r) => [r.dataset.a, r.dataset.b]);
    await page.waitForFunction(() => [...document.querySelectorAll("img.evidence")].every((i) => i.complete && i.naturalWidth > 0));
    await pair.$eval(".refuse", (b) => b.click());
    await page.waitForFunction(() => document.getElementById("message").textContent === "Done.");
    check(!(await page.$(`.suggestion[data-a='${sa}'][data-b='${sb}']`)), "a refused pair is not suggested again");
    await page.click("#undo");
    await page.waitForSelector(`.suggestion[data-a='${sa}'][data-b='${sb}']`);
  }

  // Merge the two last groups, then undo.
  const ids = await page.$$eval(".cluster", (s) => s.map((x) => ({ id: x.dataset.cluster, size: Number(x.dataset.size) })));
  const [a, b] = ids.slice(-2);
  await page.check(`.cluster[data-cluster='${a.id}'] .pick`);
  await page.check(`.cluster[data-cluster='${b.id}'] .pick`);
  await page.click("#merge");
  await page.waitForFunction((n) => document.querySelectorAll(".cluster").length === n, start - 1);
  check(Number(await page.$eval(`.cluster[data-cluster='${b.id}']`, (s) => s.dataset.size)) === a.size + b.size, "merged sizes add up");
  await page.click("#undo");
  await page.waitForFunction((n) => document.querySelectorAll(".cluster").length === n, start);
  check(await page.$(`.cluster[data-cluster='${a.id}']`), "undo brings the merged group back");

  // Split one face off the biggest group.
  const big = ids[0];
  check(big.size >= 2, "a group with two faces or more");
  await page.check(`.cluster[data-cluster='${big.id}'] .face-pick >> nth=0`);
  await page.click(`.cluster[data-cluster='${big.id}'] .do-split`);
  await page.waitForFunction((n) => document.querySelectorAll(".cluster").length === n, start + 1);

  // Name a group, and say two others are different people.
  const unnamed = await page.$eval(".cluster[data-subject=''] ", (s) => s.dataset.cluster);
  await page.fill(`.cluster[data-cluster='${unnamed}'] .name`, "person_x");
  await page.click(`.cluster[data-cluster='${unnamed}'] .do-name`);
  await page.waitForSelector(`.cluster[data-cluster='${unnamed}'][data-subject='person_x']`);
  const rest = await page.$$eval(".cluster[data-subject='']", (s) => s.map((x) => x.dataset.cluster));
  await page.check(`.cluster[data-cluster='${rest[0]}'] .pick`);
  await page.check(`.cluster[data-cluster='${rest[1]}'] .pick`);
  await page.click("#reject");
  await page.waitForFunction((id) => document.querySelector(`.cluster[data-cluster='${id}'] h3`).textContent.includes("reviewed"), rest[0]);
  // Another reviewer decides after this page did: Undo refuses rather than undo their decision.
  const others = await page.$$eval(".cluster[data-subject='']", (s) => s.map((x) => x.dataset.cluster));
  const theirs = await page.evaluate(async ([k, x, y]) => {
    const r = await fetch(`/v1/clusters/${x}/reject`, { method: "POST", headers: { "X-API-Key": k, "Content-Type": "application/json" },
      body: JSON.stringify({ other: Number(y) }) });
    return r.status;
  }, [key, others[others.length - 1], others[others.length - 2]]);
  check(theirs === 200, "another reviewer's decision: " + theirs);
  await page.click("#undo");
  await page.waitForFunction(() => document.getElementById("message").textContent.startsWith("Not done"));
  check(await page.$eval(`.cluster[data-cluster='${others[others.length - 1]}'] h3`, (h) => h.textContent.includes("reviewed")),
    "the other reviewer's decision stands");
  await page.reload();
  await page.waitForSelector(`.cluster[data-cluster='${unnamed}'][data-subject='person_x']`);
  check(await page.$eval("#undo", (b) => b.disabled), "a fresh page has nothing of its own to undo");
  await page.screenshot({ path: outDir + "/4-decisions.png", fullPage: true });
  check(errors.length === 0, "no page errors: " + errors);
  console.log(`clusters page OK: ${start} groups, video face at ${at.toFixed(3)} s (track start ${trackStart} s)`);
} finally {
  await browser.close();
}
