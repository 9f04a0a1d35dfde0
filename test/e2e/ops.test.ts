// The broker's HTTP port: Prometheus /metrics scraped over real HTTP before and after a job runs,
// and the dashboard driven in headless Chromium (playwright-core, Debian's /usr/bin/chromium):
// the page shows a job that was just submitted move from QUEUED to DONE, only the signed-in
// tenant's jobs are visible, and the key never appears in a URL. A screenshot of the run is
// kept in .ci/logs/dashboard.png (git-ignored).

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { AccountsClient } from '../../src/client/accounts';
import { MarketClient } from '../../src/client/market';
import { circuitsByCurve, freshInput, seededRandom, type ExampleCircuit } from '../helpers/circuits';
import { adminOf, registerExample } from '../helpers/market';
import { BrokerProc, ROOT, sleep, startBrokerProc, startProverProc } from '../helpers/procs';
import { liveProcessHooks } from '../helpers/hooks';

const CHROMIUM = process.env.PM_CHROMIUM ?? '/usr/bin/chromium';

async function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  const r = await fetch(url, { headers });
  return { status: r.status, body: await r.text() };
}

/** Value of one sample line of the Prometheus exposition (0 when absent). */
function sample(text: string, name: string, labels = ''): number {
  const want = labels ? `${name}{${labels}}` : name;
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const i = line.lastIndexOf(' ');
    if (line.slice(0, i) === want) return Number(line.slice(i + 1));
  }
  return 0;
}

