// session.html's script: a file of its own, as the pages' Content-Security-Policy allows no inline script
"use strict";
async function load() {
  const p = ui.params();
  const range = p.from || p.to ? "?" + new URLSearchParams(Object.entries({from: p.from, to: p.to}).filter(([, v]) => v)) : "";
  const view = p.trace
    ? await ui.api(`/api/v1/traces/${encodeURIComponent(p.trace)}${range}`)
    : await ui.api(`/api/v1/sessions/${encodeURIComponent(p.id)}${range}`);
  document.getElementById("title").textContent = p.trace ? `trace ${p.trace}` : `session ${p.id}`;
  const failures = Object.entries(view.outcomes).filter(([k, n]) => k !== "ok" && n > 0).map(([k, n]) => `${n} ${k}`).join(", ");
  document.getElementById("summary").textContent = `${view.calls} calls from ${view.first} to ${view.last}`
    + (failures ? `: ${failures}` : ", all ok") + (view.audit_acts === "none" ? "" : ` (audit acts shown: ${view.audit_acts})`)
    + (view.truncated ? " — the first 5,000 only" : "");
  const first = view.first_failure;
  document.getElementById("broke").textContent = first ? `where it broke: ${first.ts} ${first.server} ${first.tool} ${first.outcome} ${first.error_code ?? ""} ${first.error_type}` : "";
  document.querySelector("#timeline tbody").innerHTML = view.timeline.map(i => i.kind === "call"
    ? `<tr class="call outcome-${ui.esc(i.outcome)}"><td>${ui.esc(i.ts)}</td><td>call</td><td>${ui.esc(i.server)}</td><td>${ui.esc(i.tool)}</td>
       <td>${ui.esc(i.outcome)}</td><td>${ui.esc(i.error_code ?? "")} ${ui.esc(i.error_type)}</td><td>${ui.num(i.duration_ms)}</td><td>${ui.esc(i.user)}</td></tr>`
    : `<tr class="audit"><td>${ui.esc(i.ts)}</td><td>audit</td><td>${ui.esc(i.server)}</td><td>${ui.esc(i.action)}</td>
       <td>${ui.esc(i.decision)} ${ui.esc(i.outcome)}</td><td>${ui.esc(i.reason)}</td><td></td><td>${ui.esc(i.actor)}</td></tr>`).join("");
  document.body.dataset.loaded = "true";
}
load().catch(e => ui.reportError(e.message));
