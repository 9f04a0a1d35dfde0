// Circuit registration: receives the artifact stream, checks every artifact against its declared
// size and SHA-256, checks the zkey/vkey/r1cs/sym are one consistent Groth16 circuit, and only
// then moves the files into the content-addressed store and records the circuit.
import * as crypto from 'crypto';
import * as fs from 'fs';
import { CURVES, parseCurve } from '../src/common/curves';
import { SHA256_RE } from '../src/common/hash';
import type { Logger } from '../src/common/log';
import type { ArtifactHeader__Output, RegisterCircuitRequest__Output } from '../src/common/proto';
import { ArtifactStore, Upload, UploadError } from './artifacts';
import { artifactKindFromProto } from './convert';
import { alreadyExists, exhausted, invalid, precondition, RpcError } from './errors';
import { FormatError, readR1csInfo, readZkeyInfo, type ZkeyInfo } from './formats';
import { InputError, inputSpecFromR1csSym, inputSpecFromSymWasm, WasmInputProbe } from './inputs';
import { compareVerificationKey, insecureSetupReason, readZkeyVerificationKey, type ZkeyVerificationKey } from './verify/setup';
import type { ArtifactKindName, ArtifactRef, CircuitRecord, InputSignalSpec, Store } from './store/types';

export const NAME_RE = /^[A-Za-z0-9_.-]{1,64}$/;

export interface RegistryLimits { maxArtifactBytes: number }

/** Per-call state of one RegisterCircuit stream. */
export class Registration {
  private name = '';
  private description = '';
  private readonly uploads = new Map<ArtifactKindName, Upload>();
  private readonly order: ArtifactKindName[] = [];
  private finished = false;
  private public = false;
  private allowInsecureSetup = false;

  /** `ownerAccountId`: the registering account; circuit names are unique per owner. */
  constructor(private readonly store: Store, private readonly artifacts: ArtifactStore,
    private readonly limits: RegistryLimits, private readonly log: Logger, private readonly ownerAccountId: string) {}

  /** Handles one stream message; throws RpcError on bad input. */
  onMessage(m: RegisterCircuitRequest__Output): void {
    if (m.header) {
      if (this.name) throw invalid('RegisterCircuit: header sent twice');
      this.onHeader(m.header.name, m.header.artifacts, m.header.description);
      this.public = !!m.header.public;
      this.allowInsecureSetup = !!m.header.allowInsecureSetup;
    } else if (m.chunk) {
      if (!this.name) throw invalid('RegisterCircuit: the first message must be the header');
      const kind = artifactKindFromProto(m.chunk.kind);
      const up = kind ? this.uploads.get(kind) : undefined;
      if (!kind || !up) throw invalid(`RegisterCircuit: chunk for artifact ${m.chunk.kind} that the header did not declare`);
      try { up.write(Number(m.chunk.offset), m.chunk.data); } catch (e) { throw this.wrap(e); }
    } else {
      throw invalid('RegisterCircuit: empty message (neither header nor chunk)');
    }
  }

  private onHeader(name: string, arts: ArtifactHeader__Output[], description: string): void {
    if (!NAME_RE.test(name)) throw invalid(`circuit name "${name}" is invalid: use 1-64 of [A-Za-z0-9_.-]`);
    const kinds = new Set<ArtifactKindName>();
    const decl: { kind: ArtifactKindName; size: number; sha256: string }[] = [];
    for (const a of arts) {
      const kind = artifactKindFromProto(a.kind);
      if (!kind) throw invalid(`artifact kind ${a.kind} is not one of WASM, ZKEY, VKEY, R1CS, SYM`);
      if (kinds.has(kind)) throw invalid(`artifact ${kind} declared twice`);
      kinds.add(kind);
      const size = Number(a.size);
      if (!Number.isSafeInteger(size) || size <= 0) throw invalid(`artifact ${kind}: declared size ${a.size} must be > 0`);
      if (size > this.limits.maxArtifactBytes) {
        throw exhausted(`artifact ${kind}: ${size} bytes exceeds this broker's limit of ${this.limits.maxArtifactBytes} bytes`);
      }
      const sha = String(a.sha256).toLowerCase();
      if (!SHA256_RE.test(sha)) throw invalid(`artifact ${kind}: sha256 "${a.sha256}" is not 64 hex characters`);
      decl.push({ kind, size, sha256: sha });
    }
    // WASM is optional: without it the circuit takes witnesses only (snarkjs's `groth16 prove ZKEY WTNS`).
    for (const k of ['ZKEY', 'VKEY'] as const) if (!kinds.has(k)) throw invalid(`artifact ${k} is required (header declares ${[...kinds].join(', ') || 'none'})`);
    this.name = name;
    this.description = description ?? '';
    for (const d of decl) {
      this.uploads.set(d.kind, this.artifacts.begin(d.kind, d.size, d.sha256));
      this.order.push(d.kind);
    }
  }

