// explorer.html's script: a file of its own, as the pages' Content-Security-Policy allows no inline script
"use strict";
const form = document.getElementById("filters"); const p = ui.params();
for (const k of ["server", "tool", "version", "hours"]) form[k].value = p[k] || (k === "hours" ? 6 : "");
form.onsubmit = e => { e.preventDefault(); ui.setParams({server: form.server.value, tool: form.tool.value, version: form.version.value, hours: form.hours.value}); load(); };
const minute = s => s.replace(/\.\d+Z$/, "Z").replace(/:\d\dZ$/, ":00Z");
async function load() {
  const r = ui.range(); const f = ui.params(); const q = new URLSearchParams();
  for (const k of ["server", "tool", "version"]) if (f[k]) q.set(k, f[k]);
  q.set("from", minute(r.from)); q.set("to", minute(r.to)); q.set("step", "5m");
  const latency = await ui.api("/api/v1/latency?" + q); const failures = await ui.api("/api/v1/failures?" + q);
  ui.chart(document.getElementById("latency"), "latency p50 / p95 / p99 (ms)", latency.points.map(x => x.start),
    ["p50_ms", "p95_ms", "p99_ms"].map(k => ({label: k, values: latency.points.map(x => x[k])})));
  ui.chart(document.getElementById("failures"), "calls by outcome", failures.points.map(x => x.start),
    ["ok", "tool_error", "transport_error", "denied", "rate_limited"].map(k => ({label: k, values: failures.points.map(x => x[k])})));
  // totals: counts add up from the chart's points; the p95 needs the merged sketch of the whole range
  const t = {};
  for (const k of ["calls", "ok", "tool_error", "transport_error", "denied", "rate_limited"]) t[k] = failures.points.reduce((sum, x) => sum + x[k], 0);
  q.set("step", "all");
  const l = (await ui.api("/api/v1/latency?" + q)).points[0];
  document.querySelector("#totals tbody").innerHTML = `<tr><td class="calls">${t.calls}</td><td>${t.ok}</td><td>${t.tool_error}</td><td>${t.transport_error}</td><td>${t.denied}</td><td>${t.rate_limited}</td><td class="p95">${l.p95_ms ?? "–"}</td></tr>`;
  document.body.dataset.loaded = "true";
}
ui.live(load);
