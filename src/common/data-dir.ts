// The broker's and the prover's --data directory: made owner-only when it is made here (it holds
// tenants' inputs, circuits, proofs, API keys, a prover's identity), with an error a person can act
// on when the path cannot be one.
import * as fs from 'fs';

/**
 * mkdir -p `dir` with mode 0700 (an existing directory keeps its mode). Throws an Error naming
 * `flag` and `dir` when a file is in the way (EEXIST, ENOTDIR) or creating it is not allowed
 * (EACCES, EPERM, EROFS); other errors as thrown by fs.
 */
export function ensureDataDir(dir: string, flag = '--data'): void {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTDIR') {
      throw new Error(`${flag} ${dir} is not a directory: a file is there (or in the path above it); give a directory, or a path that does not exist yet`);
    }
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
      throw new Error(`${flag} ${dir} cannot be created: ${code === 'EROFS' ? 'read-only file system' : 'permission denied'}; give a directory this user may write`);
    }
    throw e;
  }
}
