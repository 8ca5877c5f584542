// Drives the person page in headless Debian Chromium: sign in on /people/GALLERY/SUBJECT, check the
// appearances are grouped by media with the face found beside the enrolled crop, click a track and
// find the player at its start (within 0.5 s) with the box drawn, click a photo face and find the
// photo shown with its box, confirm one appearance, filter by verdict, media and score, and check
// the verdict survives a reload; then an unknown person (a cluster) the same way. Screenshots go to OUTDIR.
// Usage: node person.mjs BASE_URL KEY GALLERY SUBJECT OUTDIR [CLUSTER_KEY CLUSTER]
import { launch, check } from "./browser.mjs";
import { mkdirSync } from "node:fs";

const [base, key, gallery, subject, outDir, clusterKey, cluster] = process.argv.slice(2);
mkdirSync(outDir, { recursive: true });
const browser = await launch();
const rows = (page) => page.$$eval(".appearance", (rs) => rs.map((r) => ({ id: r.dataset.id, verdict: r.dataset.verdict,
  text: r.textContent })));
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1100 } });
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => { if (/Content Security Policy/i.test(m.text())) errors.push(m.text()); });
  await page.goto(`${base}/people/${encodeURIComponent(gallery)}/${encodeURIComponent(subject)}`);
  await page.fill("#key", key);
  await page.click("#signin");
  await page.waitForSelector(".appearance");
  const all = await rows(page);
  check(all.length >= 3, "a photo face and the clip's tracks: " + all.length);
  const groups = await page.$$eval("#list h3", (hs) => hs.map((h) => h.textContent));
  check(groups.length === 2, "grouped by media: " + JSON.stringify(groups));
  check((await page.textContent("#list")).includes("FMR") && (await page.textContent("#list")).includes("FPIR"), "FMR and FPIR shown");
  await page.waitForFunction(() => [...document.querySelectorAll("img.found, img.enrolled")].every((i) => i.complete && i.naturalWidth > 0));
  check((await page.$$("img.enrolled")).length === all.length, "each appearance beside its enrolled crop");

  // a track that does not start at 0: the player must move there
  const tracks = await page.$$eval(".appearance", (rs) => rs.map((r) => r.textContent).filter((t) => t.includes(" track ")));
  check(tracks.length >= 2, "the clip's tracks: " + tracks.length);
  const target = await page.evaluate(() => {
    const r = [...document.querySelectorAll(".appearance")].filter((x) => x.textContent.includes(" track "));
    return r[r.length - 1].dataset.id;
  });
  await page.click(`.appearance[data-id="${target}"] .found`);
  await page.waitForFunction(() => { const v = document.getElementById("player"); return v.readyState >= 2 && !v.seeking; });
  const start = await page.evaluate((id) => {
    const m = document.querySelector(`.appearance[data-id="${id}"]`).textContent.match(/· (\d\d):(\d\d):(\d\d\.\d)/);
    return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
  }, target);
  const at = await page.$eval("#player", (v) => v.currentTime);
  check(Math.abs(at - start) <= 0.5, `player at ${at} s, the appearance starts at ${start} s`);
  await page.waitForFunction((id) => (document.getElementById("overlay").dataset.box || "").startsWith(id + "@"), target);
  await page.screenshot({ path: outDir + "/1-track.png", fullPage: true });

  const photoRow = await page.evaluate(() => [...document.querySelectorAll(".appearance")].find((x) => x.textContent.includes(" face "))
    .dataset.id);
  await page.click(`.appearance[data-id="${photoRow}"] .found`);
  await page.waitForFunction(() => { const i = document.getElementById("photo"); return !i.classList.contains("hidden") && i.complete
    && i.naturalWidth > 0; });
  await page.waitForFunction((id) => document.getElementById("overlay").dataset.box === id + "@photo", photoRow);
  check(await page.$eval("#player", (v) => getComputedStyle(v).display === "none"), "the player gives way to the photo");
  await page.screenshot({ path: outDir + "/2-photo.png", fullPage: true });

  // verdicts and filters
  await page.selectOption("#f-verdict", "confirmed");
  check((await rows(page)).length === 0, "nothing confirmed yet");
  await page.selectOption("#f-verdict", "");
  await page.click(`.appearance[data-id="${target}"] .confirm`);
  await page.waitForSelector(`.appearance[data-id="${target}"][data-verdict="confirmed"]`);
  await page.selectOption("#f-verdict", "confirmed");
  check((await rows(page)).length === 1, "one confirmed");
  await page.selectOption("#f-verdict", "unreviewed");
  check((await rows(page)).length === all.length - 1, "the others unreviewed");
  await page.selectOption("#f-verdict", "");
  const media = await page.$$eval("#f-media option", (os) => os.map((o) => o.value).filter((v) => v));
  await page.selectOption("#f-media", media[0]);
  const oneMedia = (await rows(page)).length;
  check(oneMedia > 0 && oneMedia < all.length, "one media's appearances: " + oneMedia);
  await page.selectOption("#f-media", "");
  await page.fill("#f-min", "0.99");
  check((await rows(page)).length < all.length, "a score floor hides the weaker ones");
  await page.fill("#f-min", "");

  await page.reload();
  await page.waitForSelector(".appearance");
  await page.selectOption("#f-verdict", "confirmed");
  const kept = await rows(page);
  check(kept.length === 1 && kept[0].id === target, "the verdict survived a reload: " + JSON.stringify(kept));
  await page.screenshot({ path: outDir + "/3-confirmed.png", fullPage: true });

  // an unknown person: an unknown-faces cluster on the same page, read with a key for every gallery
  if (cluster) {
    await page.evaluate(() => sessionStorage.clear());
    await page.goto(`${base}/people?cluster=${cluster}`);
    await page.fill("#key", clusterKey);
    await page.click("#signin");
    await page.waitForSelector(".appearance");
    check((await page.textContent("#title")).includes("Unknown person"), "the unknown person's title");
    const first = await page.$eval(".appearance", (r) => r.dataset.id);
    await page.click(`.appearance[data-id="${first}"] .found`);
    await page.waitForFunction((id) => (document.getElementById("overlay").dataset.box || "").startsWith(id + "@"), first);
    await page.screenshot({ path: outDir + "/4-unknown.png", fullPage: true });
  }
  check(errors.length === 0, "no page errors: " + errors.join("; "));
  console.log("person page OK");
} finally {
  await browser.close();
}
