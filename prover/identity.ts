// The prover's identity on disk: `DATA/identity.json` (mode 0600) holds the secret the broker
// issued at the first Register, and the prover id it gave. The daemon presents the secret on every
// Register and in its Session hello; without it nobody — another process on this machine
// included — can hold this prover's session or its leases. Lose the file and the broker refuses
// this prover key: start the daemon with a fresh --data dir (a new prover id).
import * as fs from 'fs';
import * as path from 'path';

export interface ProverIdentity {
  /** Secret issued by the broker at the first Register (opaque, printable). */
  secret: string;
  /** The prover id the broker gave with it (informational). */
  proverId: string;
  /** When it was issued, ms since the epoch. */
  issuedMs: number;
}

export const IDENTITY_FILE = 'identity.json';

export function identityPath(dataDir: string): string {
  return path.join(dataDir, IDENTITY_FILE);
}

/** The identity kept in `dataDir`, or null when there is none yet. Throws on a damaged file. */
export function readIdentity(dataDir: string): ProverIdentity | null {
  const file = identityPath(dataDir);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`cannot read the prover identity ${file}: ${(e as Error).message}`);
  }
  let v: Partial<ProverIdentity>;
  try {
    v = JSON.parse(text) as Partial<ProverIdentity>;
  } catch (e) {
    throw new Error(`prover identity ${file} is not valid JSON (${(e as Error).message}); restore it, or use a fresh --data dir`);
  }
  if (typeof v.secret !== 'string' || !v.secret) throw new Error(`prover identity ${file} has no "secret"; restore it, or use a fresh --data dir`);
  return { secret: v.secret, proverId: String(v.proverId ?? ''), issuedMs: Number(v.issuedMs) || 0 };
}

/** Writes the identity atomically (temp file + rename), readable by the owner only. */
export function writeIdentity(dataDir: string, id: ProverIdentity): void {
  const file = identityPath(dataDir);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(id, null, 2) + '\n', { mode: 0o600 });
  fs.renameSync(tmp, file);
}
