// Routing with real processes: a broker with admission challenges and two paid provers of
// different speed (PM_PROVE_DELAY_MS) and price. Tight deadlines go to the fast one, lax ones to
// the cheap one, a burst is split; the quote's on-time probability is compared with what happens
// over 30 jobs; a prover killed mid-proof has its job reassigned within the grace period (not the
// lease); a job nobody in the market can finish in time escalates to the broker's fallback prover.
// Timings are generous: the machine may be loaded. No wall-clock assertion on speed itself.
import * as assert from 'assert';
import { MarketClient, type QuoteResponse } from '../../src/client/market';
import type { Job__Output } from '../../src/common';
import { circuitsByCurve, freshInput, seededRandom, verifyProof, type ExampleCircuit } from '../helpers/circuits';
import { adminOf, newOperator, registerExample, waitForJob } from '../helpers/market';
import { killAll, runCli, sleep, startBrokerProc, startProverProc, type BrokerProc, type Proc } from '../helpers/procs';
import { liveProcessHooks } from '../helpers/hooks';

const FAST_DELAY = 150; const SLOW_DELAY = 2500;
const FAST_PRICE = 500; const SLOW_PRICE = 100;
const GRACE_MS = 1500; const LEASE_MS = 30_000;

/** Challenges (admission and recheck) the broker logged sending to a prover. */
function challengesSent(b: BrokerProc, proverId: string): number {
  return b.proc.lines.filter((l) => / challenge \S+ \(calibration_\S+\) sent to prover /.test(l) && l.includes(`sent to prover ${proverId}`)).length;
}

