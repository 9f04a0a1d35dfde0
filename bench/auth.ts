// What authentication and TLS cost per call: a broker process on 127.0.0.1 (plaintext, then TLS
// with a throwaway CA), N sequential unary calls (ListJobs) through MarketClient with an API key,
// and the same without a key (refused UNAUTHENTICATED before any store read: the floor of a
// round trip). Reports median and p95 in microseconds and the load average, as ratios to the
// plaintext keyless floor measured in the same run.
// Usage: node dist/bench/auth.js [--calls N]   Writes bench/results/auth-<host>.json.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MarketClient } from '../src/client/market';
import { quietTlsIpWarning } from '../src/cli/connect';
import type { ConnectOptions } from '../src/common';
import { killAll, ROOT, startBrokerProc, tmpDir } from '../test/helpers/procs';
import { makeTestPki } from '../test/helpers/tls';

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : def;
}

const pct = (xs: number[], q: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(q * s.length))]; };

async function timeCalls(address: string, connect: ConnectOptions, n: number, expectRefusal: boolean): Promise<number[]> {
  const c = new MarketClient(address, connect);
  const us: number[] = [];
  try {
    for (let i = 0; i < n + 20; i++) {
      const t0 = process.hrtime.bigint();
      const ok = await c.listJobs({ limit: 1 }).then(() => true, () => false);
      const dt = Number(process.hrtime.bigint() - t0) / 1000;
      if (ok === expectRefusal) throw new Error(`call ${i}: expected ${expectRefusal ? 'a refusal' : 'success'}`);
      if (i >= 20) us.push(dt); // the first calls warm the channel (and the TLS session)
    }
  } finally { c.close(); }
  return us;
}

async function main(): Promise<void> {
  quietTlsIpWarning();
  const n = Number(arg('calls', '300'));
  const pki = makeTestPki(path.join(tmpDir('pm-bench-auth-'), 'pki'));
  const rows: { setup: string; medianUs: number; p95Us: number }[] = [];
  try {
    const plain = await startBrokerProc({ name: 'plain' });
    const tls = await startBrokerProc({ name: 'tls', extraArgs: ['--tls-cert', pki.cert, '--tls-key', pki.key] });
    const runs: [string, string, ConnectOptions, boolean][] = [
      ['plaintext, no key (refused)', plain.address, {}, true],
      ['plaintext, API key', plain.address, { apiKey: plain.keys.client }, false],
      ['TLS, API key', tls.address, { apiKey: tls.keys.client, tls: { caFile: pki.caCert } }, false],
    ];
    for (const [setup, address, connect, refused] of runs) {
      const us = await timeCalls(address, connect, n, refused);
      rows.push({ setup, medianUs: Math.round(pct(us, 0.5)), p95Us: Math.round(pct(us, 0.95)) });
    }
  } finally { await killAll(); }
  const floor = rows[0].medianUs;
  const load = os.loadavg().map((x) => x.toFixed(2)).join(' ');
  console.log(`ListJobs round trip, ${n} sequential calls each, load average ${load}`);
  for (const r of rows) console.log(`${r.setup.padEnd(30)} median ${String(r.medianUs).padStart(6)} µs  p95 ${String(r.p95Us).padStart(6)} µs  ×${(r.medianUs / floor).toFixed(2)}`);
  const out = path.join(ROOT, 'bench', 'results', `auth-${os.hostname()}.json`);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify({ calls: n, loadavg: os.loadavg(), rows, at: new Date().toISOString() }, null, 2) + '\n');
  console.log(`wrote ${out}`);
}

main().catch((e) => { console.error(e); process.exit(1); });
