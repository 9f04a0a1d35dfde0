// Unit tests of the shared helpers and the binary-format readers the broker relies on.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { formatAddress, parseAddress } from '../../src/common/address';
import { CURVES, curveFromProto, curveFromQ, curveToProto, curveToSnarkjs, parseCurve } from '../../src/common/curves';
import { sha256File, sha256Hex } from '../../src/common/hash';
import { loadProto, repoRoot } from '../../src/common/proto';
import { FormatError, parseSym, readR1csInfo, readWtnsInfo, readZkeyInfo } from '../../broker/formats';
import { fnv1a64, inputSpecFromR1csSym, InputError, validateInputJson, WasmInputProbe } from '../../broker/inputs';
import { fixture, rmrf, tmpDir } from './helpers';

describe('common helpers', () => {
  it('parses addresses', () => {
    assert.deepStrictEqual(parseAddress('127.0.0.1:0'), { host: '127.0.0.1', port: 0 });
    assert.deepStrictEqual(parseAddress('localhost:50051'), { host: 'localhost', port: 50051 });
    assert.deepStrictEqual(parseAddress('[::1]:7'), { host: '::1', port: 7 });
    assert.deepStrictEqual(parseAddress('9000'), { host: '127.0.0.1', port: 9000 });
    assert.deepStrictEqual(parseAddress(':81'), { host: '127.0.0.1', port: 81 });
    assert.deepStrictEqual(parseAddress('example.org'), { host: 'example.org', port: 50051 });
    assert.throws(() => parseAddress('h:99999'), /bad port/);
    assert.throws(() => parseAddress('::1:5'), /IPv6/);
    assert.throws(() => parseAddress(''), /empty address/);
    assert.strictEqual(formatAddress({ host: '::1', port: 5 }), '[::1]:5');
  });

  it('maps curve names across ours, the proto enum and snarkjs', () => {
    for (const s of ['bn254', 'BN128', 'alt_bn128', 'CURVE_BN254']) assert.strictEqual(parseCurve(s), 'bn254');
    for (const s of ['bls12-381', 'bls12381', 'BLS12_381', 'CURVE_BLS12_381']) assert.strictEqual(parseCurve(s), 'bls12-381');
    assert.strictEqual(parseCurve('secp256k1'), null);
    assert.strictEqual(curveToSnarkjs('bn254'), 'bn128'); assert.strictEqual(curveToSnarkjs('bls12-381'), 'bls12381');
    assert.strictEqual(curveToProto('bls12-381'), 'CURVE_BLS12_381');
    assert.strictEqual(curveFromProto(1), 'bn254'); assert.strictEqual(curveFromProto('CURVE_UNSPECIFIED'), null);
    assert.strictEqual(curveFromQ(CURVES['bls12-381'].q), 'bls12-381'); assert.strictEqual(curveFromQ(5n), null);
  });

  it('hashes bytes and files alike', async () => {
    const d = tmpDir('hash');
    try {
      const f = path.join(d, 'x'); const data = Buffer.alloc(3 << 20, 7); fs.writeFileSync(f, data);
      assert.deepStrictEqual(await sha256File(f), { sha256: sha256Hex(data), size: data.length });
      assert.strictEqual(sha256Hex(''), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    } finally { rmrf(d); }
  });

  it('loads the protos from the compiled tree', () => {
    assert.ok(fs.existsSync(path.join(repoRoot(), 'proto', 'proofmarket', 'v1', 'market.proto')));
    const p = loadProto();
    assert.strictEqual(typeof p.proofmarket.v1.Market, 'function');
    assert.strictEqual(typeof p.proofmarket.v1.ProverHub, 'function');
  });
});

describe('binary formats', () => {
  const BN = fixture('bn254'); const BLS = fixture('bls12-381');
  let d: string;
  beforeEach(() => { d = tmpDir('fmt'); });
  afterEach(() => rmrf(d));

  it('reads Groth16 zkey headers of both curves, alpha converted out of Montgomery form', () => {
    for (const fx of [BN, BLS]) {
      const z = readZkeyInfo(fx.zkey);
      const vk = JSON.parse(fs.readFileSync(fx.vkey, 'utf8'));
      assert.strictEqual(z.curve, fx.curve); assert.strictEqual(z.nPublic, vk.nPublic);
      assert.strictEqual(z.constraints, readR1csInfo(fx.r1cs).nConstraints);
      assert.deepStrictEqual(z.alpha1, vk.vk_alpha_1.slice(0, 2));
      assert.strictEqual(z.domainSize, 1 << z.domainLog2);
    }
  });

  it('refuses truncated, foreign and non-Groth16 zkeys with a clear message', () => {
    const whole = fs.readFileSync(BN.zkey);
    const cut = path.join(d, 'cut.zkey'); fs.writeFileSync(cut, whole.subarray(0, 200));
    assert.throws(() => readZkeyInfo(cut), (e: Error) => e instanceof FormatError && /truncated/.test(e.message));
    const junk = path.join(d, 'junk.zkey'); fs.writeFileSync(junk, Buffer.from('hello world, not a zkey'));
    assert.throws(() => readZkeyInfo(junk), /bad magic "hell", expected "zkey"/);
    assert.throws(() => readZkeyInfo(path.join(BN.dir, 'mul3.plonk.zkey')), /not a Groth16 key: its protocol is plonk/);
  });

  it('reads r1cs headers and names inputs from the sym file', () => {
    const h = readR1csInfo(BN.r1cs);
    assert.deepStrictEqual([h.nPubOut, h.nPubIn, h.nPrvIn, h.nConstraints], [1, 1, 4, 4]);
    assert.deepStrictEqual(inputSpecFromR1csSym(BN.r1cs, fs.readFileSync(BN.sym, 'utf8')),
      [{ name: 'c', size: 1 }, { name: 'a', size: 1 }, { name: 'b', size: 3 }]);
    assert.deepStrictEqual(parseSym('1,2,0,main.x[1]\n'), [{ labelIdx: 1, wireIdx: 2, component: 0, name: 'main.x[1]' }]);
    assert.throws(() => parseSym('1,2\n'), /line 1/);
  });

  it('checks .wtns images', async () => {
    const f = path.join(d, 'w.wtns');
    await (require('snarkjs') as { wtns: { calculate(i: unknown, w: string, o: string): Promise<void> } })
      .wtns.calculate({ a: 2, b: [3, 4, 5], c: 6 }, BN.wasm, f);
    const w = fs.readFileSync(f);
    const info = readWtnsInfo(w);
    assert.strictEqual(info.prime, CURVES.bn254.r); assert.strictEqual(info.nWitness, readZkeyInfo(BN.zkey).nVars);
    assert.throws(() => readWtnsInfo(w.subarray(0, w.length - 1)), /truncated/);
    assert.throws(() => readWtnsInfo(Buffer.from('wtn')), /too short/);
  });

  it('FNV-1a 64 matches the reference vectors and the circom wasm lookup', () => {
    assert.strictEqual(fnv1a64('').toString(16), 'cbf29ce484222325');
    assert.strictEqual(fnv1a64('a').toString(16), 'af63dc4c8601ec8c');
    const p = WasmInputProbe.fromFile(BN.wasm);
    assert.deepStrictEqual([p.sizeOf('a'), p.sizeOf('b'), p.sizeOf('c'), p.total()], [1, 3, 1, 5]);
    assert.ok(p.sizeOf('nope') <= 0);
  });

  it('validates input values: integers in [0, r), numbers only when safe', () => {
    const src = { spec: [{ name: 'x', size: 2 }], probe: () => { throw new Error('unused'); } };
    validateInputJson('{"x": ["0", 5]}', 'bn254', src);
    validateInputJson('{"x": [["0x10"], [7]]}', 'bn254', src); // nested arrays flatten
    assert.throws(() => validateInputJson('{"x": [1.5, 1]}', 'bn254', src), (e: Error) => e instanceof InputError && /input "x\[0\]" is 1.5/.test(e.message));
    // 2^53 + 1 is echoed as written, not as the 9007199254740992 JSON.parse would make of it.
    assert.throws(() => validateInputJson('{"x": [1, 9007199254740993]}', 'bn254', src), /input "x\[1\]" is 9007199254740993: .*write it as a string: "9007199254740993"/);
    assert.throws(() => validateInputJson('{"x": [1, null]}', 'bn254', src), /input "x\[1\]" is null/);
    assert.throws(() => validateInputJson('[1,2]', 'bn254', src), /must be a JSON object/);
    assert.throws(() => validateInputJson(`{"x": [1, "${CURVES.bn254.r}"]}`, 'bn254', src), /input "x\[1\]" is not below the BN254/);
  });
});