  private wrap(e: unknown): RpcError {
    if (e instanceof RpcError) return e;
    if (e instanceof UploadError || e instanceof FormatError || e instanceof InputError) return invalid(e.message);
    return invalid(String((e as Error)?.message ?? e));
  }

  /** Removes every temp file; safe to call more than once. */
  abort(): void {
    this.finished = true;
    for (const u of this.uploads.values()) u.abort();
  }

  /** Stream ended: check everything, then commit files and insert the circuit. */
  async finish(nowMs: number): Promise<CircuitRecord> {
    if (this.finished) throw invalid('RegisterCircuit: stream already finished');
    try {
      if (!this.name) throw invalid('RegisterCircuit: the stream carried no header');
      for (const k of this.order) this.uploads.get(k)!.verify();
      const rec = this.check(nowMs);
      const own = await this.store.getCircuit(rec.name, this.ownerAccountId);
      const existing = own && own.ownerAccountId === this.ownerAccountId ? own : null;
      if (existing) {
        if (existing.id === rec.id && JSON.stringify(existing.artifacts) === JSON.stringify(rec.artifacts)) {
          this.abort();
          return existing;
        }
        throw alreadyExists(`circuit name "${rec.name}" is already registered (id ${existing.id}) with different artifacts; choose another name`);
      }
      const byId = await this.store.getCircuit(rec.id);
      if (byId) throw alreadyExists(`this zkey is already registered as circuit "${byId.name}" (id ${byId.id})`);
      for (const k of this.order) this.uploads.get(k)!.commit();
      // Every broker of the store can serve the bytes before the circuit row points at them.
      for (const k of this.order) await this.artifacts.publish(this.uploads.get(k)!.sha256);
      this.finished = true;
      const ins = await this.store.insertCircuit(rec);
      if (ins.outcome === 'identical') return ins.existing!;
      if (ins.outcome !== 'inserted') throw alreadyExists(`circuit "${rec.name}" was registered concurrently with different artifacts`);
      this.log.info(`registered circuit ${rec.name} (${rec.id}): ${rec.curve}, ${rec.constraints} constraints, ${rec.nPublic} public`
        + (rec.insecure ? '; INSECURE SETUP (no phase-2 contribution), allowed by the owner' : ''));
      return rec;
    } catch (e) {
      this.abort();
      throw this.wrap(e);
    }
  }

