// Human-readable rendering of circuits and jobs for the CLI, and the JSON shape printed by --json.

import { JOB_STATES, TERMINAL_PROTO, stateForCli, stateFromAny, stateToProto } from '../../broker/lifecycle';
import type { Circuit__Output, Job__Output } from '../common';
import { escapeControl } from '../common/text';

export function shortState(s: string): string {
  return stateForCli(s);
}

export function shortCurve(c: string): string {
  if (c === 'CURVE_BN254') return 'bn254';
  if (c === 'CURVE_BLS12_381') return 'bls12-381';
  return c.replace(/^CURVE_/, '').toLowerCase();
}

export function shortKind(k: string): string {
  return k.replace(/^ARTIFACT_KIND_/, '').toLowerCase();
}

function time(ms: string | number): string {
  const n = Number(ms);
  return n > 0 ? new Date(n).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '-';
}

export function humanBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

/** The JSON shape for scripts: the proto message with enums shortened to plain names. */
export function circuitJson(c: Circuit__Output): Record<string, unknown> {
  return {
    ...c,
    curve: shortCurve(c.curve),
    artifacts: c.artifacts.map((a) => ({ ...a, kind: shortKind(a.kind) })),
  };
}

export function jobJson(j: Job__Output): Record<string, unknown> {
  // bytes as hex, not as Node's {"type":"Buffer","data":[…]}
  return { ...j, ...(j.proofBin?.length ? { proofBin: Buffer.from(j.proofBin).toString('hex') } : {}), state: shortState(j.state) };
}

/** Columns padded to their widest cell; cells are broker text, so control characters are escaped first. */
export function table(rows: string[][]): string {
  if (rows.length === 0) return '';
  rows = rows.map((r) => r.map((cell) => escapeControl(cell ?? '')));
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ')).join('\n');
}

export function circuitLine(c: Circuit__Output): string {
  return `circuit ${c.name} (${c.id}): ${shortCurve(c.curve)}, ${c.constraints} constraints, ${c.nPublic} public signals, domain 2^${c.domainLog2}`
    + (c.insecure ? `\n${INSECURE_NOTE}` : '');
}

/** Shown wherever a circuit registered with --allow-insecure-setup appears. */
export const INSECURE_NOTE = 'WARNING: INSECURE SETUP — this circuit\'s zkey had no phase-2 contribution; anyone can forge its proofs';

export function circuitsTable(cs: Circuit__Output[]): string {
  if (cs.length === 0) return 'no circuits registered';
  return table([['ID', 'NAME', 'CURVE', 'CONSTRAINTS', 'PUBLIC', 'CREATED'],
    ...cs.map((c) => [c.id, c.name + (c.insecure ? ' (INSECURE SETUP)' : ''), shortCurve(c.curve), String(c.constraints), String(c.nPublic), time(c.createdMs)])]);
}

/** "name (id)" when the name is known, else the id. */
export function circuitLabel(id: string, names?: Map<string, string>): string {
  const n = names?.get(id);
  return n ? `${n} (${id})` : id;
}

