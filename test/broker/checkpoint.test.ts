// WAL checkpoints in a worker thread (broker/store/checkpoint.ts): the WAL stays bounded under a
// sustained write load, an idle store empties its -wal file, close() stops the worker, a killed
// (-9) process loses no committed submit, and the worker never keeps a process alive.
import * as assert from 'assert';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { Worker } from 'worker_threads';
import type { CheckpointOptions } from '../../broker/store/checkpoint';
import { COMMIT_MS_BUCKETS, SqliteStore } from '../../broker/store/sqlite';
import { rmrf, sampleCircuit, tmpDir } from './helpers';

const CHILD = path.join(__dirname, 'checkpoint-child.js');
const walBytes = (file: string) => { try { return fs.statSync(`${file}-wal`).size; } catch { return -1; } };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, ok: () => boolean, ms = 30_000): Promise<void> {
  for (const end = Date.now() + ms; !ok();) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/**
 * A store under test (checkpoint options as given) with account alice and circuit c_1, and a
 * read-only connection holding a read transaction open on the snapshot of that moment.
 */
async function storeWithReader(file: string, checkpoint: CheckpointOptions) {
  const st = new SqliteStore(file, { checkpoint });
  const Database = (await import('better-sqlite3')).default;
  const reader = new Database(file, { readonly: true });
  const alice = (await st.createAccount('alice', 'client', 1)).account.id;
  await st.insertCircuit(sampleCircuit('c_1', 'sample', alice));
  reader.prepare('BEGIN').run();
  reader.prepare('SELECT COUNT(*) FROM jobs').get(); // the read transaction keeps this snapshot
  return { st, reader, alice };
}

describe('SQLite WAL checkpoints off the main thread', function () {
  this.timeout(180_000);
  let dir: string;
  beforeEach(() => { dir = tmpDir('ckpt'); });
  afterEach(() => rmrf(dir));

  it('keeps the WAL bounded under sustained writes, empties it when idle, and close() stops the worker', async () => {
    const file = path.join(dir, 'broker.db');
    // The valve off: the worker alone must keep the WAL bounded.
    const st = new SqliteStore(file, { checkpoint: { intervalMs: 20, idleMs: 300, restartPages: 512, minPages: 256, valvePages: 1e9, staleMs: 1e9 }, walSizeLimit: 256 << 10 });
    const alice = (await st.createAccount('alice', 'client', 1)).account.id;
    const C = 'c_0000000000000001';
    await st.insertCircuit(sampleCircuit(C, 'sample', alice));
    const pad = 'x'.repeat(2000);
    let maxWal = 0;
    const N = 8000;
    for (let i = 0; i < N; i += 8) {
      const rs = await Promise.all(Array.from({ length: 8 }, (_, k) => st.submit({
        id: `j${i + k}`, ownerAccountId: alice, requestId: `r${i + k}`, circuitId: C, inputJson: JSON.stringify({ a: String(i + k), pad }), witness: null,
        payloadSha256: 'p'.repeat(64), maxAttempts: 3, deadlineMs: 0, maxPrice: 0n, nowMs: Date.now(), enqueue: true,
      })));
      for (const r of rs) assert.strictEqual(r.outcome, 'created');
      maxWal = Math.max(maxWal, walBytes(file));
      // Give the worker thread a moment now and then, as a broker's event loop does between RPCs.
      if (i % 32 === 0) await sleep(2);
    }
    const dbBytes = fs.statSync(file).size;
    const s1 = st.checkpointStats()!;
    console.log(`      [checkpoint] ${N} submits: database ${dbBytes} bytes, largest -wal ${maxWal} bytes; worker checkpoints ${s1.checkpoints} (FULL ${s1.fulls}), inline ${s1.inline}`);
    assert.ok(s1.running, 'the worker runs');
    assert.ok(s1.checkpoints > 0, 'the worker checkpointed');
    assert.strictEqual(s1.inline, 0, 'the valve was off');
    // Without checkpoints every page ever written would still be in the WAL: more than the whole
    // database (several times: most pages are written many times). With them it starts over every
    // few MB; a starved worker thread on a loaded machine lets it run longer, hence the margin.
    assert.ok(maxWal < dbBytes, `the WAL stayed bounded (largest ${maxWal} bytes, database ${dbBytes} bytes)`);
    // Idle: one TRUNCATE empties the -wal file.
    // (The counter moves just after the file is cut: wait for both.)
    await until('an idle TRUNCATE checkpoint', () => walBytes(file) === 0 && st.checkpointStats()!.truncates >= 1);
    // Everything committed is there, and the file is sound.
    assert.strictEqual((st.db.prepare('SELECT COUNT(*) AS n FROM jobs').get() as { n: number }).n, N);
    assert.strictEqual((st.db.pragma('integrity_check') as { integrity_check: string }[])[0].integrity_check, 'ok');
    await st.close();
    assert.strictEqual(st.checkpointStats()!.running, false, 'close() stopped the worker');
    // Only the last connection to close removes the -wal file: the worker's had closed before the store's.
    assert.strictEqual(walBytes(file), -1, 'no -wal file left after close');
  });

  it('the valve: a silent worker makes the store checkpoint on its own thread; a dead one turns auto-checkpoint back on', async () => {
    const file = path.join(dir, 'broker.db');
    // A worker that never ticks (an hour between looks): silent after staleMs.
    const st = new SqliteStore(file, { checkpoint: { intervalMs: 3_600_000, staleMs: 200 }, walSizeLimit: 0 });
    try {
      assert.strictEqual(st.db.pragma('wal_autocheckpoint', { simple: true }), 0, 'auto-checkpoint off while the worker runs');
      const alice = (await st.createAccount('alice', 'client', 1)).account.id;
      await st.insertCircuit(sampleCircuit('c_1', 'sample', alice));
      let maxWal = 0; let i = 0; let last = 0; let shrank = 0;
      // Writes for at least 2.5 s (the valve opens at most once a second), in batches like a broker's turns.
      for (const end = Date.now() + 2500; Date.now() < end || st.checkpointStats()!.inline < 2;) {
        await Promise.all(Array.from({ length: 4 }, () => { const id = `j${i++}`; return st.submit({ id, ownerAccountId: alice, requestId: id, circuitId: 'c_1',
          inputJson: JSON.stringify({ a: id, pad: 'y'.repeat(1500) }), witness: null, payloadSha256: 'p'.repeat(64), maxAttempts: 3, deadlineMs: 0, maxPrice: 0n, nowMs: Date.now() }); }));
        const w = walBytes(file);
        if (w < last) shrank++;
        last = w; maxWal = Math.max(maxWal, w);
        await sleep(1);
        if (Date.now() > end + 60_000) break;
      }
      const s = st.checkpointStats()!;
      const dbBytes = fs.statSync(file).size;
      console.log(`      [checkpoint] silent worker: ${i} submits, ${s.inline} inline checkpoints, largest -wal ${maxWal} bytes (cut back ${shrank} times), database ${dbBytes} bytes`);
      assert.strictEqual(s.checkpoints, 0, 'the worker never checkpointed');
      assert.ok(s.inline >= 2, `the store checkpointed on its own thread (${s.inline})`);
      // journal_size_limit 0: the -wal file is cut to nothing when the WAL starts over after a complete checkpoint.
      assert.ok(shrank >= 1, 'the WAL started over after an inline checkpoint');
      // The worker gone without close(): SQLite's own auto-checkpoint again.
      await (st as unknown as { checkpointer: { worker: { terminate(): Promise<number> } } }).checkpointer.worker.terminate();
      await until('auto-checkpoint back on', () => st.db.pragma('wal_autocheckpoint', { simple: true }) === 1000);
      assert.strictEqual(st.checkpointStats()!.running, false);
    } finally { await st.close(); }
  });

  it('a process killed with -9 while writing and checkpointing loses no committed submit', async () => {
    const file = path.join(dir, 'broker.db');
    const child = spawn(process.execPath, [CHILD, file, 'load'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const ok: string[] = []; let buf = ''; let err = '';
    child.stdout!.on('data', (c: Buffer) => {
      buf += c.toString();
      const lines = buf.split('\n'); buf = lines.pop()!;
      for (const l of lines) if (l.startsWith('ok ')) ok.push(l.slice(3));
    });
    child.stderr!.on('data', (c: Buffer) => { err += c.toString(); });
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    try {
      // Enough writes for many worker checkpoints (every 20 ms), then a kill at an arbitrary moment.
      await until(`2000 committed submits (stderr: ${err})`, () => ok.length >= 2000, 120_000);
      child.kill('SIGKILL');
      await exited;
    } finally { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL'); }
    const st = new SqliteStore(file, { checkpoint: false });
    try {
      const missing = ok.filter((id) => !(st.db.prepare('SELECT 1 FROM jobs WHERE id = ?').get(id)));
      console.log(`      [checkpoint] killed after ${ok.length} answered submits; ${missing.length} missing`);
      assert.deepStrictEqual(missing, [], 'every submit answered before the kill survived it');
      assert.strictEqual((st.db.pragma('integrity_check') as { integrity_check: string }[])[0].integrity_check, 'ok');
    } finally { await st.close(); }
  });

  it('the worker never keeps a process alive: a store left open does not stop node from exiting', async () => {
    const file = path.join(dir, 'broker.db');
    const child = spawn(process.execPath, [CHILD, file, 'exit', '40'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (c: Buffer) => { out += c.toString(); });
    child.stderr!.on('data', (c: Buffer) => { out += c.toString(); });
    const code = await new Promise<number | null>((resolve) => {
      const t = setTimeout(() => { child.kill('SIGKILL'); resolve(null); }, 60_000);
      child.once('exit', (c) => { clearTimeout(t); resolve(c); });
    });
    assert.strictEqual(code, 0, `the process ended by itself (output: ${out.slice(-500)})`);
    assert.match(out, /done/);
  });
  it('a reader holding an old snapshot: the worker backs off FULL instead of taking the writer lock every tick', async () => {
    // FULL takes the writer's lock and then waits (its busy timeout, 20 ms) for every reader to
    // reach the WAL's end; a reader pinned on an old snapshot (another process's long read, a
    // backup) makes it fail each time, after holding the store's COMMITs off for those 20 ms.
    const file = path.join(dir, 'broker.db');
    const { st, reader, alice } = await storeWithReader(file, { intervalMs: 20, idleMs: 1e9, restartPages: 64, minPages: 16, valvePages: 1e9, staleMs: 1e9 });
    try {
      let i = 0;
      const submitSome = () => Promise.all(Array.from({ length: 8 }, () => { const id = `j${i++}`; return st.submit({ id, ownerAccountId: alice, requestId: id, circuitId: 'c_1',
        inputJson: JSON.stringify({ a: id, pad: 'z'.repeat(1500) }), witness: null, payloadSha256: 'p'.repeat(64), maxAttempts: 3, deadlineMs: 0, maxPrice: 0n, nowMs: Date.now() }); }));
      // Well past restartPages (64) frames, all behind the reader's snapshot.
      while (walBytes(file) < 400 * 4096) await submitSome();
      const s0 = st.checkpointStats()!;
      await until('a FULL checkpoint found the reader in the way', () => st.checkpointStats()!.busy > s0.busy);
      const s1 = st.checkpointStats()!;
      // 2 s with the reader pinned and a few commits: ~45 ticks; every one of them tried FULL before.
      for (const end = Date.now() + 2000; Date.now() < end;) { await submitSome(); await sleep(100); }
      const s2 = st.checkpointStats()!;
      console.log(`      [checkpoint] pinned reader: ${s2.busy - s1.busy} busy FULL checkpoints in 2 s (log ${s2.logFrames} frames, copied ${s2.checkpointed})`);
      assert.ok(s2.busy - s1.busy <= 6, `FULL retried ${s2.busy - s1.busy} times in 2 s against a pinned reader`);
      // The reader gone: the whole WAL is copied, and the next commits start it over.
      reader.prepare('COMMIT').run();
      await until('the whole WAL copied after the reader left', () => { const s = st.checkpointStats()!; return s.checkpointed >= s.logFrames; });
      for (const end = Date.now() + 60_000; st.checkpointStats()!.logFrames >= s2.logFrames;) {
        assert.ok(Date.now() < end, 'the WAL started over once the reader left');
        await submitSome(); await sleep(50);
      }
    } finally { reader.close(); await st.close(); }
  });
  it('an idle store with a reader open: the worker backs off TRUNCATE too', async () => {
    // TRUNCATE (the idle one) takes the writer's lock and waits for every reader to finish; a
    // read transaction left open makes it fail each time.
    const file = path.join(dir, 'broker.db');
    // The reader at the WAL's end (PASSIVE copies everything), before the store goes idle.
    const { st, reader } = await storeWithReader(file, { intervalMs: 20, idleMs: 100, valvePages: 1e9, staleMs: 1e9 });
    try {
      await until('everything copied', () => { const s = st.checkpointStats()!; return s.logFrames > 0 && s.checkpointed >= s.logFrames; });
      await until('an idle TRUNCATE found the reader in the way', () => st.checkpointStats()!.busy > 0);
      const b0 = st.checkpointStats()!.busy;
      await sleep(2000);
      const tries = st.checkpointStats()!.busy - b0;
      console.log(`      [checkpoint] idle, reader open: ${tries} busy TRUNCATE checkpoints in 2 s`);
      assert.ok(tries <= 6, `TRUNCATE retried ${tries} times in 2 s against an open reader`);
      reader.prepare('COMMIT').run();
      await until('the idle TRUNCATE once the reader left', () => walBytes(file) === 0 && st.checkpointStats()!.truncates >= 1);
    } finally { reader.close(); await st.close(); }
  });

  it('a transition waits for another connection\'s write lock in fine steps and keeps the 10 s busy timeout for the rest', async () => {
    const file = path.join(dir, 'broker.db');
    const st = new SqliteStore(file, { checkpoint: false });
    const alice = (await st.createAccount('alice', 'client', 1)).account.id;
    await st.insertCircuit(sampleCircuit('c_0000000000000001', 'sample', alice));
    // Another thread holds the writer's lock for HOLD_MS (as the checkpoint worker's FULL or a
    // second broker process does); the store's BEGIN IMMEDIATE blocks its thread until it is free.
    const HOLD_MS = 40;
    const holder = new Worker(`
      const { parentPort, workerData } = require('worker_threads');
      const db = new (require(workerData.lib))(workerData.file);
      db.prepare('BEGIN IMMEDIATE').run();
      parentPort.postMessage('locked');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, workerData.hold);
      db.prepare('COMMIT').run(); db.close();`, { eval: true, workerData: { lib: require.resolve('better-sqlite3'), file, hold: HOLD_MS } });
    try {
      await new Promise((resolve, reject) => { holder.once('message', resolve); holder.once('error', reject); });
      const before = st.commits.commitMs.slice();
      const t0 = performance.now();
      const r = await st.submit({ id: 'j_lock', ownerAccountId: alice, requestId: 'r_lock', circuitId: 'c_0000000000000001', inputJson: '{}', witness: null,
        payloadSha256: 'p'.repeat(64), maxAttempts: 1, deadlineMs: 0, maxPrice: 0n, nowMs: Date.now(), enqueue: true });
      const waited = performance.now() - t0;
      assert.strictEqual(r.outcome, 'created', 'the transition committed once the lock was free (no SQLITE_BUSY)');
      assert.strictEqual((await st.getJob('j_lock'))?.state, 'QUEUED', 'the job is there');
      const slow = st.commits.commitMs.map((n, i) => n - before[i]).slice(COMMIT_MS_BUCKETS.findIndex((b) => b >= 20)).reduce((a, b) => a + b, 0);
      assert.ok(waited >= HOLD_MS / 2, `it waited for the lock (${waited.toFixed(1)} ms)`);
      assert.strictEqual(slow, 1, 'its BEGIN\'s wait was counted with its COMMIT');
      assert.strictEqual(st.db.pragma('busy_timeout', { simple: true }), 10_000, 'other statements keep the 10 s busy timeout');
      console.log(`      [checkpoint] a transition behind a ${HOLD_MS} ms write lock ran after ${waited.toFixed(1)} ms`);
    } finally { await holder.terminate(); await st.close(); }
  });
});
