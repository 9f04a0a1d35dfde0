// A prover's start-up lines at the right level: the native engine's findings (build, threads,
// self-test passed) are information; only a fallback or a missing backend is a warning. A fresh
// `npm start` printed "WARN native engine: cpu self-test passed".

import * as assert from 'assert';
import { createBackends } from '../../prover/backends';
import type { Backend } from '../../prover/backends/types';

describe('prover backends: log levels', function () {
  this.timeout(60_000);
  const backends: Backend[] = [];
  after(async () => { for (const b of backends) await b.close(); });

  it('self-test and engine lines go to info; warnings only when something is missing', async () => {
    const infos: string[] = [];
    const warns: string[] = [];
    backends.push(...await createBackends({ log: (l) => warns.push(l), info: (l) => infos.push(l) }));
    const names = backends.map((b) => b.name);
    console.log(`      backends ${names.join(' > ')}; info: ${infos.length} lines, warnings: ${warns.join('; ') || 'none'}`);
    if (names.includes('cpu')) {
      assert.ok(infos.some((l) => /^native engine: cpu self-test passed$/.test(l)), infos.join('\n'));
      assert.ok(!warns.some((l) => /self-test passed|resident proving keys/.test(l)), warns.join('\n'));
      assert.ok(!warns.some((l) => /falling back/.test(l)), warns.join('\n'));
    } else {
      assert.ok(warns.some((l) => /^falling back to snarkjs: /.test(l)), warns.join('\n'));
    }
  });

  it('without an info sink every line still reaches log (callers that pass one sink see everything)', async () => {
    const all: string[] = [];
    backends.push(...await createBackends({ log: (l) => all.push(l) }));
    if (backends.some((b) => b.name === 'cpu')) assert.ok(all.some((l) => /cpu self-test passed/.test(l)), all.join('\n'));
    else assert.ok(all.some((l) => /falling back to snarkjs/.test(l)), all.join('\n'));
  });

  it('--backend cuda where the engine offers no cuda says why, not just "not available"', async () => {
    const probe = await createBackends({ log: () => {} });
    const hasCuda = probe.some((b) => b.name === 'cuda');
    const hasCpu = probe.some((b) => b.name === 'cpu');
    backends.push(...probe);
    if (hasCuda || !hasCpu) { console.log('      (a card here, or no native engine: nothing to check)'); return; }
    await assert.rejects(createBackends({ restrict: ['cuda'], log: () => {} }), (e: Error) =>
      /^none of the requested backends \(cuda\) is available: the native engine offers cpu here \(cuda needs the kernels compiled in/.test(e.message));
  });
});
