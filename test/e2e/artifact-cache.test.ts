// The prover's artifact cache against a real gRPC ProverHub.FetchArtifact server on 127.0.0.1
// whose streams break part-way: downloads resume from the bytes on disk, are checked by SHA-256,
// and concurrent requests for one hash share a single download.

import * as assert from 'assert';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as grpc from '@grpc/grpc-js';
import { ArtifactCache } from '../../prover/artifacts';
import { newProverHubClient, proverHubService, sha256Hex } from '../../src/common';
import type { ProverHubGrpcClient, ProverHubHandlers } from '../../src/common';
import { tmpDir } from '../helpers/procs';
import { liveProcessHooks } from '../helpers/hooks';

interface Served { data: Buffer; breakAfter: number[]; corrupt: boolean }

describe('prover artifact cache (resumable, verified, de-duplicated)', function () {
  this.timeout(30_000);
  let server: grpc.Server;
  let client: ProverHubGrpcClient;
  const served = new Map<string, Served>();
  const calls: { sha256: string; offset: number }[] = [];

  before(async () => {
    server = new grpc.Server();
    const handlers: Partial<ProverHubHandlers> = {
      FetchArtifact: (call) => {
        const { sha256 } = call.request;
        const offset = Number(call.request.offset);
        calls.push({ sha256, offset });
        const s = served.get(sha256);
        if (!s) {
          call.emit('error', { code: grpc.status.NOT_FOUND, details: `no artifact ${sha256}` });
          return;
        }
        const limit = s.breakAfter.shift();
        const chunk = 1000;
        let pos = offset;
        while (pos < s.data.length) {
          if (limit !== undefined && pos >= limit) {
            // Simulate the broker going away mid-stream.
            call.emit('error', { code: grpc.status.UNAVAILABLE, details: 'connection reset (test)' });
            return;
          }
          const data = Buffer.from(s.data.subarray(pos, Math.min(pos + chunk, s.data.length)));
          if (s.corrupt && pos === 0) data[0] ^= 0xff;
          call.write({ offset: String(pos), data, size: String(s.data.length) });
          pos += data.length;
        }
        call.end();
      },
    };
    server.addService(proverHubService(), handlers as ProverHubHandlers);
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))));
    client = newProverHubClient(`127.0.0.1:${port}`);
  });

  liveProcessHooks({ snarkjs: false, close: () => { client?.close(); server?.forceShutdown(); } });

  function serve(bytes: number, breakAfter: number[] = [], corrupt = false): string {
    const data = crypto.randomBytes(bytes);
    const sha = sha256Hex(data);
    served.set(sha, { data, breakAfter, corrupt });
    return sha;
  }

  it('resumes a broken download where it stopped and verifies the whole file', async () => {
    const sha = serve(25_000, [7_000, 16_000]);
    const cache = new ArtifactCache(tmpDir('pm-cache-'), () => client);
    const file = await cache.get(sha, { size: 25_000 });
    assert.strictEqual(sha256Hex(fs.readFileSync(file)), sha);
    const offsets = calls.filter((c) => c.sha256 === sha).map((c) => c.offset);
    assert.deepStrictEqual(offsets, [0, 7_000, 16_000], 'each retry resumes from the bytes already on disk');
    // Cached: a second get does not touch the network.
    await cache.get(sha);
    assert.strictEqual(calls.filter((c) => c.sha256 === sha).length, 3);
  });

  it('shares one download between concurrent requests for the same hash', async () => {
    const sha = serve(50_000);
    const cache = new ArtifactCache(tmpDir('pm-cache-'), () => client);
    const paths = await Promise.all([1, 2, 3, 4, 5].map(() => cache.get(sha)));
    assert.strictEqual(new Set(paths).size, 1);
    assert.strictEqual(calls.filter((c) => c.sha256 === sha).length, 1);
  });

  it('rejects bytes that do not hash to the requested SHA-256 and caches nothing', async () => {
    const sha = serve(3_000, [], true);
    const dir = tmpDir('pm-cache-');
    const cache = new ArtifactCache(dir, () => client);
    await assert.rejects(cache.get(sha, { attempts: 2 }), /hash/);
    assert.ok(!fs.existsSync(cache.pathOf(sha)), 'nothing cached under the hash');
  });

  it('an unknown hash is NOT_FOUND without retries', async () => {
    const cache = new ArtifactCache(tmpDir('pm-cache-'), () => client);
    const sha = 'ab'.repeat(32);
    await assert.rejects(cache.get(sha), /no artifact/);
    assert.strictEqual(calls.filter((c) => c.sha256 === sha).length, 1);
  });
});
