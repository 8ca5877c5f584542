// What every browser script here shares: headless Debian Chromium (CHROMIUM overrides its path),
// started without the features a loopback test does not want, and a check that fails the run.
import { chromium } from "playwright-core";

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--autoplay-policy=no-user-gesture-required"],
  });
}

export function check(cond, what) {
  if (!cond) throw new Error("check failed: " + what);
}