describe('e2e routing by speed, price and deadline', function () {
  this.timeout(300_000);
  let c: ExampleCircuit;
  let broker: BrokerProc;
  let client: MarketClient;
  let fast: { proc: Proc; proverId: string };
  let slow: { proc: Proc; proverId: string };
  let cheat: { proc: Proc; proverId: string };
  const rnd = seededRandom('routing');
  let n = 0;

  const submit = (deadlineS: number, minOnTime = 0.9) => client.submit({
    circuit: c.name, input: JSON.stringify(freshInput(c, rnd.next)), requestId: `r-${rnd.seed}-${n++}`, maxPrice: 1000n,
    deadlineMs: deadlineS ? Date.now() + Math.round(deadlineS * 1000) : 0, minOnTime,
  });
  const offer = (q: QuoteResponse, id: string) => q.offers.find((o) => o.proverId === id)!;

  before(async () => {
    c = circuitsByCurve().bn254;
    console.log(`      inputs seed ${rnd.seed}`);
    broker = await startBrokerProc({ leaseMs: LEASE_MS, extraArgs: ['--admission-challenges', '2', '--grace-ms', String(GRACE_MS)] });
    client = new MarketClient(broker.address, { apiKey: broker.keys.client });
    await registerExample(client, c);
    const admin = adminOf(broker);
    await admin.deposit('local-client', 10n ** 9n);
    const fastKey = await newOperator(admin, 'op-fast', 10n ** 7n);
    const slowKey = await newOperator(admin, 'op-slow', 10n ** 7n);
    const cheatKey = await newOperator(admin, 'op-cheat', 10n ** 7n);
    admin.close();
    // A prover that returns corrupted proofs, and asks the least: it must never pass admission.
    [fast, slow, cheat] = await Promise.all([
      startProverProc(broker, { name: 'fast', apiKey: fastKey, price: FAST_PRICE, env: { PM_PROVE_DELAY_MS: String(FAST_DELAY) } }),
      startProverProc(broker, { name: 'slow', apiKey: slowKey, price: SLOW_PRICE, env: { PM_PROVE_DELAY_MS: String(SLOW_DELAY) } }),
      startProverProc(broker, { name: 'cheat', apiKey: cheatKey, price: 1, fault: 'corrupt-proof' }),
    ]);
  });

  liveProcessHooks({ close: () => client?.close() });

  it('admits provers only after they pass their challenge proofs; `provers` shows what was measured', async () => {
    // Before admission a paid job waits, and says why.
    const early = await submit(0);
    // The reason is written by the next dispatch pass or sweep (a pass is skipped while every
    // connected prover's slot is busy with its challenges; the sweep runs every second).
    const first = await waitForJob(client, early.id, (j) => j.state !== 'JOB_STATE_QUEUED' || j.routing !== '',
      'given a routing note or assigned', 30_000);
    if (first.state === 'JOB_STATE_QUEUED') {
      assert.match(first.routing, /admission challenges|no prover|waiting/, first.routing);
      const shown = await runCli(['job', early.id, '--broker', broker.address, '--api-key', broker.keys.client]);
      if (/QUEUED/.test(shown.stdout)) assert.match(shown.stdout, /routing\s+\S/, `job ${early.id} says why it waits: ${shown.stdout}`);
    }
    const until = Date.now() + 120_000;
    let ps: { id: string; state: string; challengesPassed: number; challengesFailed: number; reputation: number; samples: number; ms_2_12: string }[] = [];
    while (Date.now() < until) {
      const r = await runCli(['provers', '--json', '--broker', broker.address, '--api-key', broker.keys.client]);
      assert.strictEqual(r.code, 0, r.stderr);
      ps = JSON.parse(r.stdout);
      // Admitted, and done with every calibration challenge (one per curve and size: more than the 2 admission needs).
      const calibrated = [fast, slow].every((x) => {
        const p = ps.find((y) => y.id === x.proverId);
        return p && p.state === 'active' && p.challengesPassed >= challengesSent(broker, x.proverId);
      });
      if (calibrated && (ps.find((p) => p.id === cheat.proverId)?.challengesFailed ?? 0) >= 2) break;
      await sleep(500);
    }
    for (const id of [fast.proverId, slow.proverId]) {
      const p = ps.find((x) => x.id === id)!;
      assert.strictEqual(p.state, 'active', `prover ${id}: ${JSON.stringify(p)}`);
      assert.ok(p.challengesPassed >= 2, `prover ${id} passed ${p.challengesPassed} challenges`);
    }
    const ch = ps.find((x) => x.id === cheat.proverId)!;
    assert.strictEqual(ch.state, 'admitting', `the cheat is never admitted: ${JSON.stringify(ch)}`);
    assert.ok(ch.challengesFailed >= 2 && ch.challengesPassed === 0 && ch.reputation < 0, JSON.stringify(ch));
    const done = await client.waitDone(early.id, 120_000);
    assert.strictEqual(done.state, 'JOB_STATE_DONE', done.error);
    assert.notStrictEqual(done.proverId, cheat.proverId, 'no paid work before admission');
    // `watch` on a finished job prints its snapshot and exits 0.
    const w = await runCli(['watch', early.id, '--broker', broker.address, '--api-key', broker.keys.client]);
    assert.strictEqual(w.code, 0, w.stderr);
    assert.match(w.stdout, new RegExp(`${early.id} snapshot\\s+DONE`));
    const table = await runCli(['provers', '--broker', broker.address, '--api-key', broker.keys.client]);
    assert.match(table.stdout, /NAME\s+CURVES\s+BACKENDS\s+ASK\s+2\^12/);
    assert.match(table.stdout, /fast .* 500 .* active/);
  });

  it('quotes: the fast prover is quicker, the slow one cheaper; `quote` prints both', async () => {
    // Let the model see a few real jobs of this circuit on both (no deadline: whichever is free).
    await Promise.all([0, 1, 2, 3].map(async () => client.waitDone((await submit(0)).id, 120_000)));
    const q = await client.quote({ circuit: c.name });
    const f = offer(q, fast.proverId); const s = offer(q, slow.proverId);
    assert.ok(f && s, JSON.stringify(q));
    assert.strictEqual(q.offers[0].proverId, slow.proverId, 'cheapest first');
    assert.ok(Number(f.etaP50Ms) < Number(s.etaP50Ms), `fast p50 ${f.etaP50Ms} < slow p50 ${s.etaP50Ms}`);
    const r = await runCli(['quote', '--circuit', c.name, '--deadline', '60', '--broker', broker.address, '--api-key', broker.keys.client]);
    assert.strictEqual(r.code, 0, r.stderr);
    console.log(r.stdout.replace(/^/gm, '      | '));
    assert.match(r.stdout, /PROVER\s+PRICE\s+ETA p50\s+ETA p90\s+QUEUE\s+ON TIME/);
    assert.match(r.stdout, /slow\s+100\s/);
  });

  it('a tight deadline goes to the fast prover, a lax one to the cheap one; a burst is split', async () => {
    const q = await client.quote({ circuit: c.name });
    const fP90 = Number(offer(q, fast.proverId).etaP90Ms); const sP50 = Number(offer(q, slow.proverId).etaP50Ms);
    console.log(`      model: fast p90 ${fP90} ms, slow p50 ${sP50} ms`);
    assert.ok(fP90 < sP50, 'the provers are told apart by speed');
    const tightS = (fP90 * 1.5 + 500) / 1000;
    const tight = await submit(tightS);
    const lax = await submit(120);
    const [t, l] = await Promise.all([client.waitDone(tight.id, 120_000), client.waitDone(lax.id, 120_000)]);
    assert.strictEqual(t.proverId, fast.proverId, `tight (${tightS.toFixed(1)} s) went to ${t.proverId}: ${t.routing}`);
    assert.strictEqual(l.proverId, slow.proverId, `lax went to ${l.proverId}: ${l.routing}`);
    // A burst of 6 with a deadline the cheap one can only partly meet.
    const burstS = (sP50 * 2.5) / 1000;
    const burst = await Promise.all(Array.from({ length: 6 }, () => submit(burstS)));
    const done = await Promise.all(burst.map((j) => client.waitDone(j.id, 120_000)));
    const onFast = done.filter((j) => j.proverId === fast.proverId).length;
    const onSlow = done.filter((j) => j.proverId === slow.proverId).length;
    console.log(`      burst of 6 (deadline ${burstS.toFixed(1)} s): fast ${onFast}, slow ${onSlow}`);
    assert.ok(onFast >= 1 && onSlow >= 1, 'the burst is split between the provers');
    for (const j of done) assert.strictEqual(j.state, 'JOB_STATE_DONE', `${j.id}: ${j.error}`);
    assert.ok(await verifyProof(c, done[0].proof!.proofJson, done[0].proof!.publicJson));
  });

  it('the quoted on-time probability over 30 jobs: never over-promises by more than 0.15, never under-promises by more than 0.35; submit → assignment latency', async () => {
    const rows: { predicted: number; job: Job__Output; submitMs: number; assignedMs: number }[] = [];
    const watchers: Promise<void>[] = [];
    const q0 = await client.quote({ circuit: c.name });
    const fP50 = Number(offer(q0, fast.proverId).etaP50Ms);
    const srnd = seededRandom('routing-calibration');
    for (let i = 0; i < 30; i++) {
      // Deadlines from "barely possible on the fast one" to "easy on the slow one".
      const u = Number(srnd.next() % 1000n) / 1000;
      const deadlineS = (fP50 * (0.8 + 6 * u)) / 1000;
      const q = await client.quote({ circuit: c.name, deadlineMs: Date.now() + Math.round(deadlineS * 1000) });
      // What the broker will pick: the cheapest offer at or above the target, else the likeliest.
      const okOffers = q.offers.filter((o) => o.onTimeProbability >= 0.9);
      const predicted = okOffers.length ? okOffers[0].onTimeProbability : Math.max(...q.offers.map((o) => o.onTimeProbability));
      const submitMs = Date.now();
      const job = await submit(deadlineS);
      const row = { predicted, job, submitMs, assignedMs: 0 };
      rows.push(row);
      watchers.push((async () => {
        const w = client.watch(job.id, (ev) => { if (!row.assignedMs && ev.job && ev.job.attempts > 0) row.assignedMs = Date.now(); });
        row.job = (await w.done) ?? job;
      })());
      await sleep(250 + Number(srnd.next() % 500n));
    }
    await Promise.all(watchers);
    const ended = rows.map((r) => r.job);
    for (const j of ended) {
      assert.ok(['JOB_STATE_DONE', 'JOB_STATE_EXPIRED'].includes(j.state), `${j.id}: ${j.state} ${j.error}`);
      assert.notStrictEqual(j.proverId, cheat.proverId, 'the cheapest ask never wins without admission');
    }
    const onTime = ended.filter((j) => j.state === 'JOB_STATE_DONE' && Number(j.updatedMs) <= Number(j.deadlineMs)).length / ended.length;
    const predicted = rows.reduce((s, r) => s + r.predicted, 0) / rows.length;
    const lat = rows.filter((r) => r.assignedMs).map((r) => r.assignedMs - r.submitMs).sort((a, b) => a - b);
    const pct = (p: number) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))];
    const load = require('os').loadavg().map((x: number) => x.toFixed(2)).join(' ');
    console.log(`      30 jobs: predicted on-time ${predicted.toFixed(3)}, observed ${onTime.toFixed(3)}; `
      + `submit→assignment p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms (includes waiting for the chosen prover); load ${load}`);
    // Stated tolerance, asymmetric: a quote that promises more than happens misleads the client, so
    // over-promising is held to 0.15; the model is cautious by design while it has few samples (it
    // shrinks toward a wide prior), and on a quiet machine the provers beat what it learned under
    // load: a clean-clone CI run saw 0.748 predicted vs 1.000 observed, so under-promising may reach 0.35.
    assert.ok(predicted - onTime <= 0.15, `over-promised: predicted ${predicted} vs observed ${onTime}`);
    assert.ok(onTime - predicted <= 0.35, `under-promised: predicted ${predicted} vs observed ${onTime}`);
  });

  it('a prover killed mid-proof has its job requeued after the grace, not the lease, and it finishes elsewhere', async () => {
    const job = await submit(300); // lax: the cheap, slow prover takes it
    await waitForJob(client, job.id, (j) => j.state === 'JOB_STATE_PROVING' && j.proverId === slow.proverId, 'proving on the slow prover', 60_000);
    const killedAt = Date.now();
    slow.proc.child.kill('SIGKILL');
    const moved = await waitForJob(client, job.id, (j) => j.attempts >= 2 || j.state === 'JOB_STATE_DONE', 'reassigned', LEASE_MS);
    const took = Date.now() - killedAt;
    console.log(`      reassigned ${took} ms after the kill (grace ${GRACE_MS} ms, lease ${LEASE_MS} ms)`);
    assert.ok(took < LEASE_MS / 2, `reassigned after ${took} ms: the lease (${LEASE_MS} ms) ran out instead of the grace`);
    assert.ok(moved.attempts >= 2, 'a new attempt started');
    const done = await client.waitDone(job.id, 120_000);
    assert.strictEqual(done.state, 'JOB_STATE_DONE', done.error);
    assert.strictEqual(done.proverId, fast.proverId);
  });

  it('a job no market prover can finish in time escalates to the broker\'s fallback prover and finishes before its deadline', async () => {
    await killAll();
    const b2 = await startBrokerProc({ extraArgs: ['--admission-challenges', '0', '--fallback-backend', 'snarkjs'] });
    const cl = new MarketClient(b2.address, { apiKey: b2.keys.client });
    try {
      await registerExample(cl, c);
      await b2.proc.waitFor(/fallback prover \S+ ready/, 60_000);
      const admin = adminOf(b2);
      await admin.deposit('local-client', 10n ** 6n);
      const key = await newOperator(admin, 'op-slow', 10n ** 6n);
      admin.close();
      await startProverProc(b2, { name: 'slow', apiKey: key, price: SLOW_PRICE, env: { PM_PROVE_DELAY_MS: '6000' } });
      await b2.proc.waitFor(/prover \S+ \(slow\) connected/, 60_000);
      // Two lax jobs teach the model how slow the market prover is; the fallback stays idle.
      const warm = await Promise.all([0, 1].map(() => cl.submit({ circuit: c.name, input: JSON.stringify(freshInput(c, rnd.next)), maxPrice: 1000n, deadlineMs: Date.now() + 120_000 })));
      for (const j of warm) {
        const d = await cl.waitDone(j.id, 120_000);
        assert.notStrictEqual(d.proverId, '', 'assigned');
        assert.match(d.proverId, /^p_/);
      }
      const prov = await cl.listProvers();
      const slowId = prov.find((p) => p.name === 'slow')!.id;
      for (const j of warm) assert.strictEqual((await cl.getJob(j.id)).proverId, slowId, 'lax jobs never go to the fallback');
      const events: string[] = [];
      const tight = await cl.submit({ circuit: c.name, input: JSON.stringify(freshInput(c, rnd.next)), maxPrice: 1000n, deadlineMs: Date.now() + 5000 });
      const w = cl.watch(tight.id, (ev) => { if (ev.job?.routing) events.push(ev.job.routing); });
      const cli = runCli(['watch', tight.id, '--broker', b2.address, '--api-key', b2.keys.client]);
      const done = (await w.done)!;
      const shown = await cli;
      assert.strictEqual(shown.code, 0, shown.stderr);
      // The CLI may start after later notes (an at-risk warning) replaced the escalation note: it shows the latest.
      assert.match(shown.stdout, /fallback prover|prover fallback/, `proofmarket watch shows the routing note: ${shown.stdout}`);
      assert.strictEqual(done.state, 'JOB_STATE_DONE', `${done.error} / ${events.join(' | ')}`);
      assert.notStrictEqual(done.proverId, slowId);
      assert.ok(Number(done.updatedMs) <= Number(done.deadlineMs), 'finished before the deadline');
      assert.ok(events.some((e) => /fallback prover/.test(e)), `the escalation is a job event the client sees: ${events.join(' | ')}`);
    } finally { cl.close(); }
  });

  it('a leased job whose prover stalls past the model is moved to a faster prover before its deadline, without blame; a low offer is raised first', async () => {
    await killAll();
    // Lease longer than the deadline: only the at-risk check can save the job.
    const b4 = await startBrokerProc({ leaseMs: 120_000, extraArgs: ['--admission-challenges', '0'] });
    const cl = new MarketClient(b4.address, { apiKey: b4.keys.client });
    try {
      await registerExample(cl, c);
      const admin = adminOf(b4);
      await admin.deposit('local-client', 10n ** 6n);
      const stallKey = await newOperator(admin, 'op-stall', 10n ** 6n);
      const quickKey = await newOperator(admin, 'op-quick', 10n ** 6n);
      // Unmeasured (admission off): both are predicted alike, so the cheap one is picked; it then takes 10 minutes.
      await startProverProc(b4, { name: 'stall', apiKey: stallKey, price: 100, env: { PM_PROVE_DELAY_MS: '600000' } });
      const quick = await startProverProc(b4, { name: 'quick', apiKey: quickKey, price: 400, env: { PM_PROVE_DELAY_MS: String(FAST_DELAY) } });
      const events: string[] = [];
      // Offer 50 (submit --price): no prover asks that little, so the offer is raised (step 1) before anything is assigned.
      const job = await cl.submit({ circuit: c.name, input: JSON.stringify(freshInput(c, rnd.next)), maxPrice: 1000n, offer: 50n, deadlineMs: Date.now() + 20_000 });
      const w = cl.watch(job.id, (ev) => { if (ev.job?.routing && events[events.length - 1] !== ev.job.routing) events.push(ev.job.routing); });
      const done = (await w.done)!;
      console.log(`      events: ${events.join(' | ')}`);
      assert.strictEqual(done.state, 'JOB_STATE_DONE', `${done.error} / ${events.join(' | ')}`);
      assert.strictEqual(done.proverId, quick.proverId);
      assert.ok(Number(done.updatedMs) <= Number(done.deadlineMs), 'finished before the deadline');
      // Steps of 100 (10% of the max): 50 → 150 to reach stall's ask (before the watch may have
      // started), then 150 → 450 to reach quick's once the job was moved.
      assert.ok(events.some((e) => /^moved: prover stall is likely late: its (progress|measured speed) .* predicts a finish in .*; requeued for quick/.test(e)), events.join(' | '));
      assert.ok(events.some((e) => /^offer raised from 150 to 450 micro-credits: no prover at 150 is likely to meet the deadline \(quick asks 400/.test(e)), events.join(' | '));
      assert.strictEqual(done.price, '400', 'paid the ask of the prover that proved it, not the offer');
      assert.strictEqual(done.offer, '450');
      // Not blamed: the stalled prover's operator kept its whole stake, its reputation is untouched.
      const bal = await admin.balance('op-stall');
      assert.strictEqual(bal.available, String(10n ** 6n), JSON.stringify(bal));
      assert.strictEqual(bal.stake, '0', JSON.stringify(bal));
      const stall = (await cl.listProvers()).find((p) => p.name === 'stall')!;
      assert.strictEqual(stall.reputation, 0);
      admin.close();
      // `submit --price` above `--max-price` is refused with a message a person can act on.
      const input = require('path').join(b4.dataDir, 'input.json');
      require('fs').writeFileSync(input, JSON.stringify(freshInput(c, rnd.next)));
      const bad = await runCli(['submit', '--circuit', c.name, '--input', input, '--price', '2000', '--max-price', '1000', '--broker', b4.address, '--api-key', b4.keys.client]);
      assert.notStrictEqual(bad.code, 0);
      assert.match(bad.stderr, /offer 2000 is above max_price 1000/);
    } finally { cl.close(); }
  });

  it('admitted provers get a challenge again from time to time (--recheck-ms), measured like any proof', async () => {
    await killAll();
    const b3 = await startBrokerProc({ extraArgs: ['--admission-challenges', '1', '--recheck-ms', '1500'] });
    const cl = new MarketClient(b3.address, { apiKey: b3.keys.client });
    try {
      const p = await startProverProc(b3, { name: 'solo' });
      const until = Date.now() + 90_000;
      let me = (await cl.listProvers()).find((x) => x.id === p.proverId)!;
      // Admission sends one challenge per calibration circuit (curve × size); two rechecks come after.
      const rechecks = () => b3.proc.lines.filter((l) => /recheck challenge \S+ \(calibration_/.test(l)).length;
      while (Date.now() < until && !(rechecks() >= 2 && me.challengesPassed >= challengesSent(b3, p.proverId))) {
        await sleep(500);
        me = (await cl.listProvers()).find((x) => x.id === p.proverId)!;
      }
      const sent = challengesSent(b3, p.proverId);
      assert.ok(sent >= 4, `admission: the calibration circuits at two sizes per curve (${sent} sent)`);
      assert.ok(me.challengesPassed >= sent && rechecks() >= 2, `every admission challenge + 2 rechecks passed: ${JSON.stringify(me)}`);
      assert.strictEqual(me.state, 'active');
      assert.ok(me.samples >= 2, `each recheck is a latency sample: ${me.samples}`);
      assert.ok(b3.proc.lines.some((l) => /recheck challenge \S+ \(calibration_/.test(l)), 'the broker logged its rechecks');
    } finally { cl.close(); }
  });
});
