// The dashboard page: one self-contained HTML document (inline CSS and JS, SVG charts drawn by
// hand; nothing is fetched from elsewhere). It polls /api/overview once a second with the API key
// in an Authorization header. The key comes from the login form or the URL fragment (#key=...),
// is removed from the address bar at once and kept in sessionStorage (gone when the tab closes).
// Every value from the server is written with textContent, never as HTML.
export const DASHBOARD_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>proofmarket dashboard</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
  :root { --fg:#1d2330; --muted:#6b7385; --line:#e3e6ee; --accent:#2f6fde; --ok:#1f9d55; --bad:#d64545; --warn:#c98a0b; }
  * { box-sizing: border-box; }
  body { font: 14px/1.4 system-ui, sans-serif; color: var(--fg); margin: 0; background: #f6f7fb; }
  header { display:flex; align-items:center; gap:16px; padding: 10px 20px; background:#fff; border-bottom:1px solid var(--line); }
  header h1 { font-size: 18px; margin: 0; }
  header .who { margin-left:auto; color: var(--muted); }
  main { padding: 16px 20px; display:grid; grid-template-columns: repeat(auto-fit, minmax(440px, 1fr)); gap: 16px; }
  section { background:#fff; border:1px solid var(--line); border-radius: 8px; padding: 12px 14px; overflow:auto; }
  section.wide { grid-column: 1 / -1; }
  h2 { font-size: 15px; margin: 0 0 8px; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align:left; padding: 4px 6px; border-bottom: 1px solid var(--line); white-space: nowrap; font-variant-numeric: tabular-nums; }
  th { color: var(--muted); font-weight: 500; }
  .state { font-weight: 600; }
  .s-DONE { color: var(--ok); } .s-FAILED, .s-EXPIRED, .s-CANCELLED { color: var(--bad); }
  .s-PROVING, .s-ASSIGNED, .s-VERIFYING { color: var(--accent); } .s-QUEUED, .s-SUBMITTED { color: var(--warn); }
  .bar { width: 120px; height: 8px; background: var(--line); border-radius: 4px; overflow: hidden; display:inline-block; vertical-align: middle; }
  .bar > i { display:block; height:100%; background: var(--accent); }
  .muted { color: var(--muted); }
  .kpis { display:flex; gap: 24px; flex-wrap: wrap; }
  .kpi b { display:block; font-size: 20px; }
  #login { max-width: 420px; margin: 80px auto; background:#fff; border:1px solid var(--line); border-radius: 8px; padding: 20px; }
  #login input { width: 100%; padding: 8px; margin: 8px 0; font: inherit; }
  button { font: inherit; padding: 6px 14px; border: 1px solid var(--accent); background: var(--accent); color: #fff; border-radius: 6px; cursor: pointer; }
  button.link { background: none; color: var(--accent); border: none; padding: 0; }
  .err { color: var(--bad); }
  svg text { font-size: 10px; fill: var(--muted); }
</style></head>
<body>
<div id="login" hidden>
  <h2>proofmarket</h2>
  <p class="muted">Sign in with your account's API key. It stays in this tab (sessionStorage) and is sent only as an Authorization header.</p>
  <form id="login-form"><input id="key" type="password" autocomplete="off" placeholder="API key" aria-label="API key"><button type="submit">Sign in</button></form>
  <p id="login-error" class="err"></p>
</div>
<div id="app" hidden>
  <header><h1>proofmarket</h1><span class="muted" id="updated"></span>
    <span class="who">signed in as <b id="who"></b> (<span id="role"></span>) <button class="link" id="logout">sign out</button></span></header>
  <main>
    <section class="wide"><h2>Market</h2><div class="kpis" id="kpis"></div></section>
    <section><h2>Throughput (jobs/s, last 2 min)</h2><svg id="chart-rate" width="100%" height="140" viewBox="0 0 440 140" preserveAspectRatio="none"></svg>
      <div class="muted"><span style="color:#2f6fde">&#9632;</span> done <span style="color:#c98a0b">&#9632;</span> submitted</div></section>
    <section><h2>Latency (ms, p50 per second)</h2><svg id="chart-lat" width="100%" height="140" viewBox="0 0 440 140" preserveAspectRatio="none"></svg>
      <div class="muted"><span style="color:#2f6fde">&#9632;</span> submit &rarr; done <span style="color:#1f9d55">&#9632;</span> submit &rarr; assignment</div></section>
    <section class="wide"><h2>Jobs</h2><table id="jobs"><thead><tr><th>job</th><th>circuit</th><th>state</th><th>progress</th><th>attempts</th><th>prover</th><th>price</th><th>prove ms</th><th>age</th><th>error</th></tr></thead><tbody></tbody></table></section>
    <section class="wide"><h2>Provers</h2><table id="provers"><thead><tr><th>prover</th><th>state</th><th>slots</th><th>price</th><th>per M constraints</th><th>reputation</th><th>accepted / rejected</th><th>measured prove ms</th><th>benchmark</th><th>curves</th></tr></thead><tbody></tbody></table></section>
    <section><h2>Balance</h2><table id="balance"><tbody></tbody></table></section>
    <section><h2>Circuits</h2><table id="circuits"><thead><tr><th>name</th><th>curve</th><th>constraints</th><th>public inputs</th><th>visibility</th></tr></thead><tbody></tbody></table></section>
    <section class="wide"><h2>Ledger</h2><table id="ledger"><thead><tr><th>time</th><th>book</th><th>amount</th><th>reason</th><th>job</th><th>explanation</th></tr></thead><tbody></tbody></table></section>
  </main>
</div>
<script>
(function () {
  'use strict';
  var KEY = 'pm-api-key';
  var m = /(?:^|[#&])key=([^&]+)/.exec(location.hash);
  if (m) { sessionStorage.setItem(KEY, decodeURIComponent(m[1])); history.replaceState(null, '', location.pathname); }
  var $ = function (id) { return document.getElementById(id); };
  var timer = null;

  function el(tag, text, cls) { var e = document.createElement(tag); if (text !== undefined && text !== null) e.textContent = String(text); if (cls) e.className = cls; return e; }
  function row(cells) { var tr = document.createElement('tr'); cells.forEach(function (c) { var td = document.createElement('td'); if (c instanceof Node) td.appendChild(c); else td.textContent = c === null || c === undefined ? '' : String(c); tr.appendChild(td); }); return tr; }
  function fill(id, rows, empty) { var tb = $(id).querySelector('tbody'); tb.replaceChildren.apply(tb, rows.length ? rows : [row([el('span', empty, 'muted')])]); }
  function age(ms, now) { var s = Math.max(0, Math.round((now - ms) / 1000)); return s < 60 ? s + ' s' : s < 3600 ? Math.round(s / 60) + ' min' : Math.round(s / 3600) + ' h'; }
  function bar(frac) { var b = el('span', null, 'bar'); var i = document.createElement('i'); i.style.width = Math.round(Math.max(0, Math.min(1, frac)) * 100) + '%'; b.appendChild(i); return b; }

  function chart(svg, series, keys, colors) {
    var W = 440, H = 140, P = 24, max = 1;
    series.forEach(function (p) { keys.forEach(function (k) { if (p[k] !== null && p[k] > max) max = p[k]; }); });
    var NS = 'http://www.w3.org/2000/svg';
    var parts = [];
    var axis = document.createElementNS(NS, 'line'); axis.setAttribute('x1', P); axis.setAttribute('x2', W); axis.setAttribute('y1', H - 14); axis.setAttribute('y2', H - 14); axis.setAttribute('stroke', '#e3e6ee'); parts.push(axis);
    var top = document.createElementNS(NS, 'text'); top.setAttribute('x', 0); top.setAttribute('y', 10); top.textContent = String(Math.round(max * 10) / 10); parts.push(top);
    var zero = document.createElementNS(NS, 'text'); zero.setAttribute('x', 0); zero.setAttribute('y', H - 14); zero.textContent = '0'; parts.push(zero);
    keys.forEach(function (k, ki) {
      var pts = [];
      series.forEach(function (p, i) { if (p[k] === null) return; pts.push((P + i * (W - P) / Math.max(1, series.length - 1)).toFixed(1) + ',' + (H - 14 - p[k] / max * (H - 28)).toFixed(1)); });
      var pl = document.createElementNS(NS, 'polyline'); pl.setAttribute('points', pts.join(' ')); pl.setAttribute('fill', 'none'); pl.setAttribute('stroke', colors[ki]); pl.setAttribute('stroke-width', '1.5'); parts.push(pl);
    });
    svg.replaceChildren.apply(svg, parts);
  }

  function render(d) {
    $('who').textContent = d.account.name; $('role').textContent = d.account.role;
    $('updated').textContent = 'updated ' + new Date(d.nowMs).toLocaleTimeString();
    var k = $('kpis'); k.replaceChildren();
    [['submitted/s', d.market.submittedPerS.toFixed(1)], ['done/s', d.market.donePerS.toFixed(1)], ['verified/s', d.market.verifiedPerS.toFixed(1)],
     ['provers', d.provers.length], ['free slots', d.provers.reduce(function (a, p) { return a + Math.max(0, Math.max(1, p.slots) - p.active); }, 0)],
     ['my live jobs', d.jobs.filter(function (j) { return ['DONE', 'FAILED', 'EXPIRED', 'CANCELLED'].indexOf(j.state) < 0; }).length]]
      .forEach(function (x) { var s = el('span', x[0], 'kpi muted'); s.insertBefore(el('b', x[1]), s.firstChild); k.appendChild(s); });
    chart($('chart-rate'), d.market.series, ['done', 'submitted'], ['#2f6fde', '#c98a0b']);
    chart($('chart-lat'), d.market.series, ['doneP50Ms', 'assignP50Ms'], ['#2f6fde', '#1f9d55']);
    fill('jobs', d.jobs.map(function (j) {
      var prog = el('span'); prog.appendChild(bar(j.state === 'DONE' ? 1 : j.progress));
      var live = ['DONE', 'FAILED', 'EXPIRED', 'CANCELLED'].indexOf(j.state) < 0;
      prog.appendChild(el('span', ' ' + Math.round((j.state === 'DONE' ? 1 : j.progress) * 100) + '%' + (live && j.stage ? ' ' + j.stage : '')));
      if (j.partitions && j.partitions.length) prog.appendChild(el('span', ' (' + j.partitions.filter(function (p) { return p.state === 'DONE'; }).length + '/' + j.partitions.length + ' partitions)', 'muted'));
      var tr = row([j.id, j.circuit, el('span', j.state, 'state s-' + j.state), prog, j.attempts + '/' + j.maxAttempts, j.proverId, j.price !== '0' ? j.price : j.maxPrice + ' max', j.proveMs || '', age(j.createdMs, d.nowMs), j.error]);
      tr.dataset.job = j.id; tr.dataset.state = j.state;
      if (!j.partitions || !j.partitions.length) return [tr];
      // a partitioned job: one line under it with every partition's state and prover
      var parts = el('span', null, 'muted');
      j.partitions.forEach(function (p, i) {
        if (i) parts.appendChild(el('span', ' \u00b7 '));
        parts.appendChild(el('span', p.index + ': '));
        parts.appendChild(el('span', p.state, 'state s-' + p.state));
        if (p.proverId) parts.appendChild(el('span', ' ' + p.proverId + (p.attempts > 1 ? ' (attempt ' + p.attempts + ')' : '')));
      });
      var sub = document.createElement('tr'); var td = document.createElement('td'); td.colSpan = 10; td.style.whiteSpace = 'normal';
      td.appendChild(el('span', 'partitions \u2014 ', 'muted')); td.appendChild(parts); sub.appendChild(td); sub.dataset.partitionsOf = j.id;
      return [tr, sub];
    }).reduce(function (a, x) { return a.concat(x); }, []), 'no jobs yet: submit one with proofmarket submit');
    fill('provers', d.provers.map(function (p) {
      var bench = p.bench.map(function (b) { return b.backend + ' 2^' + b.log2Constraints + ': ' + b.proveMs + ' ms'; }).join(', ');
      return row([p.name + ' (' + p.id + ')', p.state, p.active + '/' + p.slots, p.price, p.pricePerMConstraints, p.reputation, p.accepted + ' / ' + p.rejected, p.measuredProveMs === null ? '-' : p.measuredProveMs, bench, p.curves.join(', ')]);
    }), 'no prover connected');
    var bal = d.balance || {};
    fill('balance', ['available', 'escrow', 'stake', 'earnings', 'fees'].map(function (b) { return row([b, bal[b] === undefined ? '-' : bal[b] + ' \\u00b5c']); }), '');
    fill('circuits', d.circuits.map(function (c) { return row([c.name, c.curve, c.constraints, c.nPublic, (c.mine ? 'mine' : 'public') + (c.insecure ? ', insecure setup' : '')]); }), 'no circuits');
    fill('ledger', d.ledger.map(function (e) { return row([new Date(e.createdMs).toLocaleTimeString(), e.book, e.amount, e.reason, e.jobId, e.explanation]); }), 'no ledger entries');
  }

  function tick() {
    var key = sessionStorage.getItem(KEY);
    if (!key) { showLogin(''); return; }
    fetch('/api/overview', { headers: { authorization: 'Bearer ' + key }, cache: 'no-store' }).then(function (r) {
      return r.json().then(function (body) { return { ok: r.ok, status: r.status, body: body }; });
    }).then(function (r) {
      if (r.status === 401) { sessionStorage.removeItem(KEY); showLogin(r.body.error || 'API key not accepted'); return; }
      if (!r.ok) throw new Error(r.body.error || ('HTTP ' + r.status));
      $('login').hidden = true; $('app').hidden = false; render(r.body);
      document.body.dataset.ready = '1';
    }).catch(function (e) { $('updated').textContent = 'broker unreachable: ' + e.message; }).finally(function () { timer = setTimeout(tick, 1000); });
  }
  function showLogin(msg) { clearTimeout(timer); timer = null; $('app').hidden = true; $('login').hidden = false; $('login-error').textContent = msg; }
  $('login-form').addEventListener('submit', function (ev) {
    ev.preventDefault(); var v = $('key').value.trim(); if (!v) return; sessionStorage.setItem(KEY, v); $('key').value = ''; clearTimeout(timer); tick();
  });
  $('logout').addEventListener('click', function () { sessionStorage.removeItem(KEY); showLogin(''); });
  tick();
})();
</script>
</body></html>
`;
