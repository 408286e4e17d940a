// explorer.html's script: a file of its own, as the pages' Content-Security-Policy allows no inline script
"use strict";
const form = document.getElementById("filters"); const p = ui.params();
for (const k of ["server", "tool", "version", "hours"]) form[k].value = p[k] || (k === "hours" ? 6 : "");
form.onsubmit = e => { e.preventDefault(); ui.setParams({server: form.server.value, tool: form.tool.value, version: form.version.value, hours: form.hours.value}); load(); };
const minute = s => s.replace(/\.\d+Z$/, "Z").replace(/:\d\dZ$/, ":00Z");
async function load() {
  const r = ui.range(); const f = ui.params(); const q = new URLSearchParams();
  for (const k of ["server", "tool", "version"]) if (f[k]) q.set(k, f[k]);
  q.set("from", minute(r.from)); q.set("to", minute(r.to)); q.set("step", ui.step(r));
  const whole = new URLSearchParams(q); whole.set("step", "all");
  const recentQuery = new URLSearchParams(q); recentQuery.delete("step");
  recentQuery.set("outcome", "tool_error,transport_error,denied,rate_limited"); recentQuery.set("limit", "20");
  // every question at once: the page waits for the slowest, not for the sum
  const [latency, failures, wholeRange, failedCalls] = await Promise.all([ui.api("/api/v1/latency?" + q),
    ui.api("/api/v1/failures?" + q), ui.api("/api/v1/latency?" + whole), ui.api("/api/v1/calls?" + recentQuery)]);
  ui.chart(document.getElementById("latency"), "latency p50 / p95 / p99 (ms)", latency.points.map(x => x.start),
    ["p50_ms", "p95_ms", "p99_ms"].map(k => ({label: k, values: latency.points.map(x => x[k])})));
  ui.chart(document.getElementById("failures"), "calls by outcome", failures.points.map(x => x.start),
    ["ok", "tool_error", "transport_error", "denied", "rate_limited"].map(k => ({label: k, values: failures.points.map(x => x[k])})));
  // totals: counts add up from the chart's points; the p95 needs the merged sketch of the whole range
  const t = {};
  for (const k of ["calls", "ok", "tool_error", "transport_error", "denied", "rate_limited"]) t[k] = failures.points.reduce((sum, x) => sum + x[k], 0);
  const l = wholeRange.points[0];
  document.querySelector("#totals tbody").innerHTML = `<tr><td class="calls">${t.calls}</td><td>${t.ok}</td><td>${t.tool_error}</td><td>${t.transport_error}</td><td>${t.denied}</td><td>${t.rate_limited}</td><td class="p95">${l.p95_ms ?? "–"}</td></tr>`;
  const recent = failedCalls.calls;
  // trace_url comes from the operator's http(s) template and the stored hex ids; escaped all the same
  document.querySelector("#recent tbody").innerHTML = recent.map(c => `<tr><td>${ui.esc(c.ts)}</td><td>${ui.esc(c.server)}</td><td>${ui.esc(c.tool || c.method)}</td><td>${ui.esc(c.server_version)}</td><td>${ui.esc(c.outcome)}</td><td>${ui.num(c.duration_ms)}</td><td>${ui.esc(c.error_code ?? c.error_type)}</td><td>${c.trace_url ? `<a class="trace" href="${ui.esc(c.trace_url)}" rel="noopener noreferrer" target="_blank">${ui.esc(c.trace_id.slice(0, 8))}…</a>` : ""}</td></tr>`).join("");
  document.body.dataset.loaded = "true";
}
ui.live(load);
