// node scripts/submit-trace-report.js TRACE RATE: after a bench:market run with PM_SUBMIT_TRACE=TRACE
// (broker/submit-trace.ts), one open-loop row's per-job gaps (client send → handler → submit COMMIT →
// claim asked → claim COMMIT → assignment written → prover received) for the worst 1% vs the median,
// with the broker's and the bench's event-loop stalls (and the CPU each process used during them:
// busy vs not scheduled), broker GC and SQLite flush time overlapping each gap.
const fs = require('fs');
const [file, rate] = process.argv.slice(2);
const T = JSON.parse(fs.readFileSync(file)); const CF = JSON.parse(fs.readFileSync(`${file}.client-${rate}.json`)); const C = CF.jobs;
const rows = [];
for (const [id, [sent, asg]] of Object.entries(C)) { const j = T.jobs[id]; if (!j) continue; rows.push({ ...j, pushed: j.sent, id, sent, asg, tot: asg - sent }); }
rows.sort((a, b) => a.tot - b.tot);
const n = rows.length; const k = Math.max(1, Math.floor(n * 0.01));
// The row's window (rows are sorted by latency, not by time).
const t0 = Math.min(...rows.map((r) => r.sent)) - 500, t1 = Math.max(...rows.map((r) => r.asg)) + 10;
const over = (xs, a, b) => xs.reduce((s, [at, ms]) => s + Math.max(0, Math.min(b, at + ms) - Math.max(a, at)), 0);
const bs = T.stalls.filter((x) => x[0] > t0 && x[0] < t1), cs = CF.stalls, gcs = T.gcs.filter((x) => x[0] > t0 && x[0] < t1);
const fl = T.flushes.filter((x) => x[0] > t0 && x[0] < t1);
const gaps = [['client→arrive', 'sent', 'arrive'], ['arrive→committed', 'arrive', 'committed'], ['committed→claim', 'committed', 'claim'], ['claim→claimed', 'claim', 'claimed'], ['claimed→pushed', 'claimed', 'pushed'], ['pushed→prover', 'pushed', 'asg']];
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const cpuIn = (xs, a, b) => xs.reduce((s, [at, ms, cpu]) => { const o = Math.max(0, Math.min(b, at + ms) - Math.max(a, at)); return s + (ms > 0 ? o * Math.min(1, cpu / ms) : 0); }, 0);
console.log(`rate ${rate}: ${n} jobs, p50 ${rows[Math.floor(n / 2)].tot.toFixed(1)} p99 ${rows[Math.floor(n * 0.99)].tot.toFixed(1)} ms; broker stalls >2ms: ${bs.length} (${over(bs, t0, t1).toFixed(0)} ms), bench stalls: ${cs.length} (${over(cs, t0, t1).toFixed(0)} ms), broker GC ${over(gcs, t0, t1).toFixed(0)} ms, flush ms ${over(fl, t0, t1).toFixed(0)}`);
// Broker GC pauses by kind (1 scavenge, 2 mark-compact, 4 incremental marking, 8 weak callbacks) and
// group commits whose BEGIN waited for another connection's write lock (the checkpoint worker's FULL).
const kinds = {}; for (const [, ms, kind] of gcs) { const k = kinds[kind ?? 0] ??= { n: 0, ms: 0, max: 0 }; k.n++; k.ms += ms; k.max = Math.max(k.max, ms); }
const waits = fl.filter((f) => (f[3] ?? 0) > 0.3);
console.log(`  broker GC by kind: ${Object.entries(kinds).map(([k, v]) => `${k}: ${v.n} pauses, ${v.ms.toFixed(0)} ms, max ${v.max.toFixed(1)}`).join('; ') || 'none'}; `
  + `BEGIN lock waits over 0.3 ms: ${waits.length} (${waits.reduce((a, f) => a + f[3], 0).toFixed(1)} ms, max ${Math.max(0, ...waits.map((f) => f[3])).toFixed(1)})`);
for (const [g, rs] of Object.entries({ 'p40-60': rows.slice(Math.floor(n * 0.4), Math.floor(n * 0.6)), 'worst 1%': rows.slice(n - k) })) {
  console.log(`  ${g}: total ${mean(rs.map((r) => r.tot)).toFixed(1)} ms; over the job's life: broker stalled ${mean(rs.map((r) => over(bs, r.sent, r.asg))).toFixed(1)} (of it on CPU ${mean(rs.map((r) => cpuIn(bs, r.sent, r.asg))).toFixed(1)}), bench stalled ${mean(rs.map((r) => over(cs, r.sent, r.asg))).toFixed(1)} (on CPU ${mean(rs.map((r) => cpuIn(cs, r.sent, r.asg))).toFixed(1)}), broker GC ${mean(rs.map((r) => over(gcs, r.sent, r.asg))).toFixed(1)}, SQLite flush ${mean(rs.map((r) => over(fl, r.sent, r.asg))).toFixed(1)}, largest batch ${mean(rs.map((r) => Math.max(0, ...fl.filter((f) => f[0] >= r.sent && f[0] <= r.asg).map((f) => f[2])))).toFixed(0)}`);
  console.log('    ' + gaps.map(([l, a, b]) => `${l} ${mean(rs.map((r) => r[b] - r[a])).toFixed(1)} (broker stalled ${mean(rs.map((r) => over(bs, r[a], r[b]))).toFixed(1)}, on CPU ${mean(rs.map((r) => cpuIn(bs, r[a], r[b]))).toFixed(1)}; bench ${mean(rs.map((r) => over(cs, r[a], r[b]))).toFixed(1)})`).join('\n    '));
}
