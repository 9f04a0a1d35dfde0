// Progress without a server (issue 8, item 5): the prover's meter turns the engine's per-step
// 0 → 1 reports into one monotonic fraction, the broker throttles events, and the CLI's bar never
// moves left except on a new attempt, which it names. Also the snarkjs proof layout.
import * as assert from 'assert';
import { ProgressMeter } from '../../prover/progress';
import { ProgressThrottle } from '../../broker/progress';
import { snarkjsProofJson, snarkjsPublicJson } from '../../broker/snarkjs-json';
import { ProgressLine } from '../../src/cli/progress';
import type { Job__Output } from '../../src/common';

/** What the native engine reports for one proof (prover.cpp), as on main's raw pass-through. */
const NATIVE = [
  ['witness', 0], ['witness', 1], ['qap', 0], ['qap', 1], ['ntt', 0], ['ntt', 1 / 3], ['ntt', 2 / 3], ['ntt', 1],
  ['msm-A', 0], ['msm-A', 1], ['msm-B1', 0], ['msm-B1', 1], ['msm-B2', 0], ['msm-B2', 1], ['msm-C', 0], ['msm-C', 1],
  ['msm-H', 0], ['msm-H', 1], ['finish', 0], ['finish', 1],
] as const;

describe('progress', () => {
  it('the meter makes the native engine\'s per-step reports one monotonic fraction with public stages', () => {
    for (const gap of [0, 100]) {
      const m = new ProgressMeter(gap);
      const sent: { fraction: number; stage: string }[] = [];
      let now = 0;
      const push = (r: { fraction: number; stage: string } | null) => { if (r) sent.push(r); };
      push(m.step('fetching', 0, now)); push(m.step('fetching', 1, now)); push(m.step('witness', 0, now)); push(m.step('witness', 1, now));
      for (const [stage, f] of NATIVE) push(m.backend(stage, f, (now += 7)));
      // A late report of an earlier step changes nothing.
      push(m.backend('ntt', 0.5, (now += 500)));
      for (let i = 1; i < sent.length; i++) assert.ok(sent[i].fraction >= sent[i - 1].fraction, JSON.stringify(sent));
      assert.strictEqual(sent[sent.length - 1].fraction, 1);
      assert.deepStrictEqual([...new Set(sent.map((s) => s.stage))], ['fetching', 'witness', 'proving', 'ntt', 'msm']);
      if (gap > 0) assert.ok(sent.length <= 10, `not throttled: ${sent.length}`);
    }
  });

  it('the broker sends a progress event per stage change, else at most one per gap, never a standing one', () => {
    const t = new ProgressThrottle(250);
    assert.strictEqual(t.shouldEmit('j', 1, 'ntt', 0.2, 0), true);
    assert.strictEqual(t.shouldEmit('j', 1, 'ntt', 0.25, 100), false); // within the gap
    assert.strictEqual(t.shouldEmit('j', 1, 'msm', 0.3, 120), true); // stage changed
    assert.strictEqual(t.shouldEmit('j', 1, 'msm', 0.3, 900), false); // did not move
    assert.strictEqual(t.shouldEmit('j', 1, 'msm', 0.5, 900), true);
    assert.strictEqual(t.shouldEmit('j', 2, 'msm', 0.1, 901), true); // a new attempt
    t.forget('j');
    assert.strictEqual(t.size, 0);
  });

  it('the CLI bar never moves left within an attempt, and says so when a new attempt restarts it', () => {
    const line = new ProgressLine();
    const job = (attempts: number, progress: number, state = 'JOB_STATE_PROVING', error = '') =>
      ({ id: 'j_1', state, attempts, maxAttempts: 3, progress, stage: 'msm', error } as unknown as Job__Output);
    line.render(job(1, 0.6), 0);
    const back = line.render(job(1, 0.2), 10);
    assert.strictEqual(line.shown, 0.6);
    assert.match(back, / 60%/);
    const again = line.render(job(2, 0.1, 'JOB_STATE_PROVING', 'lease of prover p_1 lapsed'), 20);
    assert.strictEqual(line.shown, 0.1);
    assert.match(again, /attempt 2\/3 \(restarted from 0: lease of prover p_1 lapsed\)/);
  });

  it('proof.json and public.json in snarkjs\'s exact layout, whatever the prover sent', () => {
    const bare = '{"pi_c":["5","6","1"],"pi_b":[["1","2"],["3","4"],["1","0"]],"pi_a":["1","2","1"]}';
    assert.strictEqual(snarkjsProofJson(bare, 'bls12-381'),
      '{\n "pi_a": [\n  "1",\n  "2",\n  "1"\n ],\n "pi_b": [\n  [\n   "1",\n   "2"\n  ],\n  [\n   "3",\n   "4"\n  ],\n  [\n   "1",\n   "0"\n  ]\n ],\n' +
      ' "pi_c": [\n  "5",\n  "6",\n  "1"\n ],\n "protocol": "groth16",\n "curve": "bls12381"\n}');
    assert.strictEqual(snarkjsPublicJson('["1","2"]'), '[\n "1",\n "2"\n]');
    assert.strictEqual(snarkjsProofJson('not json', 'bn254'), null);
    assert.strictEqual(snarkjsPublicJson('{}'), null);
  });
});
