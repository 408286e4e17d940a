// Shared by the built-in pages: the viewer's token, API calls, URL state, charts, errors, live refresh.
"use strict";
const ui = (() => {
  const errors = [];
  function reportError(message) {
    errors.push(message);
    const box = document.getElementById("errors");
    if (box) box.textContent = errors.join("\n");
  }
  window.addEventListener("error", e => reportError("error: " + e.message));
  window.addEventListener("unhandledrejection", e => reportError("error: " + (e.reason && e.reason.message || e.reason)));

  // A token given once as #token=… is kept for the session and removed from the address, so links stay shareable.
  const fragment = new URLSearchParams(location.hash.slice(1));
  if (fragment.get("token")) {
    sessionStorage.setItem("mcp-slo-token", fragment.get("token"));
    history.replaceState(null, "", location.pathname + location.search);
  }
  const token = () => sessionStorage.getItem("mcp-slo-token");

  function notice(text) {
    document.getElementById("notice").textContent = text;
  }

  function askForToken() {
    notice("");
    const box = document.getElementById("notice");
    box.innerHTML = 'Paste a bearer token (see .data/local-tokens.env): <input id="tok" size="50"> <button id="tokgo">use</button>';
    document.getElementById("tokgo").onclick = () => {
      sessionStorage.setItem("mcp-slo-token", document.getElementById("tok").value.trim());
      location.reload();
    };
  }

  async function api(path) {
    if (!token()) { askForToken(); throw new Error("no token"); }
    const response = await fetch(path, {headers: {Authorization: "Bearer " + token()}});
    if (response.status === 401) { askForToken(); throw new Error("token refused"); }
    const body = await response.json();
    if (response.status === 403) { notice(body.error); throw new Error(body.error); }
    if (!response.ok) { throw new Error(path + ": " + (body.error || response.status)); }
    return body;
  }

  const params = () => Object.fromEntries(new URLSearchParams(location.search));
  function setParams(values) {
    const next = new URLSearchParams(location.search);
    for (const [k, v] of Object.entries(values)) { if (v === "" || v == null) next.delete(k); else next.set(k, v); }
    history.replaceState(null, "", location.pathname + (next.toString() ? "?" + next : ""));
  }
  function range() {
    const p = params();
    const hours = Number(p.hours || 24);
    const to = p.to ? new Date(p.to) : new Date();
    const from = p.from ? new Date(p.from) : new Date(to.getTime() - hours * 3600e3);
    return {from: from.toISOString(), to: to.toISOString()};
  }

  // The chart step for a range: 5-minute points up to a day, hours beyond (30 days by 5 minutes would be 8,640
  // points per series, read from minutes; by hours, 720 from the hourly rollups)
  function step(r) {
    return new Date(r.to) - new Date(r.from) > 24 * 3600e3 ? "1h" : "5m";
  }

  const pct = v => v == null ? "–" : (v * 100).toFixed(3) + " %";
  const num = v => v == null ? "–" : Number(v).toFixed(2);
  // An objective as people write it, with the fewest decimals within 1e-9 of it: 0.9990000000000001 is "99.9 %"
  // (as SloTargetText does for alert summaries); the API keeps the exact number.
  function objective(v) {
    if (v == null) return "–";
    for (let decimals = 0; decimals <= 12; decimals++) {
      const shown = Number((v * 100).toFixed(decimals));
      if (shown > 0 && shown < 100 && Math.abs(shown / 100 - v) <= 1e-9) return shown.toFixed(decimals) + " %";
    }
    return (v * 100) + " %";
  }
  // A rolling window in words ("30d rolling" is "30 days"); calendar windows read as the API names them.
  function windowWords(text) {
    const m = /^(\d+)([smhdw]) rolling$/.exec(text || "");
    if (!m) return text;
    const unit = {s: "second", m: "minute", h: "hour", d: "day", w: "week"}[m[2]];
    return `${m[1]} ${unit}${m[1] === "1" ? "" : "s"}`;
  }
  const esc = s => String(s == null ? "" : s).replace(/[&<>"]/g, c => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}[c]));
  function duration(seconds) {
    if (seconds == null) return "never at this burn";
    if (seconds < 3600) return Math.round(seconds / 60) + " min";
    if (seconds < 172800) return (seconds / 3600).toFixed(1) + " h";
    return (seconds / 86400).toFixed(1) + " d";
  }

  const palette = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#4b5563"];
  // Rows for mark labels, given in x order as [{x, width}]: a label that would overlap the one before it in a row
  // goes to the next row; past the last row it is left out (the table below the charts lists every event).
  // Returns each label's row, or -1.
  function labelRows(labels, rows = 4, gap = 6) {
    const ends = new Array(rows).fill(-Infinity);
    return labels.map(label => {
      const row = ends.findIndex(end => label.x >= end + gap);
      if (row >= 0) ends[row] = label.x + label.width;
      return row;
    });
  }

  // Vertical markers (alerts, break-glass acts) drawn over a chart: [{at: ISO time, label, color}]. Labels of
  // events close together are staggered, not printed on top of each other; where they went is left in the chart's
  // data-mark-labels ("row:left-right" per label) for the page's test.
  function markers(marks) {
    return {hooks: {draw: [u => {
      const ctx = u.ctx;
      ctx.save();
      ctx.font = "11px sans-serif";
      const lineHeight = 13;
      const shown = marks.map(mark => ({mark, x: u.valToPos(Date.parse(mark.at) / 1000, "x", true)}))
        .filter(m => m.x >= u.bbox.left && m.x <= u.bbox.left + u.bbox.width)
        .sort((a, b) => a.x - b.x)
        .map(m => ({...m, width: ctx.measureText(m.mark.label).width + 3}));
      const rows = labelRows(shown, Math.max(1, Math.min(4, Math.floor(u.bbox.height / lineHeight / 3))));
      shown.forEach((m, i) => {
        ctx.strokeStyle = m.mark.color; ctx.lineWidth = 2; ctx.setLineDash([3, 3]);
        ctx.beginPath(); ctx.moveTo(m.x, u.bbox.top); ctx.lineTo(m.x, u.bbox.top + u.bbox.height); ctx.stroke();
        if (rows[i] >= 0) {
          ctx.fillStyle = m.mark.color; ctx.fillText(m.mark.label, m.x + 3, u.bbox.top + 12 + rows[i] * lineHeight);
        }
      });
      ctx.restore();
      if (marks.length) u.root.dataset.markLabels = shown.map((m, i) => `${rows[i]}:${Math.round(m.x)}-${Math.round(m.x + m.width)}`).join(" ");
    }]}};
  }

  // A time chart; thresholds are drawn as dashed horizontal lines, marks as vertical ones.
  function chart(element, title, times, series, thresholds = [], height = 220, marks = []) {
    element.innerHTML = "";
    const data = [times.map(t => Date.parse(t) / 1000)];
    const specs = [{}];
    series.forEach((s, i) => { data.push(s.values); specs.push({label: s.label, stroke: palette[i % palette.length], width: 2}); });
    thresholds.forEach(t => {
      data.push(times.map(() => t.value));
      specs.push({label: t.label, stroke: "#b91c1c", dash: [6, 4], width: 1});
    });
    const width = Math.max(300, element.clientWidth || 520);
    return new uPlot({title, width, height, series: specs, axes: [{}, {}], plugins: [markers(marks)]}, data, element);
  }

  function sparkline(element, values) {
    const times = values.map((_, i) => i);
    return new uPlot({width: 120, height: 30, legend: {show: false}, cursor: {show: false},
      axes: [{show: false}, {show: false}], series: [{}, {stroke: "#2563eb", width: 1}], scales: {x: {time: false}}},
      [times, values], element);
  }

  // Loads now and every 30 s; errors are shown, not swallowed. The first load's end, in ms since navigation, is
  // kept on the body for `mcp-slo bench queries`, which times the pages in headless chromium.
  function live(load) {
    const run = () => load().then(() => {
      if (!document.body.dataset.loadedMs) document.body.dataset.loadedMs = String(Math.round(performance.now()));
    }).catch(e => { if (e.message !== "no token" && e.message !== "token refused") reportError(e.message); });
    run();
    setInterval(run, 30000);
  }

  function sortable(table, rows, render) {
    let key = null, ascending = true;
    table.querySelectorAll("th[data-key]").forEach(th => th.onclick = () => {
      ascending = key === th.dataset.key ? !ascending : true;
      key = th.dataset.key;
      rows.sort((a, b) => (a[key] > b[key] ? 1 : a[key] < b[key] ? -1 : 0) * (ascending ? 1 : -1));
      render(rows);
    });
  }

  return {api, params, setParams, range, step, pct, num, objective, windowWords, esc, duration, chart, sparkline, live, sortable, reportError};
})();
