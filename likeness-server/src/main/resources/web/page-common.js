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
