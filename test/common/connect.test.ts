// The connection plumbing every client shares (src/common/connect.ts, src/cli/connect.ts): the API
// key interceptor on a real gRPC server on loopback, key validation, where the CLI finds a key, and
// the errors for bad TLS files.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as grpc from '@grpc/grpc-js';
import { apiKey } from '../../src/cli/connect';
import type { Parsed } from '../../src/cli/args';
import {
  channelCredentials, clientOptions, isLoopbackHost, marketService, newMarketClient, serverCredentials,
  type MarketHandlers,
} from '../../src/common';
import { makeTestPki } from '../helpers/tls';

describe('connect: API keys and TLS settings', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pm-connect-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('sends the key as "authorization: Bearer <key>" on unary and streaming calls, and nothing without one', async () => {
    const seen: (string | null)[] = [];
    const record = (md: grpc.Metadata) => { const v = md.get('authorization'); seen.push(v.length ? String(v[0]) : null); };
    const server = new grpc.Server();
    server.addService(marketService(), {
      ListCircuits: (call: grpc.ServerUnaryCall<unknown, unknown>, cb: grpc.sendUnaryData<unknown>) => { record(call.metadata); cb(null, { circuits: [] }); },
      WatchJob: (call: grpc.ServerWritableStream<unknown, unknown>) => { record(call.metadata); call.end(); },
    } as unknown as MarketHandlers);
    const port = await new Promise<number>((res, rej) => server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => e ? rej(e) : res(p)));
    try {
      for (const key of ['pm_abc-DEF_123', null]) {
        const c = newMarketClient(`127.0.0.1:${port}`, channelCredentials({}), clientOptions({ apiKey: key }));
        await new Promise<void>((res, rej) => c.listCircuits({}, (e) => e ? rej(e) : res()));
        await new Promise<void>((res, rej) => { const s = c.watchJob({ jobId: 'x' }); s.on('data', () => {}); s.on('end', res); s.on('error', rej); });
        c.close();
      }
    } finally { server.forceShutdown(); }
    assert.deepStrictEqual(seen, ['Bearer pm_abc-DEF_123', 'Bearer pm_abc-DEF_123', null, null]);
  });

  it('refuses keys that cannot travel as metadata', () => {
    assert.throws(() => clientOptions({ apiKey: '  ' }), /the API key is empty/);
    assert.throws(() => clientOptions({ apiKey: 'pm_a b' }), /printable ASCII, no spaces/);
    assert.throws(() => clientOptions({ apiKey: 'pm_\u00e9' }), /printable ASCII/);
    assert.strictEqual(clientOptions({}).interceptors, undefined);
  });

  it('the CLI takes --api-key, else PM_API_KEY, else the first local key file that exists', () => {
    const p = (flags: Parsed['flags']): Parsed => ({ positionals: [], flags });
    const f1 = path.join(dir, 'missing.key'); const f2 = path.join(dir, 'client.key');
    fs.writeFileSync(f2, 'pm_from_file\n');
    const saved = process.env.PM_API_KEY;
    try {
      process.env.PM_API_KEY = 'pm_from_env';
      assert.strictEqual(apiKey(p({ 'api-key': 'pm_from_flag' }), [f2]), 'pm_from_flag');
      assert.strictEqual(apiKey(p({}), [f2]), 'pm_from_env');
      delete process.env.PM_API_KEY;
      assert.strictEqual(apiKey(p({}), [f1, f2]), 'pm_from_file');
      assert.strictEqual(apiKey(p({}), [f1]), null);
      assert.throws(() => apiKey(p({ 'api-key': ' ' }), []), /--api-key is empty/);
    } finally {
      if (saved === undefined) delete process.env.PM_API_KEY; else process.env.PM_API_KEY = saved;
    }
  });

  it('TLS files: a clear error for a missing file, a non-PEM file, a key file without a key, and a key of another certificate', () => {
    const pki = makeTestPki(path.join(dir, 'pki'));
    const junk = path.join(dir, 'junk.pem');
    fs.writeFileSync(junk, 'not a certificate');
    assert.throws(() => serverCredentials({ certFile: path.join(dir, 'nope.pem'), keyFile: pki.key }), /cannot read TLS certificate .*nope\.pem/);
    assert.throws(() => serverCredentials({ certFile: junk, keyFile: pki.key }), /is not a PEM file/);
    assert.throws(() => serverCredentials({ certFile: pki.cert, keyFile: pki.caCert }), /holds no private key/);
    assert.throws(() => serverCredentials({ certFile: pki.cert, keyFile: path.join(pki.dir, 'other-ca.key') }), /do not work together/);
    assert.ok(serverCredentials({ certFile: pki.cert, keyFile: pki.key }));
    assert.throws(() => channelCredentials({ tls: { caFile: junk } }), /TLS CA file .* is not a PEM file/);
  });

  it('knows which addresses only this machine can reach', () => {
    for (const h of ['127.0.0.1', '127.3.4.5', 'localhost', '::1', '[::1]']) assert.ok(isLoopbackHost(h), h);
    for (const h of ['0.0.0.0', '10.0.0.1', 'broker.example', '::', '128.0.0.1']) assert.ok(!isLoopbackHost(h), h);
  });
});