export function jobDetails(j: Job__Output, names?: Map<string, string>): string {
  const lines = [
    `job ${j.id}: ${shortState(j.state)}`,
    j.filecoinC2 ? `  kind        filecoin-c2: ${j.filecoinC2.proofType}, sector ${j.filecoinC2.sectorSize} bytes, ${j.filecoinC2.partitions} partition(s), c1 ${j.filecoinC2.c1Sha256}`
      : `  circuit     ${circuitLabel(j.circuitId, names)}${j.circuitInsecure ? ' (INSECURE SETUP: its proofs can be forged)' : ''}`,
    `  request id  ${j.requestId}`,
    j.partitions?.length ? `  attempts    ${j.attempts} over ${j.partitions.length} partitions (at most ${j.maxAttempts} each)` : `  attempts    ${j.attempts}/${j.maxAttempts}`,
    `  created     ${time(j.createdMs)}`,
    `  updated     ${time(j.updatedMs)}`,
  ];
  if (Number(j.deadlineMs) > 0) lines.push(`  deadline    ${time(j.deadlineMs)}`);
  const parts = j.partitions ?? [];
  const partitioned = parts.length > 0;
  // A requeued job still names its last prover: not shown while it waits (the routing line says why).
  if (j.proverId && !(j.state === 'JOB_STATE_QUEUED' && !partitioned)) lines.push(`  prover      ${j.proverId.split(',').join(', ')}`);
  if (j.maxPrice && j.maxPrice !== '0') {
    const offered = j.offer && j.offer !== '0' && j.offer !== j.maxPrice ? `, ${j.offer} offered` : '';
    lines.push(partitioned ? `  price       ${j.price} agreed (total)${offered}, ${j.maxPrice} max per partition (micro-credits)`
      // No price is agreed before a prover takes the job: "0 agreed" read like a free proof.
      : `  price       ${!j.proverId || j.state === 'JOB_STATE_QUEUED' ? `none agreed${isTerminal(j.state) ? '' : ' yet'}` : `${j.price} agreed`}${offered}, ${j.maxPrice} max (micro-credits)`);
  }
  if (!isTerminal(j.state) && j.progress > 0) lines.push(`  progress    ${(j.progress * 100).toFixed(0)}%${j.stage ? ` (${j.stage})` : ''}`);
  if (j.backend) lines.push(`  backend     ${j.backend} (${j.proveMs} ms${partitioned ? ' summed over partitions' : ''})`);
  if (j.error) {
    // A whole-job cancel cancels every live partition with the same reason: no partition to name.
    const unfinished = parts.filter((p) => p.state !== 'JOB_STATE_DONE');
    const oneCancel = unfinished.length > 0 && unfinished.every((p) => p.state === 'JOB_STATE_CANCELLED' && p.error === unfinished[0].error);
    lines.push(`  error       ${oneCancel && unfinished[0].error ? unfinished[0].error : j.error}`);
  }
  if (j.routing && !isTerminal(j.state)) lines.push(`  routing     ${j.routing}`);
  if (parts.length) {
    lines.push(`  partitions  ${j.partitionsDone} of ${parts.length} verified${j.state === 'JOB_STATE_DONE' ? ' (each checked by the broker: pairing check and the statement its input determines)' : ''}`);
    lines.push(...table([['    K', 'STATE', 'PROVER', 'ATTEMPTS', 'PRICE', 'BACKEND', 'NOTE'], ...parts.map((p) => [
      `    ${p.index}`, shortState(p.state), p.proverId || '-', String(p.attempts), p.price, p.backend ? `${p.backend} ${p.proveMs} ms` : '',
      isTerminal(p.state) ? (p.state === 'JOB_STATE_DONE' ? '' : p.error) : p.progress > 0 ? `${(p.progress * 100).toFixed(0)}%${p.stage ? ` ${p.stage}` : ''}` : '',
    ])]).split('\n'));
    if (j.proofBin?.length) lines.push(`  proof.bin   ${j.proofBin.length} bytes (${parts.length} × 192, Filecoin's compressed encoding)`);
  }
  if (j.filecoinC2 && j.proofBin?.length) {
    lines.push(`  proof.bin   ${j.proofBin.length} bytes (${j.filecoinC2.partitions} × 192), verified by the broker's C2 verifier command against the c1.json`);
  } else if (j.proof && j.proof.publicJson) {
    const pub = JSON.parse(j.proof.publicJson) as string[];
    lines.push(`  public      ${pub.join(', ')}`);
    lines.push('  proof       verified by the broker: pairing check against the circuit\'s verification key, public signals equal to those the job\'s input determines');
    if (j.circuitInsecure) lines.push(`  ${INSECURE_NOTE}`);
  }
  // Names, errors, stages and routing notes come from the broker (some from provers): shown, never acted on.
  return escapeControl(lines.join('\n'));
}

/** One row per job; the CIRCUIT column shows names where `names` (id → name) knows them. */
export function jobsTable(js: Job__Output[], names?: Map<string, string>): string {
  if (js.length === 0) return 'no jobs';
  return table([['ID', 'STATE', 'CIRCUIT', 'ATTEMPTS', 'PROVER', 'UPDATED'],
    ...js.map((j) => [j.id, shortState(j.state), (names?.get(j.circuitId) ?? j.circuitId) + (j.circuitInsecure ? ' (INSECURE SETUP)' : ''), `${j.attempts}/${j.maxAttempts}`, j.proverId || '-', time(j.updatedMs)])]);
}

export const TERMINAL: readonly string[] = TERMINAL_PROTO;

export function isTerminal(state: string): boolean {
  return TERMINAL.includes(state);
}

/** Accepts "done", "DONE", "JOB_STATE_DONE"; returns the proto name or throws. */
export function parseState(s: string): string {
  const st = stateFromAny(s);
  if (!st) throw new Error(`unknown job state "${s}" (expected one of: ${JOB_STATES.join(', ').toLowerCase()})`);
  return stateToProto(st);
}
