// index.html's script: a file of its own, as the pages' Content-Security-Policy allows no inline script
"use strict";
const form = document.getElementById("filters");
const p = ui.params();
form.team.value = p.team || ""; form.server.value = p.server || "";
form.onsubmit = e => { e.preventDefault(); ui.setParams({team: form.team.value, server: form.server.value}); load(); };
let rows = [];
function render(list) {
  const body = document.querySelector("#slos tbody");
  body.innerHTML = list.map(r => `<tr data-slo="${ui.esc(r.id)}"><td><a href="/ui/slo.html?id=${encodeURIComponent(r.id)}">${ui.esc(r.id)}</a></td>
    <td>${ui.esc(r.team)}</td><td class="state-${ui.esc(r.state)}">${ui.esc(r.state)}</td><td>${ui.objective(r.objective)}</td>
    <td class="sli">${ui.pct(r.sli)}</td><td><span class="bar"><i class="${r.budget < 0.25 ? "low" : ""}"></i></span>
    <span class="budget">${ui.pct(r.budget)}</span></td><td><span class="spark"></span> ${ui.num(r.burn)}</td><td>${ui.duration(r.exhaustion)}</td></tr>`).join("");
  list.forEach((r, i) => {
    // set through the DOM: the Content-Security-Policy refuses style attributes written into markup
    body.rows[i].querySelector(".bar i").style.width = Math.max(0, Math.min(1, r.budget ?? 0)) * 100 + "%";
    if (r.spark.length > 1) ui.sparkline(body.rows[i].querySelector(".spark"), r.spark);
  });
}
async function load() {
  const q = new URLSearchParams(); const f = ui.params();
  if (f.team) q.set("team", f.team); if (f.server) q.set("server", f.server);
  // one call: the list brings each SLO's 6-hour sparkline (no request per row)
  q.set("sparkline_hours", "6");
  // both asked at once: the page waits for the slower, not for the sum
  const [answer, active] = await Promise.all([ui.api("/api/v1/slos?" + q), ui.api("/api/v1/alerts?state=active")]);
  rows = answer.slos.map(s => ({id: s.id, team: s.team, state: s.state, objective: s.objective, sli: s.status && s.status.sli,
    budget: s.status && s.status.budget_remaining, burn: s.status && s.status.burn_rates["1h"],
    exhaustion: s.status && s.status.time_to_exhaustion_s, spark: s.sparkline_burn_1h}));
  render(rows);
  ui.sortable(document.getElementById("slos"), rows, render);
  const alerts = active.alerts;
  document.querySelector("#alerts tbody").innerHTML = alerts.map(a => `<tr><td>${ui.esc(a.at)}</td><td>${ui.esc(a.slo_id)}</td>
    <td class="state-${ui.esc(a.alert)}">${ui.esc(a.alert)} ${ui.esc(a.to)}</td><td>${ui.esc(a.summary)}</td>
    <td><a class="ledger" href="/ui/ledger.html?dedup_key=${encodeURIComponent(a.dedup_key)}">budget ledger</a></td></tr>`).join("")
    || "<tr><td>none</td></tr>";
  document.body.dataset.loaded = "true";
}
ui.live(load);
