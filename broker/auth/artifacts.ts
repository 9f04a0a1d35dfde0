// Who may download which artifact (ProverHub.FetchArtifact). Artifacts are tenant data: a zkey or
// witness generator can be a client's trade secret. Anything not allowed is answered NOT_FOUND,
// exactly like an unknown hash, so a refusal does not confirm that the artifact exists.
import type { Broker } from '../broker';
import type { CircuitRecord } from '../store/types';
import type { Caller } from './caller';
import { c2PayloadOf } from '../c2';

const holds = (c: CircuitRecord, sha: string): boolean => c.artifacts.some((a) => a.sha256 === sha);

/**
 * - admin: any artifact;
 * - client: the artifacts of its own circuits;
 * - prover operator: those of public circuits, and of the circuits of jobs that one of its
 *   connected provers holds a lease on (ASSIGNED/PROVING) right now, and the c1.json of a
 *   filecoin-c2 job it holds a lease on.
 */
export async function mayFetchArtifact(b: Broker, caller: Caller, sha: string): Promise<boolean> {
  if (caller.role === 'admin') return true;
  const visible = await b.store.listCircuits(caller.accountId);
  if (caller.role === 'client') return visible.some((c) => c.ownerAccountId === caller.accountId && holds(c, sha));
  if (visible.some((c) => c.public && holds(c, sha))) return true;
  for (const s of b.sessions.all()) {
    if (s.operatorId !== caller.accountId) continue;
    for (const j of await b.store.leasedTo(s.proverId)) {
      if (c2PayloadOf(j)?.c1Sha256 === sha) return true;
      const c = await b.circuit(j.circuitId);
      if (c && holds(c, sha)) return true;
    }
  }
  return false;
}
