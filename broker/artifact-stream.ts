// FetchArtifact: streams one content-addressed artifact in 1 MiB chunks from an offset, with
// backpressure; `allowed` decides whether the caller may read it (NOT_FOUND otherwise).
import * as fs from 'fs';
import type * as grpc from '@grpc/grpc-js';
import { SHA256_RE } from '../src/common/hash';
import type { FetchArtifactRequest__Output } from '../src/common/proto';
import type { ArtifactStore } from './artifacts';
import { invalid, notFound, toStatus } from './errors';

const CHUNK = 1 << 20;

export type ArtifactCall = grpc.ServerWritableStream<FetchArtifactRequest__Output, { offset: string; data: Buffer; size: string }>;

export async function streamArtifact(artifacts: ArtifactStore, call: ArtifactCall, allowed: (sha: string) => Promise<boolean>): Promise<void> {
  const sha = String(call.request.sha256 ?? '').toLowerCase();
  try {
    if (!SHA256_RE.test(sha)) throw invalid(`"${call.request.sha256}" is not a lowercase hex SHA-256`);
    // Allowed first: only a caller who may read it makes the broker pull it from the shared blobs.
    const size = (await allowed(sha)) ? await artifacts.ensure(sha) : null;
    if (size === null) throw notFound(`no artifact with sha256 ${sha} on this broker`);
    const start = Number(call.request.offset) || 0;
    if (start > size) throw invalid(`offset ${start} is beyond the artifact's ${size} bytes`);
    let cancelled = false;
    call.on('cancelled', () => { cancelled = true; });
    const fd = await fs.promises.open(artifacts.pathOf(sha), 'r');
    try {
      let off = start;
      if (size === 0 || start === size) call.write({ offset: String(off), data: Buffer.alloc(0), size: String(size) });
      while (off < size && !cancelled) {
        const buf = Buffer.alloc(Math.min(CHUNK, size - off));
        const { bytesRead } = await fd.read(buf, 0, buf.length, off);
        if (bytesRead <= 0) throw new Error(`short read of artifact ${sha} at ${off}`);
        const ok = call.write({ offset: String(off), data: buf.subarray(0, bytesRead), size: String(size) });
        off += bytesRead;
        if (!ok && !cancelled) {
          await new Promise<void>((r) => {
            const go = () => { call.off('drain', go); call.off('cancelled', go); r(); };
            call.on('drain', go); call.on('cancelled', go);
          });
        }
      }
    } finally { await fd.close(); }
    if (!cancelled) call.end();
  } catch (e) {
    call.emit('error', toStatus(e));
  }
}
