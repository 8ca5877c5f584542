// Drives the footage page in headless Debian Chromium: sign in, upload a video, wait for its job,
// check the timeline (a row per track with its best-frame crop, the enrolled crop beside a named
// track, score and FMR), click a track and check the player is at the track's start (within 0.5 s)
// with the box drawn, confirm one identity and reject another, and check both verdicts survive a
// reload; tracks grouped by identity with one lane each, filters, and keyboard review (j/k, c, Enter).
// Screenshots go to OUTDIR. Usage: node timeline.mjs BASE_URL KEY VIDEO OUTDIR
import { launch, check } from "./browser.mjs";
import { mkdirSync } from "node:fs";

const [base, key, video, outDir] = process.argv.slice(2);
mkdirSync(outDir, { recursive: true });
const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1100 } });
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  // A resource the Content-Security-Policy refuses is a broken page too.
  page.on("console", (m) => { if (/Content Security Policy/i.test(m.text())) errors.push(m.text()); });
  await page.goto(base + "/videos");
  await page.fill("#key", key);
  await page.click("#signin");
  await page.waitForSelector("#app:not(.hidden)");
  await page.setInputFiles("#video-file", video);
  await page.waitForSelector(".track", { timeout: 120000 });
  check((await page.textContent("#job")).startsWith("done"), "the job finished: " + (await page.textContent("#job")));
  const rows = await page.$$eval(".track", (rs) => rs.map((r) => ({ track: Number(r.dataset.track), start: Number(r.dataset.start),
    decision: r.dataset.decision })));
  check(rows.length >= 2, "several tracks: " + rows.length);
  const named = rows.filter((r) => r.decision !== "unknown");
  check(named.some((r) => r.decision === "lin_manuel_miranda"), "Miranda named on the timeline: " + JSON.stringify(rows));
  check((await page.textContent("#tracks")).includes("FMR"), "FMR shown");
  await page.waitForFunction(() => [...document.querySelectorAll("img.best")].every((i) => i.complete && i.naturalWidth > 0));
  await page.waitForSelector("img.enrolled[alt='enrolled face of lin_manuel_miranda']");

  // Click a track that does not start at 0, so a player left at the start would fail.
  const target = rows.filter((r) => r.start > 1).sort((a, b) => b.start - a.start)[0];
  check(target, "a track starting after 1 s: " + JSON.stringify(rows));
  await page.click(`.track[data-track="${target.track}"] .lane`);
  await page.waitForFunction(() => { const v = document.getElementById("player"); return v.readyState >= 2 && !v.seeking; });
  const at = await page.$eval("#player", (v) => v.currentTime);
  check(Math.abs(at - target.start) <= 0.5, `player at ${at} s, track ${target.track} starts at ${target.start} s`);
  await page.waitForFunction((t) => (document.getElementById("overlay").dataset.box || "").startsWith(t + "@"), target.track);
  await page.screenshot({ path: outDir + "/1-timeline.png", fullPage: true });

  // Verdicts: confirm Miranda's first track, reject another named one if any, then reload.
  const miranda = named.find((r) => r.decision === "lin_manuel_miranda");
  await page.click(`.track[data-track="${miranda.track}"] .confirm`);
  await page.waitForSelector(`.track[data-track="${miranda.track}"] .verdict.confirmed`);
  const other = named.find((r) => r.track !== miranda.track);
  if (other) {
    await page.click(`.track[data-track="${other.track}"] .reject`);
    await page.waitForSelector(`.track[data-track="${other.track}"] .verdict.rejected`);
  }
  await page.reload();
  await page.waitForSelector("#app:not(.hidden)");
  await page.click("#scans li[data-scan]");
  await page.waitForSelector(`.track[data-track="${miranda.track}"] .verdict.confirmed`);
  await page.screenshot({ path: outDir + "/2-verdicts.png", fullPage: true });

  // grouped by identity: the named person first, one lane for all their tracks
  const groups = await page.$$eval(".group", (gs) => gs.map((g) => ({ id: g.dataset.identity, segs: g.querySelectorAll(".seg").length })));
  check(groups.length >= 2 && groups[0].id === "named:lin_manuel_miranda", "identities, named first: " + JSON.stringify(groups));
  check(groups[0].segs === named.filter((r) => r.decision === "lin_manuel_miranda").length, "one lane with every track of the person");
  // filters
  await page.check("#f-named");
  const onlyNamed = await page.$$eval(".track", (rs) => rs.map((r) => r.dataset.decision));
  check(onlyNamed.length === named.length && onlyNamed.every((d) => d !== "unknown"), "named only: " + JSON.stringify(onlyNamed));
  await page.uncheck("#f-named");
  await page.check("#f-unreviewed");
  check((await page.$$(".track .verdict.confirmed")).length === 0, "unreviewed only hides the reviewed");
  await page.uncheck("#f-unreviewed");
  // keyboard review: next, next, confirm, play
  await page.focus("body");
  await page.keyboard.press("j");
  const first = await page.$eval(".track.selected", (r) => Number(r.dataset.track));
  await page.keyboard.press("j");
  const second = await page.$eval(".track.selected", (r) => ({ track: Number(r.dataset.track), start: Number(r.dataset.start),
    decision: r.dataset.decision }));
  check(second.track !== first, "j moves to the next track");
  check(second.decision !== "unknown", "the second row is named: " + JSON.stringify(second));
  await page.keyboard.press("c");
  await page.waitForSelector(`.track[data-track="${second.track}"] .verdict.confirmed`);
  await page.keyboard.press("k");
  check(await page.$eval(".track.selected", (r) => Number(r.dataset.track)) === first, "k moves back");
  await page.keyboard.press("j");
  await page.keyboard.press("Enter");
  await page.waitForFunction((s) => { const v = document.getElementById("player"); return v.readyState >= 2 && !v.seeking
    && Math.abs(v.currentTime - s) <= 0.5; }, second.start);
  await page.screenshot({ path: outDir + "/3-keyboard.png", fullPage: true });
  // Under "unreviewed only" the selected track, just confirmed, leaves the list: the selection moves to a
  // track on screen, so the next key never acts on one the reviewer cannot see.
  await page.check("#f-unreviewed");
  const shownTracks = await page.$$eval(".track", (rs) => rs.map((r) => Number(r.dataset.track)));
  const nowSelected = await page.$$eval(".track.selected", (rs) => rs.map((r) => Number(r.dataset.track)));
  check(!shownTracks.includes(second.track), "the confirmed track is hidden");
  check(shownTracks.length === 0 ? nowSelected.length === 0 : nowSelected.length === 1 && shownTracks.includes(nowSelected[0]),
    "the selection is a track on screen: " + JSON.stringify(nowSelected) + " of " + JSON.stringify(shownTracks));
  await page.uncheck("#f-unreviewed");
  check(errors.length === 0, "no page errors: " + errors);
  console.log(`timeline page OK: ${rows.length} tracks, clicked track ${target.track} (start ${target.start} s), player at ${at.toFixed(3)} s`);
} finally {
  await browser.close();
}