describe('e2e: metrics and dashboard on the broker\'s HTTP port', function () {
  this.timeout(240_000);
  let broker: BrokerProc;
  let http: string;
  let admin: AccountsClient;
  let alice: MarketClient;
  let bob: MarketClient;
  let bobKey: string;
  let circuit: ExampleCircuit;
  let prover: Awaited<ReturnType<typeof startProverProc>>;
  const rnd = seededRandom('ops-dashboard');

  before(async () => {
    circuit = circuitsByCurve().bn254;
    broker = await startBrokerProc({ leaseMs: 5000, heartbeatMs: 500, extraArgs: ['--http', '127.0.0.1:0'] });
    http = (await broker.proc.waitFor(/metrics on http:\/\/(\S+)\/metrics/, 30_000))[1];
    admin = adminOf(broker);
    await admin.deposit('local-client', 10_000n, 'test funds');
    await admin.deposit('local-prover', 10_000n, 'stake');
    bobKey = (await admin.createAccount('bob', 'client')).apiKey;
    await admin.deposit('bob', 10_000n, 'test funds');
    alice = new MarketClient(broker.address, { apiKey: broker.keys.client });
    bob = new MarketClient(broker.address, { apiKey: bobKey });
    await registerExample(alice, circuit);
    await registerExample(bob, circuit);
  });

  liveProcessHooks({ close: () => { alice?.close(); bob?.close(); admin?.close(); } });

  it('/metrics moves when a job runs; /api refuses missing keys and keys in the URL', async () => {
    const before = await get(`http://${http}/metrics`);
    assert.strictEqual(before.status, 200);
    for (const n of ['pm_jobs', 'pm_queue_depth', 'pm_submit_to_assign_seconds', 'pm_prove_seconds', 'pm_verify_seconds',
      'pm_verifications_per_second', 'pm_provers_connected', 'pm_prover_slots', 'pm_ledger_balance_microcredits', 'pm_ledger_sum_microcredits']) {
      assert.match(before.body, new RegExp(`^# TYPE ${n} `, 'm'), `metric ${n} is exposed`);
    }
    // The README's metric table and /metrics name the same metrics (prom-client's process and
    // Node.js defaults aside): nothing documented is missing, nothing exposed is undocumented.
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const documented = new Set([...readme.matchAll(/^\| `(pm_[a-z0-9_]+)/gm)].map((m) => m[1]));
    const exposed = new Set([...before.body.matchAll(/^# TYPE (pm_[a-z0-9_]+) /gm)].map((m) => m[1])
      .filter((n) => !/^pm_(process_|nodejs_)/.test(n)));
    assert.ok(documented.size >= 20, `the README's metric table was found (${documented.size} names)`);
    assert.deepStrictEqual([...documented].filter((n) => !exposed.has(n)), [], 'documented in the README but not exposed');
    assert.deepStrictEqual([...exposed].filter((n) => !documented.has(n)), [], 'exposed but not documented in the README');
    assert.strictEqual(sample(before.body, 'pm_provers_connected'), 0);

    const job = await alice.submit({ circuit: circuit.name, input: JSON.stringify(freshInput(circuit, rnd.next)), maxPrice: 100 });
    // Queued with no prover: depth 1 (read from the store at scrape time).
    let mid = '';
    for (let i = 0; i < 50 && sample(mid, 'pm_queue_depth') < 1; i++) { mid = (await get(`http://${http}/metrics`)).body; await sleep(100); }
    assert.strictEqual(sample(mid, 'pm_queue_depth'), 1, 'the queued job shows in pm_queue_depth');

    prover = await startProverProc(broker, { name: 'prover-ops', price: 10 });
    const done = await alice.waitDone(job.id, 150_000);
    assert.strictEqual(done.state, 'JOB_STATE_DONE', `${done.state} ${done.error}`);
    let after = '';
    for (let i = 0; i < 50; i++) {
      after = (await get(`http://${http}/metrics`)).body;
      if (sample(after, 'pm_verifications_total', 'verdict="accepted"') >= 1) break;
      await sleep(100);
    }
    console.log(`      seed ${rnd.seed}; after one job:\n${after.split('\n').filter((l) => /^pm_(jobs|queue|verifications|provers|prover_slots|ledger|submit_to_assign_seconds_(count|sum)|prove_seconds_count|verify_seconds_count|submit_rpc_seconds_count)/.test(l)).map((l) => '        ' + l).join('\n')}`);
    assert.strictEqual(sample(after, 'pm_jobs', 'state="DONE"'), sample(before.body, 'pm_jobs', 'state="DONE"') + 1);
    assert.strictEqual(sample(after, 'pm_queue_depth'), 0);
    assert.strictEqual(sample(after, 'pm_verifications_total', 'verdict="accepted"'), 1);
    assert.strictEqual(sample(after, 'pm_submit_to_assign_seconds_count'), 1);
    assert.ok(sample(after, 'pm_submit_to_assign_seconds_sum') > 0, 'the job waited for a prover: a positive submit → assignment time');
    assert.strictEqual(sample(after, 'pm_prove_seconds_count'), 1);
    assert.strictEqual(sample(after, 'pm_verify_seconds_count'), 1);
    assert.strictEqual(sample(after, 'pm_submit_rpc_seconds_count'), 1);
    assert.strictEqual(sample(after, 'pm_provers_connected'), 1);
    assert.ok(sample(after, 'pm_prover_slots', 'state="total"') >= 1);
    assert.strictEqual(sample(after, 'pm_ledger_sum_microcredits'), 0, 'the books sum to zero');
    assert.strictEqual(sample(after, 'pm_ledger_balance_microcredits', 'book="issued"'), -30_000, 'three deposits of 10,000 were issued');
    assert.strictEqual(sample(after, 'pm_ledger_balance_microcredits', 'book="escrow"'), 0);
    assert.ok(sample(after, 'pm_ledger_balance_microcredits', 'book="earnings"') > 0, 'the prover earned');

    const none = await get(`http://${http}/api/overview`);
    assert.strictEqual(none.status, 401);
    assert.match(JSON.parse(none.body).error, /dashboard: no API key: send the HTTP header "Authorization: Bearer <key>"$/);
    const basic = await get(`http://${http}/api/overview`, { authorization: 'Basic YWxpY2U6aHVudGVyMg==' });
    assert.strictEqual(basic.status, 401);
    assert.match(JSON.parse(basic.body).error, /not "Bearer <key>" \(Basic and other schemes are not accepted\)/);
    assert.ok(!basic.body.includes('YWxpY2U6aHVudGVyMg'), 'the credentials are not echoed');
    assert.strictEqual((await get(`http://${http}/api/overview`, { authorization: 'Bearer not-a-key' })).status, 401);
    assert.strictEqual((await get(`http://${http}/api/overview?key=${broker.keys.client}`)).status, 400);
    const mine = JSON.parse((await get(`http://${http}/api/overview`, { authorization: `Bearer ${broker.keys.client}` })).body);
    assert.deepStrictEqual(mine.jobs.map((j: { id: string }) => j.id), [job.id]);
  });

  it('headless Chromium: a new job moves to DONE on the page; the other tenant\'s jobs are not shown', async function () {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (.ci/run installs it)`);
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    try {
      const bobJob = await bob.submit({ circuit: circuit.name, input: JSON.stringify(freshInput(circuit, rnd.next)), maxPrice: 100 });
      const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      const urls: string[] = [];
      page.on('request', (r) => urls.push(r.url()));
      await page.goto(`http://${http}/#key=${encodeURIComponent(broker.keys.client)}`);
      await page.waitForSelector('body[data-ready="1"]', { timeout: 30_000 });
      assert.ok(!page.url().includes(broker.keys.client), 'the key is taken out of the address bar');
      assert.strictEqual(await page.textContent('#who'), 'local-client');

      // The prover is paused (SIGSTOP) while the job is submitted, so the page must show it live
      // before DONE; it resumes once the page lists the job (well inside its 5 s lease).
      prover.proc.child.kill('SIGSTOP');
      const job = await alice.submit({ circuit: circuit.name, input: JSON.stringify(freshInput(circuit, rnd.next)), maxPrice: 100 });
      const row = `tr[data-job="${job.id}"]`;
      const seen = new Set<string>();
      try {
        await page.waitForSelector(row, { timeout: 30_000 });
        seen.add((await page.getAttribute(row, 'data-state'))!);
      } finally { prover.proc.child.kill('SIGCONT'); }
      const until = Date.now() + 150_000;
      while (Date.now() < until) {
        const s = await page.getAttribute(row, 'data-state');
        if (s) seen.add(s);
        if (s === 'DONE') break;
        await sleep(100);
      }
      assert.ok(seen.has('DONE'), `the page showed the job reach DONE (saw ${[...seen].join(', ')})`);
      assert.ok([...seen].some((s) => s !== 'DONE'), `the page showed the job live before DONE (saw ${[...seen].join(', ')})`);
      const text = await page.textContent('body');
      assert.ok(!text!.includes(bobJob.id), 'bob\'s job is not on local-client\'s page');
      assert.ok((await page.$$('#provers tbody tr')).length >= 1 && text!.includes('prover-ops'), 'the connected prover is listed');
      assert.ok(text!.includes('escrow_hold') || text!.includes('payout') || text!.includes('deposit'), 'the ledger is shown');
      await sleep(1500); // one more refresh so the charts hold the finished job
      const shot = path.join(ROOT, '.ci', 'logs', 'dashboard.png');
      fs.mkdirSync(path.dirname(shot), { recursive: true });
      await page.screenshot({ path: shot, fullPage: true });
      console.log(`      states seen on the page: ${[...seen].join(' → ')}; screenshot ${shot}`);

      // The login form, as bob: his job, none of local-client's.
      const page2 = await browser.newPage();
      page2.on('request', (r) => urls.push(r.url()));
      await page2.goto(`http://${http}/`);
      await page2.waitForSelector('#login:not([hidden])');
      await page2.fill('#key', bobKey);
      await page2.click('#login button');
      await page2.waitForSelector(`tr[data-job="${bobJob.id}"]`, { timeout: 30_000 });
      const text2 = await page2.textContent('body');
      assert.strictEqual(await page2.textContent('#who'), 'bob');
      assert.ok(!text2!.includes(job.id), 'local-client\'s job is not on bob\'s page');
      for (const u of urls) {
        const sent = new URL(u).pathname + new URL(u).search; // the fragment never leaves the browser
        assert.ok(!sent.includes(broker.keys.client) && !sent.includes(bobKey), `no key in a requested URL: ${u}`);
        assert.ok(u.startsWith(`http://${http}/`), `the page loads nothing from elsewhere: ${u}`);
      }
    } finally {
      await browser.close();
    }
  });
});
