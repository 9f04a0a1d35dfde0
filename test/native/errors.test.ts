// Bad input through the binding: every case must reject its promise with the right NativeError
// code and a message naming the problem — never crash, never hang. And a zkey handle that is
// dropped without close() must not keep the process alive.
//
// The keys are made here by the engine's dev setup from the example r1cs (the zkey format is the
// snarkjs one), so these tests do not depend on the committed ceremony output.

import * as assert from 'assert';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { NativeError, Zkey } from '../../native/binding/native';
import { EXAMPLES, ROOT, Rng, announceSeed, engine, requireArtifacts, witnessFor } from './util';

interface Section { type: number; sizeAt: number; size: bigint; dataAt: number }

/** Sections of a snarkjs binary file: magic(4) version(u32) nSections(u32), then
 * per section type(u32) size(u64) data. */
function sections(buf: Buffer): Section[] {
  const out: Section[] = [];
  const n = buf.readUInt32LE(8);
  let off = 12;
  for (let i = 0; i < n; i++) {
    const type = buf.readUInt32LE(off);
    const size = buf.readBigUInt64LE(off + 4);
    out.push({ type, sizeAt: off + 4, size, dataAt: off + 12 });
    off += 12 + Number(size);
  }
  return out;
}

function expectCode(code: string, re: RegExp | null = null) {
  return (e: unknown): boolean => {
    if (!(e instanceof NativeError)) throw new Error(`expected a NativeError, got ${String(e)}`);
    if (e.code !== code) throw new Error(`expected code ${code}, got ${e.code}: ${e.message}`);
    if (re && !re.test(e.message)) throw new Error(`message "${e.message}" does not match ${re}`);
    return true;
  };
}