  private check(nowMs: number): CircuitRecord {
    const up = (k: ArtifactKindName) => this.uploads.get(k);
    let zk: ZkeyInfo;
    try { zk = readZkeyInfo(up('ZKEY')!.tmpPath); } catch (e) {
      throw invalid(e instanceof FormatError ? e.message : `zkey: ${(e as Error).message}`);
    }
    // vkey: JSON that names the same protocol, curve, nPublic and alpha as the zkey.
    let vk: Record<string, unknown>;
    try { vk = JSON.parse(fs.readFileSync(up('VKEY')!.tmpPath, 'utf8')); } catch (e) {
      throw invalid(`vkey is not valid JSON: ${(e as Error).message}`);
    }
    if (!vk || typeof vk !== 'object') throw invalid('vkey is not a JSON object');
    if (vk.protocol !== 'groth16') throw invalid(`vkey protocol is "${String(vk.protocol)}", expected "groth16"`);
    const vkCurve = parseCurve(String(vk.curve));
    if (vkCurve !== zk.curve) {
      throw invalid(`vkey curve "${String(vk.curve)}" does not match the zkey's curve ${CURVES[zk.curve].label} (${CURVES[zk.curve].snarkjs})`);
    }
    if (Number(vk.nPublic) !== zk.nPublic) throw invalid(`vkey nPublic ${String(vk.nPublic)} does not match the zkey's nPublic ${zk.nPublic}`);
    // The whole verification key must be the zkey's own (alpha, beta, gamma, delta, every IC
    // point), and the setup must have had a phase-2 contribution (verify/setup.ts).
    let zvk: ZkeyVerificationKey;
    try { zvk = readZkeyVerificationKey(up('ZKEY')!.tmpPath); } catch (e) {
      throw invalid(e instanceof FormatError ? e.message : `zkey: ${(e as Error).message}`);
    }
    const differs = compareVerificationKey(vk, zvk);
    if (differs) throw invalid(differs);
    const insecure = insecureSetupReason(zvk);
    if (insecure && !this.allowInsecureSetup) {
      throw precondition(`circuit "${this.name}" refused: ${insecure}. With such a key anyone can forge a proof of any public values. `
        + 'Add a contribution (snarkjs zkey contribute) and export the vkey again, or register with --allow-insecure-setup '
        + '(allow_insecure_setup) to accept a circuit that will be marked insecure everywhere');
    }
    // wasm: must be a wasm module.
    const wasmPath = up('WASM')?.tmpPath ?? null;
    if (wasmPath) {
      const head = Buffer.alloc(4); const fd = fs.openSync(wasmPath, 'r'); fs.readSync(fd, head, 0, 4, 0); fs.closeSync(fd);
      if (!head.equals(Buffer.from([0, 0x61, 0x73, 0x6d]))) throw invalid('wasm artifact is not a WebAssembly module (bad magic)');
    }
    // r1cs / sym: optional; when both are there they name the inputs.
    let inputs: InputSignalSpec[] | null = null;
    let constraints = zk.constraints;
    const r1cs = up('R1CS'); const sym = up('SYM');
    if (r1cs) {
      const h = readR1csInfo(r1cs.tmpPath);
      if (h.curve !== zk.curve) throw invalid(`r1cs is over ${CURVES[h.curve].label}, the zkey over ${CURVES[zk.curve].label}`);
      if (h.nPubOut + h.nPubIn !== zk.nPublic) throw invalid(`r1cs has ${h.nPubOut + h.nPubIn} public signals, the zkey ${zk.nPublic}: not the same circuit`);
      if (h.nWires !== zk.nVars) throw invalid(`r1cs has ${h.nWires} wires, the zkey ${zk.nVars} variables: not the same circuit`);
      constraints = h.nConstraints;
      if (sym) inputs = inputSpecFromR1csSym(r1cs.tmpPath, fs.readFileSync(sym.tmpPath, 'utf8'));
    }
    if (wasmPath) {
      // Make sure the wasm can answer input-name questions later (and with a sym, name them now),
      // and that it computes witnesses of the zkey's size: a wasm of another circuit would make
      // every proof fail ("Invalid witness length") or, worse, prove another statement.
      let probe: WasmInputProbe;
      try { probe = new WasmInputProbe(fs.readFileSync(wasmPath)); } catch (e) {
        throw invalid(`wasm cannot be loaded as a circom witness generator: ${(e as Error).message}`);
      }
      const wires = probe.witnessSize();
      if (wires !== null && wires !== zk.nVars) {
        throw invalid(`wasm computes witnesses of ${wires} wires, the zkey has ${zk.nVars} variables: the wasm is not the zkey's circuit`);
      }
      if (!inputs && sym) inputs = inputSpecFromSymWasm(fs.readFileSync(sym.tmpPath, 'utf8'), probe);
    }
    const artifacts: ArtifactRef[] = this.order.map((k) => ({ kind: k, size: up(k)!.size, sha256: up(k)!.sha256 }));
    return {
      // The id is per owner: two tenants may register the same zkey, each under its own name.
      id: 'c_' + crypto.createHash('sha256').update(`${this.ownerAccountId}\n${up('ZKEY')!.sha256}`).digest('hex').slice(0, 16),
      ownerAccountId: this.ownerAccountId, public: this.public, name: this.name, curve: zk.curve, protocol: 'groth16', constraints,
      nPublic: zk.nPublic, nVars: zk.nVars, domainLog2: zk.domainLog2, artifacts, description: this.description, inputs,
      insecure: insecure !== null, createdMs: nowMs,
    };
  }
}
