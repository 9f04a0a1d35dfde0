// The state machine is declared once (broker/lifecycle.ts); these tests hold the other places to it:
// the proto enum, the CLI's state parser, the client's terminal test.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { JOB_STATES, LIVE_STATES, TERMINAL_STATES, TRANSITIONS, stateFromAny, stateToProto } from '../../broker/lifecycle';
import { isTerminal as cliTerminal, parseState } from '../../src/cli/format';
import { isTerminalState } from '../../src/client/market';
import { groupState } from '../../broker/partitions';
import { prng, randomSeed, repoRoot } from './helpers';

describe('job lifecycle (declared once)', () => {
  it('matches the proto enum JobState value by value', () => {
    const proto = fs.readFileSync(path.join(repoRoot(), 'proto', 'proofmarket', 'v1', 'common.proto'), 'utf8');
    const body = /enum JobState \{([^}]*)\}/.exec(proto)![1];
    const values = [...body.matchAll(/JOB_STATE_([A-Z]+) = (\d+);/g)].filter((m) => m[1] !== 'UNSPECIFIED').map((m) => [m[1], Number(m[2])]);
    assert.deepStrictEqual(values, JOB_STATES.map((s, i) => [s, i + 1]));
    for (const s of JOB_STATES) assert.strictEqual(stateFromAny(JOB_STATES.indexOf(s) + 1), s);
  });

  it('the CLI and the client derive their names and terminal sets from it', () => {
    for (const s of JOB_STATES) {
      assert.strictEqual(parseState(s.toLowerCase()), stateToProto(s));
      assert.strictEqual(cliTerminal(stateToProto(s)), TERMINAL_STATES.includes(s));
      assert.strictEqual(isTerminalState(stateToProto(s)), TERMINAL_STATES.includes(s));
    }
    assert.throws(() => parseState('bogus'), /expected one of: submitted, queued/);
  });

  it('every transition starts from declared states and never leaves a terminal state', () => {
    for (const [name, t] of Object.entries(TRANSITIONS)) {
      for (const s of t.from) assert.ok(LIVE_STATES.includes(s), `${name} starts from terminal ${s}`);
      assert.ok(t.to.length > 0, name);
      assert.ok(t.outcomes.length > 0, name);
    }
    const reachable = new Set<string>(['SUBMITTED']);
    for (let i = 0; i < 5; i++) for (const t of Object.values(TRANSITIONS)) if (t.from.some((s) => reachable.has(s))) t.to.forEach((s) => reachable.add(s));
    assert.deepStrictEqual([...reachable].sort(), [...JOB_STATES].sort(), 'every state is reachable');
  });

  it('a partitioned job\'s state is derived from its partitions\' (random sets, seed printed)', () => {
    const seed = randomSeed(); const rnd = prng(seed);
    console.log(`      seed ${seed} (replay with PM_SEED=${seed})`);
    for (let i = 0; i < 2000; i++) {
      const parts = Array.from({ length: 1 + Math.floor(rnd() * 6) }, () => ({ state: JOB_STATES[Math.floor(rnd() * JOB_STATES.length)] }));
      const g = groupState(parts);
      const states = parts.map((p) => p.state);
      const msg = `${states.join(',')} → ${g}`;
      assert.strictEqual(g === 'DONE', states.every((s) => s === 'DONE'), msg);
      assert.strictEqual(TERMINAL_STATES.includes(g), states.every((s) => TERMINAL_STATES.includes(s)), `terminal exactly when every partition is: ${msg}`);
      assert.ok(states.includes(g), `one of its partitions' states: ${msg}`);
      if (!TERMINAL_STATES.includes(g)) {
        const live = states.filter((s) => LIVE_STATES.includes(s));
        assert.ok(live.every((s) => JOB_STATES.indexOf(s) <= JOB_STATES.indexOf(g)), `the furthest live state: ${msg}`);
      } else if (g !== 'DONE') assert.ok(g !== 'CANCELLED' || !states.includes('FAILED'), `FAILED before CANCELLED: ${msg}`);
    }
  });
});
