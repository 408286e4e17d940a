// audit.html's script: a file of its own, as the pages' Content-Security-Policy allows no inline script
"use strict";
const form = document.getElementById("filters"); const p = ui.params();
for (const k of ["actor", "action", "server", "decision"]) form[k].value = p[k] || "";
let cursor = null;
const query = () => { const q = new URLSearchParams(); for (const k of ["actor", "action", "server", "decision"]) if (form[k].value) q.set(k, form[k].value); return q; };
form.onsubmit = e => { e.preventDefault(); ui.setParams(Object.fromEntries(query())); cursor = null; document.querySelector("#events tbody").innerHTML = ""; load(); };
async function load(append) {
  const q = query(); q.set("limit", "100"); if (append && cursor) q.set("cursor", cursor);
  const page = await ui.api("/api/v1/audit?" + q);
  const body = document.querySelector("#events tbody"); if (!append) body.innerHTML = "";
  body.insertAdjacentHTML("beforeend", page.events.map(e => `<tr><td>${ui.esc(e.ts)}</td><td>${ui.esc(e.actor)}</td><td>${ui.esc(e.agent)}</td><td>${ui.esc(e.action)}</td><td>${ui.esc(e.resource)}</td><td>${ui.esc(e.decision)}</td><td>${ui.esc(e.policy)}</td><td>${ui.esc(e.outcome)}</td><td>${ui.esc(e.reason)}</td></tr>`).join(""));
  cursor = page.next_cursor; document.getElementById("more").disabled = !cursor;
  document.body.dataset.loaded = "true";
}
document.getElementById("more").onclick = () => load(true).catch(e => ui.reportError(e.message));
async function exportAs(format) {
  const q = query(); q.set("format", format);
  const response = await fetch("/api/v1/audit/export?" + q, {headers: {Authorization: "Bearer " + sessionStorage.getItem("mcp-slo-token")}});
  const link = document.createElement("a"); link.href = URL.createObjectURL(await response.blob()); link.download = "audit." + format; link.click();
}
document.getElementById("csv").onclick = () => exportAs("csv").catch(e => ui.reportError(e.message));
document.getElementById("ndjson").onclick = () => exportAs("ndjson").catch(e => ui.reportError(e.message));
document.getElementById("verify").onclick = async () => {
  const v = await ui.api("/api/v1/audit/verify");
  document.getElementById("verdict").textContent = v.intact ? `chain intact (${v.rows_checked} events checked)` : `chain broken: ${v.first_broken.kind} at ${v.first_broken.partition}/${v.first_broken.seq}`;
};
ui.live(() => load(false));
