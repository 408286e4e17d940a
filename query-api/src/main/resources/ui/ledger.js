// ledger.html's script: a file of its own, as the pages' Content-Security-Policy allows no inline script
"use strict";
const DIMENSIONS = {tool: "tool", version: "server version", error_code: "error code", error_type: "error type",
  source: "gateway (source)", user: "user", session: "session"};
// the API's call-search link, as the calls page that shows it
const callsPage = link => link.replace(/^\/api\/v1\/calls\?/, "/ui/calls.html?");
async function load() {
  const p = ui.params();
  const ledger = p.dedup_key
    ? await ui.api(`/api/v1/alerts/${encodeURIComponent(p.dedup_key)}/ledger`)
    : await ui.api(`/api/v1/slos/${encodeURIComponent(p.slo)}/ledger?from=${encodeURIComponent(ui.range().from)}&to=${encodeURIComponent(ui.range().to)}`);
  document.getElementById("title").textContent = `${ledger.slo_id} — budget ledger` + (ledger.alert ? ` of ${ledger.alert.alert} alert ${ledger.alert.dedup_key}` : "");
  const bad = ledger.bad_when;
  const rule = [bad.bad_outcomes.length ? "outcome " + bad.bad_outcomes.join(" or ") : "", bad.over_ms != null ? `over ${bad.over_ms} ms` : ""].filter(Boolean).join(", ");
  // a timeslice SLO burns minutes: each bad minute is shared among the bad calls in it
  const minutes = ledger.bad_minutes != null ? ` in ${ledger.bad_minutes} bad minutes of ${ledger.counted_minutes}` : "";
  document.getElementById("summary").textContent = `${ledger.sli}: ${ledger.bad_calls} bad calls (${rule}) of ${ledger.counted_calls} counted${minutes}, `
    + `${ledger.from} – ${ledger.to}` + (ledger.budget_spent != null ? `; ${ui.pct(ledger.budget_spent)} of the window's budget` : "")
    + (ledger.first_bad ? `; first ${ledger.first_bad}, last ${ledger.last_bad}` : "");
  document.getElementById("all-calls").href = callsPage(ledger.calls_link);
  document.getElementById("groups").innerHTML = Object.entries(DIMENSIONS).map(([key, label]) => `<div class="card"><h3>${label}</h3>
    <table data-dimension="${key}"><thead><tr><th>${label}</th><th>bad calls</th><th>share of the burn</th><th>of the budget</th><th>first – last</th></tr></thead><tbody>
    ${ledger.groups[key].map(g => `<tr><td>${g.calls_link ? `<a href="${ui.esc(callsPage(g.calls_link))}">${ui.esc(g.value)}</a>` : "(none)"}</td>
      <td class="bad">${g.bad_calls}${g.bad_minutes != null ? ` (in ${g.bad_minutes} bad minutes)` : ""}</td><td class="share">${ui.pct(g.share_of_bad)}</td><td>${ui.pct(g.budget_spent)}</td>
      <td>${ui.esc(g.first_bad)} – ${ui.esc(g.last_bad)}</td></tr>`).join("")}</tbody></table></div>`).join("");
  document.body.dataset.loaded = "true";
}
load().catch(e => ui.reportError(e.message));
