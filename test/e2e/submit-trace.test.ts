// PM_SUBMIT_TRACE (broker/submit-trace.ts): a short bench:market run with tracing on (SQLite, one
// open-loop row) writes the broker's and the bench's traces, every traced job's events come in
// the order the submit path takes them, and scripts/submit-trace-report.js attributes the row.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..', '..');

describe('submit-path trace (PM_SUBMIT_TRACE) and its report', function () {
  this.timeout(120_000);
  it('a traced bench row: ordered per-job events, group commits, and a report of its worst 1%', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pm-trace-'));
    try {
      const trace = path.join(dir, 'trace.json');
      const RATE = 200;
      execFileSync(process.execPath, [path.join(ROOT, 'dist', 'bench', 'market-submit.js'), '--jobs', '10', '--warmup', '10', '--rate', String(RATE),
        '--open-seconds', '1', '--done', '0', '--clients', '4', '--channels', '1'], {
        cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'],
        env: { ...process.env, PM_BENCH_ONLY: 'sqlite', PM_SUBMIT_TRACE: trace, PM_BENCH_OUT: path.join(dir, 'bench.json') },
      });
      const T = JSON.parse(fs.readFileSync(trace, 'utf8')) as { jobs: Record<string, Record<string, number>>; flushes: number[][]; gcs: number[][]; stalls: number[][] };
      const C = JSON.parse(fs.readFileSync(`${trace}.client-${RATE}.json`, 'utf8')) as { jobs: Record<string, [number, number]> };
      const ids = Object.keys(C.jobs);
      assert.ok(ids.length >= RATE / 2, `the row's jobs are in the client trace (${ids.length})`);
      let ordered = 0;
      for (const id of ids) {
        const j = T.jobs[id]; const [sent, assigned] = C.jobs[id];
        assert.ok(j, `job ${id} is in the broker's trace`);
        const seq = [sent, j.arrive, j.committed, j.claim, j.claimed, j.sent, assigned];
        assert.ok(seq.every(Number.isFinite), `job ${id} has every event: ${JSON.stringify({ sent, ...j, assigned })}`);
        // One monotonic clock across the two processes: each step after the one before.
        for (let i = 1; i < seq.length; i++) assert.ok(seq[i] >= seq[i - 1], `job ${id}: event ${i} before event ${i - 1}: ${seq.join(', ')}`);
        ordered++;
      }
      assert.ok(T.flushes.length > 0 && T.flushes.every((f) => f.length === 4 && f[1] >= 0 && f[2] >= 1 && f[3] >= 0), 'group commits: [at, ms, transactions, lock-wait ms]');
      const txs = T.flushes.reduce((a, f) => a + f[2], 0);
      assert.ok(txs >= 2 * ids.length, `each job's submit and claim went through a group commit (${txs} transactions for ${ids.length} jobs)`);
      const report = execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'submit-trace-report.js'), trace, String(RATE)], { encoding: 'utf8' });
      for (const want of [`rate ${RATE}: ${ids.length} jobs`, 'broker GC by kind', 'BEGIN lock waits', 'p40-60', 'worst 1%', 'claim→claimed', 'pushed→prover']) {
        assert.ok(report.includes(want), `the report has "${want}":\n${report}`);
      }
      console.log(`      [submit-trace] ${ordered} jobs traced in order, ${T.flushes.length} group commits; report:\n${report.split('\n').slice(0, 2).map((l) => `        ${l}`).join('\n')}`);
    } finally { fs.rmSync(dir, { recursive: true, force: true }); }
  });
});
