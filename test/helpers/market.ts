// Client-side helpers for e2e tests: register an example circuit, wait for a job state.

import * as assert from 'assert';
import { AccountsClient, type Balance } from '../../src/client/accounts';
import type { MarketClient } from '../../src/client/market';
import type { Circuit__Output, Job__Output } from '../../src/common';
import type { ExampleCircuit } from './circuits';
import { sleep } from './procs';

export function registerExample(client: MarketClient, c: ExampleCircuit): Promise<Circuit__Output> {
  return client.registerCircuit({
    name: c.name, wasm: c.wasm, zkey: c.zkey, vkey: c.vkey, r1cs: c.r1cs ?? undefined, sym: c.sym ?? undefined, description: `example (${c.curve})`,
  });
}

/** Polls the job until `pred` holds; fails after `timeoutMs` with the last snapshot. */
export async function waitForJob(client: MarketClient, id: string, pred: (j: Job__Output) => boolean,
  what: string, timeoutMs = 60_000): Promise<Job__Output> {
  const until = Date.now() + timeoutMs;
  let last: Job__Output | null = null;
  while (Date.now() < until) {
    last = await client.getJob(id);
    if (pred(last)) return last;
    await sleep(100);
  }
  throw new Error(`job ${id}: not ${what} within ${timeoutMs} ms (last: ${last?.state} attempts ${last?.attempts} prover ${last?.proverId})`);
}

// ---- money ----

/** An admin Accounts client of a broker started by startBrokerProc. */
export function adminOf(broker: { address: string; keys: { admin: string } }): AccountsClient {
  return new AccountsClient(broker.address, { apiKey: broker.keys.admin });
}

/** Creates a prover operator account with `stake` micro-credits deposited; returns its API key. */
export async function newOperator(admin: AccountsClient, name: string, stake: bigint): Promise<string> {
  const r = await admin.createAccount(name, 'prover');
  if (stake > 0n) await admin.deposit(name, stake, 'stake');
  return r.apiKey;
}

/**
 * The money invariants once every job is terminal: each ledger transaction sums to zero; no
 * balance is negative; nothing is left in escrow or locked as stake; every account's books add
 * up to what was deposited; each job was paid exactly once if DONE (never otherwise) and refunded
 * exactly once if it ended another way with a hold. Returns the balances by account name.
 */
export async function checkMoney(admin: AccountsClient, jobs: Job__Output[], deposited: bigint): Promise<Record<string, Balance>> {
  const entries = await admin.ledger({ limit: 10_000 });
  const perTx = new Map<string, bigint>();
  for (const e of entries) perTx.set(e.txId, (perTx.get(e.txId) ?? 0n) + BigInt(e.amount));
  for (const [tx, sum] of perTx) assert.strictEqual(sum, 0n, `ledger transaction ${tx} sums to ${sum}`);
  const names = [...(await admin.listAccounts()).map((a) => a.name), 'market'];
  const out: Record<string, Balance> = {};
  let total = 0n;
  for (const n of names) {
    const b = await admin.balance(n);
    out[n] = b;
    for (const k of ['available', 'escrow', 'stake', 'earnings', 'fees'] as const) {
      assert.ok(BigInt(b[k]) >= 0n, `${n}.${k} is negative: ${b[k]}`);
      total += BigInt(b[k]);
    }
    assert.strictEqual(b.escrow, '0', `${n}: escrow left after every job ended`);
    assert.strictEqual(b.stake, '0', `${n}: stake still locked after every job ended`);
  }
  assert.strictEqual(total, deposited, 'the books add up to what was deposited');
  for (const j of jobs) {
    const txs = (kind: string) => new Set(entries.filter((e) => e.jobId === j.id && e.reason === kind).map((e) => e.txId)).size;
    if (j.state === 'JOB_STATE_DONE') {
      assert.strictEqual(txs('payout'), BigInt(j.maxPrice) > 0n ? 1 : 0, `job ${j.id} DONE: settled exactly once`);
    }
    else assert.strictEqual(txs('payout'), 0, `job ${j.id} ${j.state} was paid`);
    if (j.state !== 'JOB_STATE_DONE' && BigInt(j.maxPrice) > 0n) assert.strictEqual(txs('refund'), 1, `job ${j.id} ${j.state}: refunded once`);
  }
  return out;
}

/** How many times, and for how much in total, an operator's stake was slashed. */
export async function slashesOf(admin: AccountsClient, operator: string): Promise<{ count: number; total: bigint }> {
  const legs = (await admin.ledger({ account: operator, limit: 10_000 })).filter((e) => e.book === 'stake' && e.reason === 'slash_compensation');
  return { count: legs.length, total: legs.reduce((a, e) => a - BigInt(e.amount), 0n) };
}
