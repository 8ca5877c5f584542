// Drives the review page in headless Debian Chromium: sign in, pick a gallery, upload a photo,
// check boxes and candidates appear (a known face named, an unknown one said plainly), open a
// subject's enrolled faces, view the audit trail as admin; screenshots go to OUTDIR. Usage: node review.mjs BASE_URL KEY PHOTO OUTDIR
import { launch, check } from "./browser.mjs";
import { mkdirSync } from "node:fs";

const [base, key, photo, outDir] = process.argv.slice(2);
mkdirSync(outDir, { recursive: true });
const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  // A resource the Content-Security-Policy refuses is a broken page too.
  page.on("console", (m) => { if (/Content Security Policy/i.test(m.text())) errors.push(m.text()); });
  await page.goto(base + "/");
  await page.fill("#key", "lk_wrong_key");
  await page.click("#signin");
  await page.waitForSelector("#message.error");
  check((await page.textContent("#message")).includes("Sign-in failed"), "a bad key is refused");
  await page.screenshot({ path: outDir + "/0-bad-key.png" });

  await page.fill("#key", key);
  await page.click("#signin");
  await page.waitForSelector("#app:not(.hidden)");
  check((await page.$$("#gallery option")).length >= 1, "galleries listed");
  await page.waitForSelector("#subjects li");
  await page.setInputFiles("#file", photo);
  await page.waitForSelector(".face-card");
  await page.waitForFunction(() => document.querySelectorAll(".face-card").length >= 2);
  const decisions = await page.$$eval(".face-card", (cards) => cards.map((c) => c.dataset.decision));
  check(decisions.includes("obama"), "Obama is named: " + decisions);
  check(decisions.includes("unknown"), "the face not enrolled is unknown: " + decisions);
  check((await page.textContent("#faces")).includes("unknown — nobody in the gallery clears the threshold"), "unknown said plainly");
  const candidates = await page.$$(".candidate");
  check(candidates.length >= 2, "candidates listed");
  await page.waitForSelector(".candidate img[alt^='enrolled face']");
  const canvas = await page.$eval("#photo", (c) => [c.width, c.height]);
  check(canvas[0] > 100 && canvas[1] > 100, "photo drawn with boxes");
  await page.screenshot({ path: outDir + "/1-identify.png", fullPage: true });

  await page.click("#subjects li:has-text('obama')");
  await page.waitForSelector(".subject-face img[alt^='enrolled face']");
  check((await page.textContent("#subject-detail")).includes("source image sha256"), "subject view lists faces with their source hash");
  await page.screenshot({ path: outDir + "/2-subject.png", fullPage: true });

  // Enrolment hygiene: the photo that disagrees with the subject's others is marked, and a person confirms it.
  await page.click("#subjects li:has-text('kit_harington')");
  await page.waitForSelector(".subject-face[data-review='suspect']");
  check((await page.textContent("#subject-detail")).includes("kept out of decisions until confirmed"), "the suspect face says so");
  await page.screenshot({ path: outDir + "/2b-suspect.png", fullPage: true });
  await page.click(".confirm-face");
  await page.waitForFunction(() => document.querySelectorAll(".subject-face").length === 3
    && document.querySelectorAll(".subject-face[data-review='suspect']").length === 0);

  await page.waitForSelector("#admin:not(.hidden)");
  await page.click("#audit-btn");
  await page.waitForSelector("#audit tr:nth-child(2)");
  check((await page.textContent("#audit")).includes("identify"), "audit shows the identify");
  await page.screenshot({ path: outDir + "/3-audit.png", fullPage: true });
  check(errors.length === 0, "no page errors: " + errors);
  console.log("review page OK: " + decisions.join(", "));
} finally {
  await browser.close();
}
