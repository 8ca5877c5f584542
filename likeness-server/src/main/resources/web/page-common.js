"use strict";
// What every review page shares, placed by the server before each page's own script
// (PageRoutes); the security policy admits it by hash like the rest.
const $ = (id) => document.getElementById(id);
let key = sessionStorage.getItem("likeness-key") || "";

async function api(path, opts = {}) {
  const r = await fetch(path, { ...opts, headers: { ...(opts.headers || {}), "X-API-Key": key } });
  if (!r.ok) {
    let detail = r.status + "";
    try { const p = await r.json(); detail = p.title + ": " + p.detail; } catch (e) { /* not JSON */ }
    throw new Error(detail);
  }
  return r;
}

function say(text, isError) {
  $("message").textContent = text;
  $("message").className = isError ? "error" : "note";
}

function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

function timecode(seconds) {
  const tenths = Math.round(Math.max(0, seconds) * 10);
  const pad = (n) => String(n).padStart(2, "0");
  return pad(Math.floor(tenths / 36000)) + ":" + pad(Math.floor(tenths / 600) % 60) + ":" + pad(Math.floor(tenths / 10) % 60) + "." + (tenths % 10);
}

async function blobUrl(path) {
  try {
    return URL.createObjectURL(await (await api(path)).blob());
  } catch (e) {
    return null;
  }
}

/**
 * A video link holds for an hour. When the player fails (an expired link is refused), the scan
 * {@code currentScan()} names is asked for a fresh link and the player goes on from the same
 * moment; {@code renewed(url)} hears it (a page's cache of the scan). Once per successful load, so a
 * link refused again stops here with a message.
 */
function renewVideoLinks(player, currentScan, renewed) {
  let retried = false;
  player.addEventListener("loadeddata", () => { retried = false; });
  player.addEventListener("error", async () => {
    const id = currentScan();
    if (id === null || id === undefined) return;
    if (retried) {
      say("The video cannot be played from the server (its link was refused again).", true);
      return;
    }
    retried = true;
    const at = player.currentTime;
    try {
      const fresh = await (await api("/v1/scans/" + id)).json();
      if (currentScan() !== id) return; // another scan was opened meanwhile
      if (!fresh.videoUrl) {
        say("The video is no longer served: it is gone or changed where it was scanned.", true);
        return;
      }
      renewed(fresh.videoUrl);
      player.src = fresh.videoUrl;
      player.currentTime = at;
    } catch (e) {
      say("Could not renew the video link: " + e.message, true);
    }
  });
}
