// Store records → proto messages (64-bit fields as decimal strings, enums as names).
import { curveToProto } from '../src/common/curves';
import type { Circuit, FilecoinC2Job, Job, JobState__Output } from '../src/common/proto';
import { C2_KIND, c2PayloadOf, c2ProofBytes, isC2Circuit, type C2Payload } from './c2';
import { stateFromAny, stateToProto } from './lifecycle';
import { isTerminal, type ArtifactKindName, type CircuitRecord, type JobRecord, type JobStateName } from './store/types';

export function jobStateToProto(s: JobStateName): JobState__Output {
  return stateToProto(s) as JobState__Output;
}

/** Accepts 'JOB_STATE_QUEUED', 'QUEUED', 'queued' or the enum number; null for unspecified/unknown. */
export const jobStateFromProto = stateFromAny;

export function artifactKindFromProto(k: string | number | null | undefined): ArtifactKindName | null {
  const names: ArtifactKindName[] = ['WASM', 'ZKEY', 'VKEY', 'R1CS', 'SYM'];
  if (typeof k === 'number') return names[k - 1] ?? null;
  const t = String(k ?? '').toUpperCase().replace(/^ARTIFACT_KIND_/, '');
  return (names as string[]).includes(t) ? t as ArtifactKindName : null;
}

/** `circuitInsecure`: the job's circuit had no phase-2 contribution (shown on every job). */
/** `c2`: a filecoin-c2 job's payload when the record lacks its inputJson (outbox snapshots do). */
export function jobToProto(j: JobRecord, circuitInsecure = false, c2: C2Payload | null = c2PayloadOf(j)): Job {
  const done = j.state === 'DONE';
  const isC2 = isC2Circuit(j.circuitId);
  return {
    kind: isC2 ? C2_KIND : 'groth16', filecoinC2: c2 ? c2JobToProto(c2) : null,
    id: j.id, requestId: j.requestId, circuitId: j.circuitId, state: jobStateToProto(j.state),
    attempts: j.attempts, maxAttempts: j.maxAttempts, proverId: j.proverId, progress: j.progress,
    // The proof reaches the client only once it has verified.
    proof: !done || isC2 ? null : { proofJson: j.proofJson, publicJson: j.publicJson },
    // a filecoin-c2 job's verified proof: partitions × 192 bytes
    ...(done && isC2 ? { proofBin: c2ProofBytes(j.proofJson) ?? Buffer.alloc(0) } : {}),
    error: j.error, createdMs: String(j.createdMs), updatedMs: String(j.updatedMs), deadlineMs: String(j.deadlineMs),
    backend: j.state === 'DONE' ? j.backend : '', proveMs: String(j.state === 'DONE' ? j.proveMs : 0), maxPrice: j.maxPrice,
    price: j.price, stage: isTerminal(j.state) ? '' : j.stage, routing: j.routing ?? '', minOnTime: j.minOnTime ?? 0,
    offer: j.offer || j.maxPrice, circuitInsecure,
  };
}

/** `viewerAccountId`: the caller, so `mine` says whether it registered the circuit. */
export function circuitToProto(c: CircuitRecord, viewerAccountId?: string): Circuit {
  return {
    id: c.id, name: c.name, curve: curveToProto(c.curve), protocol: c.protocol, constraints: String(c.constraints),
    nPublic: c.nPublic, domainLog2: c.domainLog2,
    artifacts: c.artifacts.map((a) => ({ kind: `ARTIFACT_KIND_${a.kind}` as const, size: String(a.size), sha256: a.sha256 })),
    description: c.description, createdMs: String(c.createdMs), public: c.public, insecure: c.insecure,
    mine: viewerAccountId !== undefined && c.ownerAccountId === viewerAccountId,
  };
}

export function c2JobToProto(p: C2Payload): FilecoinC2Job {
  return { c1Sha256: p.c1Sha256, c1Size: String(p.c1Size), proofType: p.proofType, sectorSize: String(p.sectorSize), partitions: p.partitions };
}
