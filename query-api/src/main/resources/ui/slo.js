// slo.html's script: a file of its own, as the pages' Content-Security-Policy allows no inline script
"use strict";
const minute = s => s.replace(/\.\d+Z$/, "Z").replace(/:\d\dZ$/, ":00Z");
const form = document.getElementById("filters"); form.hours.value = ui.params().hours || 24;
form.onsubmit = e => { e.preventDefault(); ui.setParams({hours: form.hours.value}); load(); };
async function load() {
  const id = ui.params().id; const r = ui.range();
  // two waves of questions asked at once: the SLO (whose scope the rest need) with the break-glass acts, then the
  // latency, failures and tools of that scope; the page waits for the slowest of each wave, not for the sum
  const [slo, acts] = await Promise.all([
    ui.api(`/api/v1/slos/${encodeURIComponent(id)}?from=${r.from}&to=${r.to}&step=${ui.step(r)}`), breakGlass(r)]);
  document.getElementById("title").textContent = `${slo.id} — ${slo.state}`;
  document.getElementById("summary").textContent = `${slo.sli_kind}, objective ${ui.objective(slo.objective)} over ${ui.windowWords(slo.window)}; ` +
    (slo.status ? `SLI ${ui.pct(slo.status.sli)}, budget remaining ${ui.pct(slo.status.budget_remaining)}, exhausted in ${ui.duration(slo.status.time_to_exhaustion_s)}` : "no data yet");
  const times = slo.series.map(p => p.at);
  const marks = slo.alerts.map(a => ({at: a.at, label: a.alert + " " + a.to, color: "#b91c1c"}))
    .concat(acts.map(b => ({at: b.ts, label: b.action, color: "#c2410c"})));
  document.body.dataset.marks = String(marks.length);
  const windows = ["5m", "30m", "1h", "6h", "1d", "3d"];
  ui.chart(document.getElementById("burn"), "burn rate per window", times,
    windows.map(w => ({label: w, values: slo.series.map(p => p.burn_rates[w])})),
    [{label: "page 14.4", value: 14.4}, {label: "page 6", value: 6}, {label: "ticket 1", value: 1}], 220, marks);
  ui.chart(document.getElementById("budget"), "error budget remaining", times, [{label: "budget", values: slo.series.map(p => p.budget_remaining)}], [], 220, marks);
  ui.chart(document.getElementById("sli"), "SLI", times, [{label: "SLI", values: slo.series.map(p => p.sli)}], [{label: "objective", value: slo.objective}]);
  const server = slo.scope.server ? "server=" + encodeURIComponent(slo.scope.server) + "&" : "";
  const tool = slo.scope.tool ? "tool=" + encodeURIComponent(slo.scope.tool) + "&" : "";
  const range = `from=${minute(r.from)}&to=${minute(r.to)}`;
  const [latency, failures, versions] = await Promise.all([
    ui.api(`/api/v1/latency?${server}${tool}${range}&step=${ui.step(r)}`),
    ui.api(`/api/v1/failures?${server}${tool}${range}&step=${ui.step(r)}`),
    // the API sorts and pages: only the rows the card shows travel
    ui.api(`/api/v1/tools?${server}${range}&sort=failures&limit=20`)]);
  ui.chart(document.getElementById("latency"), "latency p50 / p95 / p99 (ms)", latency.points.map(p => p.start),
    ["p50_ms", "p95_ms", "p99_ms"].map(k => ({label: k, values: latency.points.map(p => p[k])})));
  ui.chart(document.getElementById("split"), "tool vs transport failures", failures.points.map(p => p.start),
    [{label: "tool errors", values: failures.points.map(p => p.tool_error)}, {label: "transport errors", values: failures.points.map(p => p.transport_error)}]);
  document.querySelector("#versions tbody").innerHTML = versions.tools.map(t => `<tr><td>${ui.esc(t.tool)} (${ui.esc(t.server_version)})</td>
    <td>${t.calls}</td><td>${t.tool_error}</td><td>${t.transport_error}</td><td>${t.p95_ms ?? "–"} ms</td></tr>`).join("");
  document.querySelector("#alerts tbody").innerHTML = slo.alerts.map(a => `<tr><td>${ui.esc(a.at)}</td><td>${ui.esc(a.alert)} → ${ui.esc(a.to)}</td><td>${ui.esc(a.summary)}</td>
    <td><a class="ledger" href="/ui/ledger.html?dedup_key=${encodeURIComponent(a.dedup_key)}">budget ledger</a></td></tr>`).join("")
    + acts.map(b => `<tr><td>${ui.esc(b.ts)}</td><td>${ui.esc(b.action)}</td><td>${ui.esc(b.actor)}: ${ui.esc(b.reason)}</td></tr>`).join("");
  document.getElementById("ledger").href = `/ui/ledger.html?slo=${encodeURIComponent(slo.id)}&from=${encodeURIComponent(r.from)}&to=${encodeURIComponent(r.to)}`;
  document.body.dataset.loaded = "true";
}
async function breakGlass(r) {
  try { return (await ui.api(`/api/v1/audit/break-glass?from=${r.from}&to=${r.to}`)).acts; } catch (e) { return []; }
}
ui.live(load);