describe('native engine error paths', function () {
  this.timeout(300000);
  const bn = EXAMPLES.find((c) => c.curve === 'bn254')!;
  const bls = EXAMPLES.find((c) => c.curve === 'bls12-381')!;
  const rng = new Rng(400);
  let tmp: string;
  let zkeyPath: string;
  let zkeyBytes: Buffer;
  let wtns: Uint8Array;

  before(async () => {
    announceSeed();
    requireArtifacts(bn, ['r1cs', 'wasm', 'input']);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pm-native-err-'));
    zkeyPath = path.join(tmp, 'good.zkey');
    await engine().devSetupR1cs(zkeyPath, bn.r1cs, BigInt(rng.u32()));
    zkeyBytes = fs.readFileSync(zkeyPath);
    wtns = await witnessFor(bn);
  });
  after(() => { if (tmp) fs.rmSync(tmp, { recursive: true, force: true }); });

  const writeVariant = (name: string, bytes: Uint8Array): string => {
    const p = path.join(tmp, name);
    fs.writeFileSync(p, bytes);
    return p;
  };

  /** Opening may already fail; if it does not, proving must. Either way: this code. */
  async function openAndProve(p: string, w: Uint8Array, code: string, re: RegExp | null = null): Promise<void> {
    let z: Zkey | null = null;
    try {
      z = await engine().openZkey(p);
    } catch (e) {
      expectCode(code, re)(e);
      return;
    }
    try {
      await assert.rejects(engine().prove(z, w, null), expectCode(code, re));
    } finally {
      z.close();
    }
  }

  it('the unmodified key proves (the baseline the other cases break)', async () => {
    const z = await engine().openZkey(zkeyPath);
    try {
      const r = await engine().prove(z, wtns, null);
      assert.ok(r.publicSignals.length > 0);
    } finally {
      z.close();
    }
  });

  it('a missing file is IO, naming the path', async () => {
    const p = path.join(tmp, 'nope.zkey');
    await assert.rejects(engine().openZkey(p), expectCode('IO', /nope\.zkey/));
  });

  it('a file that is not a zkey is FORMAT', async () => {
    await assert.rejects(engine().openZkey(bn.wasm), expectCode('FORMAT'));
    await assert.rejects(engine().openZkey(writeVariant('empty.zkey', new Uint8Array(0))), expectCode('FORMAT'));
  });

  it('a truncated zkey is FORMAT, at every cut point tried', async () => {
    const secs = sections(zkeyBytes);
    // Cut inside the header, at each section boundary, and at random places.
    const cuts = new Set<number>([3, 11, 20, zkeyBytes.length - 1]);
    for (const s of secs) { cuts.add(s.dataAt); cuts.add(s.dataAt - 5); }
    for (let i = 0; i < 8; i++) cuts.add(rng.int(zkeyBytes.length));
    for (const cut of cuts) {
      if (cut <= 0 || cut >= zkeyBytes.length) continue;
      await openAndProve(writeVariant(`cut${cut}.zkey`, zkeyBytes.subarray(0, cut)), wtns, 'FORMAT');
    }
  });

  it('a corrupted section size is FORMAT', async () => {
    const secs = sections(zkeyBytes);
    for (const s of secs) {
      for (const delta of [1n, -1n, -8n, 1n << 40n]) {
        const b = Buffer.from(zkeyBytes);
        const v = s.size + delta;
        if (v < 0n) continue;
        // Shrinking the last section only leaves bytes after it that no section claims; no
        // section is misread, and snarkjs accepts such a file too. Not a corruption to reject.
        if (delta < 0n && s === secs[secs.length - 1]) continue;
        b.writeBigUInt64LE(v, s.sizeAt);
        try {
          await openAndProve(writeVariant(`size${s.type}_${delta}.zkey`, b), wtns, 'FORMAT');
        } catch (e) {
          throw new Error(`section ${s.type} size ${s.size} -> ${v}: ${(e as Error).message}`);
        }
      }
    }
  });

  it('a point off the curve in any point section is FORMAT when the key is opened, naming section and index', async () => {
    // Points are validated once, by openZkey (proofs then use them unchecked): the error must
    // come from the open, name the section and the point, and a changed byte anywhere in a
    // point must be caught. BN254 G1 points are 64 bytes, G2 points 128 (sections 3, 5..9).
    const secs = sections(zkeyBytes);
    const labels: Record<number, [string, number]> = {
      3: ['IC point', 64], 5: ['A point', 64], 6: ['B1 point', 64], 7: ['B2 point', 128], 8: ['C point', 64], 9: ['H point', 64],
    };
    for (const s of secs) {
      const lab = labels[s.type];
      if (!lab) continue;
      const count = Number(s.size) / lab[1];
      let k = rng.int(count);
      const b = Buffer.from(zkeyBytes);
      // a point at infinity (all zeros) stays valid whatever we do to its low bits: pick another
      while (b.subarray(s.dataAt + k * lab[1], s.dataAt + (k + 1) * lab[1]).every((v) => v === 0)) k = (k + 1) % count;
      const byte = s.dataAt + k * lab[1] + rng.int(Math.min(lab[1], 24)); // a low byte: stays below p
      b[byte] ^= 1 << rng.int(8);
      await assert.rejects(engine().openZkey(writeVariant(`point${s.type}.zkey`, b)),
        expectCode('FORMAT', new RegExp(`${lab[0]} ${k} is not on the bn254 curve`)),
        `section ${s.type} point ${k} byte ${byte}`);
    }
  });

  it('a PLONK zkey (protocol id 2 in the header section) is FORMAT, saying it is not Groth16', async () => {
    // snarkjs writes the protocol id as the first u32 of section 1 (1 = groth16, 2 = plonk,
    // 10 = fflonk). A real `snarkjs plonk setup` needs the ceremony's ptau, which the example
    // setup does not keep; this header edit is exactly what distinguishes the files.
    const s1 = sections(zkeyBytes).find((s) => s.type === 1)!;
    for (const [id, word] of [[2, /plonk/i], [10, /fflonk/i], [77, /protocol/i]] as [number, RegExp][]) {
      const b = Buffer.from(zkeyBytes);
      b.writeUInt32LE(id, s1.dataAt);
      await assert.rejects(engine().openZkey(writeVariant(`proto${id}.zkey`, b)), expectCode('FORMAT', word));
    }
  });

  it('a wtns of another circuit is MISMATCH (different length; different field)', async () => {
    const dir = path.join(tmp, 'synthetic');
    await engine().devSetupSynthetic(dir, 'bn254', 4, BigInt(rng.u32()));
    const otherWtns = new Uint8Array(fs.readFileSync(path.join(dir, 'witness.wtns')));
    await openAndProve(zkeyPath, otherWtns, 'MISMATCH', /another circuit|signals|values/);
    // A BLS12-381 witness against a BN254 key: the field differs.
    requireArtifacts(bls, ['wasm', 'input']);
    await openAndProve(zkeyPath, await witnessFor(bls), 'MISMATCH', /field|prime/);
  });

  it('a truncated or garbled wtns is FORMAT', async () => {
    await openAndProve(zkeyPath, wtns.subarray(0, wtns.length - 7), 'FORMAT');
    await openAndProve(zkeyPath, wtns.subarray(0, 10), 'FORMAT');
    const garbled = wtns.slice();
    garbled.set(Buffer.from('nope'), 0);
    await openAndProve(zkeyPath, garbled, 'FORMAT');
  });

  it('arguments are checked in TypeScript with a message naming them', async () => {
    const e = engine();
    await assert.rejects(e.openZkey(''), expectCode('INVALID_ARGUMENT', /zkey path/));
    await assert.rejects(e.prove({} as Zkey, wtns, null), expectCode('INVALID_ARGUMENT', /openZkey/));
    const z = await e.openZkey(zkeyPath);
    await assert.rejects(e.prove(z, new Uint8Array(0), null), expectCode('INVALID_ARGUMENT', /wtns is empty/));
    await assert.rejects(e.prove(z, wtns, { device: 'gpu' as 'cuda' }), expectCode('INVALID_ARGUMENT', /device/));
    await assert.rejects(e.prove(z, wtns, { threads: -1 }), expectCode('INVALID_ARGUMENT', /threads/));
    z.close();
    z.close(); // twice is fine
    assert.strictEqual(z.closed, true);
    await assert.rejects(e.prove(z, wtns, null), expectCode('INVALID_ARGUMENT', /closed/));
    await assert.rejects(e.devSetupR1cs(path.join(tmp, 'x.zkey'), bn.r1cs, -1n), expectCode('INVALID_ARGUMENT', /seed/));
    await assert.rejects(e.devSetupSynthetic(tmp, 'bn254', 40, 1n), expectCode('INVALID_ARGUMENT', /logConstraints/));
    await assert.rejects(e.devSetupR1cs(path.join(tmp, 'x.zkey'), path.join(tmp, 'missing.r1cs'), 1n), expectCode('IO'));
  });

  it('close() while a proof runs lets the proof finish, then closes', async () => {
    const z = await engine().openZkey(zkeyPath);
    const p = engine().prove(z, wtns, null);
    z.close();
    assert.strictEqual(z.closed, true);
    const r = await p;
    assert.ok(r.publicSignals.length > 0);
  });

  /** Runs a child node process with this script; resolves with its exit status (kills it at 60 s). */
  function runChild(script: string): Promise<{ code: number | null; signal: string | null; out: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, ['-e', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d) => { out += d; });
      child.stderr.on('data', (d) => { out += d; });
      const timer = setTimeout(() => child.kill('SIGKILL'), 60000);
      child.on('exit', (code, signal) => { clearTimeout(timer); resolve({ code, signal, out }); });
    });
  }

  it('a process that drops unclosed zkey handles (idle, after a proof, mid-proof) still exits', async () => {
    const nativeJs = path.join(ROOT, 'dist', 'native', 'binding', 'native.js');
    const script = `
      const fs = require('fs');
      const { loadNative } = require(${JSON.stringify(nativeJs)});
      const e = loadNative();
      const wtns = fs.readFileSync(${JSON.stringify(path.join(tmp, 'child.wtns'))});
      (async () => {
        await e.openZkey(${JSON.stringify(zkeyPath)});                        // dropped idle
        const z = await e.openZkey(${JSON.stringify(zkeyPath)});
        await e.prove(z, wtns, { onProgress: () => {} });                      // dropped after a proof
        const z2 = await e.openZkey(${JSON.stringify(zkeyPath)});
        e.prove(z2, wtns, { onProgress: () => {} }).then(() => console.log('late proof done'));
        if (global.gc) global.gc();
        console.log('main done');
      })().catch((err) => { console.error(err); process.exit(3); });`;
    fs.writeFileSync(path.join(tmp, 'child.wtns'), wtns);
    const r = await runChild(script);
    assert.strictEqual(r.signal, null, `child killed (hung?): ${r.out}`);
    assert.strictEqual(r.code, 0, `child exited ${r.code}: ${r.out}`);
    assert.match(r.out, /main done/);
    assert.match(r.out, /late proof done/); // an in-flight proof keeps the process until it settles
  });

  it('the addon works in a worker thread and the main thread at once (per-thread handle class)', async () => {
    const nativeJs = path.join(ROOT, 'dist', 'native', 'binding', 'native.js');
    const code = `
      const { parentPort, workerData } = require('worker_threads');
      const e = require(workerData.nativeJs).loadNative();
      (async () => {
        const z = await e.openZkey(workerData.zkeyPath);
        const r = await e.prove(z, workerData.wtns, null);
        z.close();
        parentPort.postMessage(r.publicSignals);
      })().catch((err) => parentPort.postMessage('error: ' + err.message));`;
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const { Worker } = require('worker_threads');
    const worker = new Worker(code, { eval: true, workerData: { nativeJs, zkeyPath, wtns } });
    const fromWorker = new Promise<unknown>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    const z = await engine().openZkey(zkeyPath);
    const mine = await engine().prove(z, wtns, null);
    z.close();
    assert.deepStrictEqual(await fromWorker, mine.publicSignals);
    await worker.terminate();
  });

  it('terminating a worker thread in the middle of its proofs and MSMs does not take the process down', async () => {
    const dir = path.join(tmp, 'synthetic-terminate');
    await engine().devSetupSynthetic(dir, 'bn254', 11, BigInt(rng.u32()));
    const nativeJs = path.join(ROOT, 'dist', 'native', 'binding', 'native.js');
    // Runs in a child process, so a crash is seen as an exit code rather than killing mocha.
    const script = `
      const { Worker } = require('worker_threads');
      const code = \`
        const fs = require('fs');
        const { parentPort, workerData } = require('worker_threads');
        const e = require(workerData.nativeJs).loadNative();
        (async () => {
          const z = await e.openZkey(workerData.dir + '/circuit.zkey');
          const w = fs.readFileSync(workerData.dir + '/witness.wtns');
          e.msmG1('bn254', new Uint8Array(64 * 4096), new Uint8Array(32 * 4096), null).catch(() => {});
          parentPort.postMessage('started');
          await e.prove(z, w, { onProgress: () => {} });
        })();\`;
      (async () => {
        for (const delay of [20, 200, 600]) {
          const wk = new Worker(code, { eval: true, workerData: { nativeJs: ${JSON.stringify(nativeJs)}, dir: ${JSON.stringify(dir)} } });
          await new Promise((r) => wk.once('message', r));
          await new Promise((r) => setTimeout(r, delay));
          await wk.terminate();
        }
        await new Promise((r) => setTimeout(r, 1500)); // the orphaned work finishes meanwhile
        console.log('survived');
      })();`;
    const r = await runChild(script);
    assert.strictEqual(r.signal, null, `child killed: ${r.out}`);
    assert.strictEqual(r.code, 0, `child exited ${r.code}: ${r.out}`);
    assert.match(r.out, /survived/);
  });

  it('importing the modules never throws, and a missing addon is NativeUnavailableError naming the build command', async () => {
    const script = `
      process.env.PM_NATIVE_ADDON = '/nonexistent/proofmarket_native.node';
      const m = require(${JSON.stringify(path.join(ROOT, 'dist', 'native', 'binding', 'native.js'))});
      const b = require(${JSON.stringify(path.join(ROOT, 'dist', 'prover', 'backends', 'native.js'))});
      try { m.loadNative(); console.log('loaded?!'); } catch (e) { console.log(e.name + ': ' + e.message); }
      b.createNativeBackends(() => {}).then((r) => console.log('backends', r.backends.length, 'warning', r.warning));`;
    const r = await runChild(script);
    assert.strictEqual(r.code, 0, r.out);
    assert.match(r.out, /NativeUnavailableError: .*npm run build:native/);
    assert.match(r.out, /backends 0 warning .*not built/);
  });
});
