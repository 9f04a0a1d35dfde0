// What the dashboard shows, for one authenticated caller. Tenant data (jobs, circuits, balance,
// ledger) goes through the same store queries and the same scoping as the Market and Accounts
// services: the caller's own jobs (ListJobs), its own and public circuits (ListCircuits), its own
// balance (GetBalance) and ledger (ListLedger). Provers and the market-wide rates are shared
// market information (what any client sees when choosing a price), not another tenant's data.
import type { Caller } from '../auth/caller';
import type { Broker } from '../broker';
import { balanceOf } from '../services/accounts';
import { CLIENT_ROLES } from '../services/common';
import type { MarketMetrics } from './metrics';
import { groupViewOf } from '../partitions';

const short = (s: unknown): string => String(s ?? '').replace(/^JOB_STATE_/, '');

function quantile(xs: number[], q: number): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

export async function overview(b: Broker, m: MarketMetrics, caller: Caller) {
  const st = b.store;
  const account = await st.getAccount(caller.accountId);
  const client = CLIENT_ROLES.includes(caller.role);
  // A partitioned job is one row (its partitions are its units, listed under it), as in ListJobs
  // (the same one query: the newest 50 entries).
  const views = client ? await st.listJobViews({ ownerAccountId: caller.accountId, limit: 50 }) : [];
  const jobs = views.flatMap((v) => (v.job ? [v.job] : []));
  const groupViews = await Promise.all(views.flatMap((v) => (v.group ? [groupViewOf(b, v.group, v.partitions)] : [])));
  const circuits = await st.listCircuits(caller.accountId);
  const names = new Map(circuits.map((c) => [c.id, c.name]));
  const ledger = await st.ledger({ accountId: caller.accountId, limit: 30 });
  const now = Date.now();
  const provers = await Promise.all(b.sessions.all().filter((s) => !s.closed).map(async (s) => {
    const rec = await st.getProver(s.proverId);
    const speed = m.proverSpeed.get(s.proverId);
    const bench = s.caps.bench.map((x) => ({ curve: x.curve, backend: x.backend, log2Constraints: x.log2Constraints, proveMs: x.proveMs }));
    return {
      id: s.proverId, name: s.name, state: s.active.size >= Math.max(1, s.caps.slots) ? 'busy' : s.active.size ? 'working' : 'idle',
      slots: s.caps.slots, active: s.active.size, price: s.caps.price, pricePerMConstraints: s.caps.pricePerMConstraints,
      reputation: rec?.reputation ?? s.reputation, accepted: rec?.accepted ?? 0, rejected: rec?.rejected ?? 0,
      curves: s.caps.curves, backends: s.caps.backends,
      measuredProveMs: speed ? Math.round(speed.proveMsSum / speed.proofs) : null, bench,
    };
  }));
  // Charts: the last 120 seconds of market activity, per second.
  const nowS = Math.floor(now / 1000);
  const bySecond = new Map(m.seconds.map((s) => [s.t, s]));
  const series = [];
  for (let t = nowS - 120; t < nowS; t++) {
    const s = bySecond.get(t);
    series.push({ t, submitted: s?.submitted ?? 0, done: s?.done ?? 0, assignP50Ms: quantile(s?.assignMs ?? [], 0.5), doneP50Ms: quantile(s?.totalMs ?? [], 0.5) });
  }
  return {
    nowMs: now,
    account: { id: caller.accountId, name: caller.name, role: caller.role, createdMs: account?.createdMs ?? 0 },
    balance: account ? await balanceOf(b, account) : null,
    ledger: ledger.map((e) => ({ txId: e.txId, book: e.book, amount: e.amount, reason: e.reason, jobId: e.jobId, explanation: e.explanation, createdMs: e.createdMs })),
    jobs: [
      ...jobs.map((j) => ({
        id: j.id, circuit: names.get(j.circuitId) ?? j.circuitId, state: j.state, progress: j.progress, stage: j.stage,
        attempts: j.attempts, maxAttempts: j.maxAttempts, proverId: j.proverId, price: j.price, maxPrice: j.maxPrice,
        proveMs: j.state === 'DONE' ? j.proveMs : 0, error: j.error, createdMs: j.createdMs, updatedMs: j.updatedMs, partitions: null,
      })),
      // Partitioned jobs: k of N verified, and each partition's state and prover.
      ...groupViews.map((v) => ({
        id: v.id, circuit: names.get(v.circuitId!) ?? v.circuitId, state: short(v.state), progress: v.progress, stage: '',
        attempts: v.attempts, maxAttempts: v.maxAttempts, proverId: v.proverId, price: v.price, maxPrice: v.maxPrice,
        proveMs: Number(v.proveMs), error: v.error, createdMs: Number(v.createdMs), updatedMs: Number(v.updatedMs),
        partitions: (v.partitions ?? []).map((p) => ({ index: p.index, state: short(p.state), proverId: p.proverId, attempts: p.attempts, progress: p.progress })),
      })),
    ].sort((x, y) => y.createdMs - x.createdMs).slice(0, 50),
    circuits: circuits.map((c) => ({
      id: c.id, name: c.name, curve: c.curve, constraints: c.constraints, nPublic: c.nPublic, public: c.public, insecure: c.insecure,
      mine: c.ownerAccountId === caller.accountId,
    })),
    provers,
    market: {
      submittedPerS: m.rate('submitted', 10), donePerS: m.rate('done', 10), verifiedPerS: m.rate('verified', 10), series,
    },
  };
}
