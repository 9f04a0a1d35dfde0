// Backend discovery: the native engine (cuda, cpu) when its addon loads and passes its
// self-test, snarkjs always. Ordered cuda > cpu > snarkjs; the reason for any fallback is logged.

import * as fs from 'fs';
import * as path from 'path';
import { Backend } from './types';
import { SnarkjsBackend } from './snarkjs';

export * from './types';
export { SnarkjsBackend } from './snarkjs';

export const BACKEND_NAMES = ['cuda', 'cpu', 'snarkjs'] as const;
const RANK: Record<string, number> = { cuda: 0, cpu: 1, snarkjs: 2 };

type NativeFactory = (log: (line: string) => void) =>
  Promise<{ backends: Backend[]; warning: string | null }>;

/** Loads ./native (the binding engineer's module) if it is there; null plus why if not. */
function loadNativeFactory(): { factory: NativeFactory | null; reason: string } {
  const candidates = ['native.js', 'native.ts'].map((f) => path.join(__dirname, f));
  if (!candidates.some((p) => fs.existsSync(p))) {
    return { factory: null, reason: 'native backend module is not built (prover/backends/native)' };
  }
  try {
    const mod = require('./native') as { createNativeBackends?: NativeFactory };
    if (typeof mod.createNativeBackends !== 'function') {
      return { factory: null, reason: 'prover/backends/native does not export createNativeBackends' };
    }
    return { factory: mod.createNativeBackends, reason: '' };
  } catch (err) {
    return { factory: null, reason: `native backend failed to load: ${(err as Error).message}` };
  }
}

export interface CreateBackendsOptions {
  /** Only these backends (by name), e.g. ['snarkjs']. Unknown names are an error. */
  restrict?: string[] | null;
  /** Warnings: a fallback and why, a backend asked for that is not available. */
  log?: (line: string) => void;
  /** What the native engine found (build, threads, self-test passed); `log` when not given. */
  info?: (line: string) => void;
}

/**
 * Returns the usable backends, best first. Throws when `restrict` asks only for backends that
 * are not available, naming each and why.
 */
export async function createBackends(opts: CreateBackendsOptions = {}): Promise<Backend[]> {
  const log = opts.log ?? (() => {});
  const restrict = opts.restrict && opts.restrict.length > 0 ? opts.restrict : null;
  if (restrict) {
    for (const name of restrict) {
      if (!(BACKEND_NAMES as readonly string[]).includes(name)) {
        throw new Error(`unknown backend "${name}" (expected one of: ${BACKEND_NAMES.join(', ')})`);
      }
    }
  }
  const wanted = (name: string): boolean => !restrict || restrict.includes(name);
  const out: Backend[] = [];
  let nativeReason = '';
  const offered: string[] = [];

  if (wanted('cuda') || wanted('cpu')) {
    const { factory, reason } = loadNativeFactory();
    if (!factory) {
      nativeReason = reason;
    } else {
      try {
        const { backends, warning } = await factory(opts.info ?? log);
        if (warning) {
          nativeReason = warning;
          log(`native engine: ${warning}`);
        }
        offered.push(...backends.map((b) => b.name));
        for (const b of backends) {
          if (wanted(b.name)) out.push(b);
          else await b.close();
        }
      } catch (err) {
        nativeReason = `native backend self-test failed: ${(err as Error).message}`;
      }
    }
  }
  if (wanted('snarkjs')) out.push(new SnarkjsBackend());

  // The engine loaded but did not offer a backend asked for (cuda without a card): say what it has.
  if (!nativeReason && restrict?.some((n) => (n === 'cuda' || n === 'cpu') && !offered.includes(n))) {
    nativeReason = `the native engine offers ${offered.join(', ') || 'no backend'} here`
      + (restrict.includes('cuda') && !offered.includes('cuda') ? ' (cuda needs the kernels compiled in, PM_CUDA=ON, and a card: `pmtool info`)' : '');
  }
  out.sort((a, b) => (RANK[a.name] ?? 9) - (RANK[b.name] ?? 9));
  if (out.length === 0) {
    throw new Error(`none of the requested backends (${(restrict ?? []).join(', ')}) is available` +
      (nativeReason ? `: ${nativeReason}` : ''));
  }
  if (!out.some((b) => b.name === 'cpu' || b.name === 'cuda') && (wanted('cpu') || wanted('cuda'))) {
    log(`falling back to snarkjs: ${nativeReason || 'the native engine offered no backend'}`);
  }
  if (restrict) {
    for (const name of restrict) {
      if (!out.some((b) => b.name === name)) log(`backend ${name} unavailable: ${nativeReason || 'not offered'}`);
    }
  }
  return out;
}
