// calls.html's script: a file of its own, as the pages' Content-Security-Policy allows no inline script
"use strict";
const FILTERS = ["server", "tool", "version", "session", "user", "team", "trace", "source", "outcome", "error_code",
  "error_type", "min_ms", "from", "to"];
const form = document.getElementById("filters"); const p = ui.params();
for (const k of FILTERS) if (form[k]) form[k].value = p[k] || "";
let cursor = null;
// the form's fields, and the filters a link brought that the form does not show (team, source, from, to …)
const query = () => {
  const q = new URLSearchParams();
  for (const k of FILTERS) { const v = form[k] ? form[k].value : ui.params()[k]; if (v) q.set(k, v); }
  return q;
};
form.onsubmit = e => { e.preventDefault(); ui.setParams(Object.fromEntries(FILTERS.map(k => [k, form[k] ? form[k].value : ui.params()[k]]))); load(false); };
const error = c => c.error_code == null && !c.error_type ? "" : `${c.error_code ?? ""} ${c.error_type}`;
async function load(append) {
  const q = query(); q.set("limit", "100"); if (append && cursor) q.set("cursor", cursor);
  const page = await ui.api("/api/v1/calls?" + q);
  document.getElementById("range").textContent = `calls from ${page.from} to ${page.to}, newest first`;
  const body = document.querySelector("#calls tbody"); if (!append) body.innerHTML = "";
  body.insertAdjacentHTML("beforeend", page.calls.map(c => `<tr data-event="${ui.esc(c.event_id)}"><td>${ui.esc(c.ts)}</td>
    <td>${ui.esc(c.server)}</td><td>${ui.esc(c.tool)} (${ui.esc(c.server_version)})</td><td class="outcome-${ui.esc(c.outcome)}">${ui.esc(c.outcome)}</td>
    <td>${ui.esc(error(c))}</td><td>${ui.num(c.duration_ms)}</td><td>${ui.esc(c.user)}</td>
    <td>${c.session_id ? `<a href="/ui/session.html?id=${encodeURIComponent(c.session_id)}&to=${encodeURIComponent(page.to)}">${ui.esc(c.session_id)}</a>` : ""}</td>
    <td>${c.trace_id ? `<a href="/ui/session.html?trace=${encodeURIComponent(c.trace_id)}&to=${encodeURIComponent(page.to)}">${ui.esc(c.trace_id.slice(0, 8))}…</a>` : ""}</td>
    <td>${ui.esc(c.source)}</td></tr>`).join(""));
  cursor = page.next_cursor; document.getElementById("more").disabled = !cursor;
  document.body.dataset.rows = String(body.rows.length);
  document.body.dataset.loaded = "true";
}
document.getElementById("more").onclick = () => load(true).catch(e => ui.reportError(e.message));
async function exportAs(format) {
  const q = query(); q.set("format", format);
  const response = await fetch("/api/v1/calls/export?" + q, {headers: {Authorization: "Bearer " + sessionStorage.getItem("mcp-slo-token")}});
  const link = document.createElement("a"); link.href = URL.createObjectURL(await response.blob()); link.download = "calls." + format; link.click();
}
document.getElementById("csv").onclick = () => exportAs("csv").catch(e => ui.reportError(e.message));
document.getElementById("ndjson").onclick = () => exportAs("ndjson").catch(e => ui.reportError(e.message));
// a search is a snapshot of an incident: it is not refreshed under the reader's eyes (paging would shift)
load(false).catch(e => ui.reportError(e.message));
