// The job state machine, declared once. The store's SQL guards, the proto enum mapping, the CLI's
// state names and the client's terminal test are all derived from the tables below.
//
//   SUBMITTED → QUEUED → ASSIGNED → PROVING → VERIFYING → DONE
//                  ↑________|___________|__________|          (lease lapsed, prover error, wrong proof)
//   any live state → EXPIRED (deadline) | CANCELLED (client); QUEUED/leased/VERIFYING → FAILED (attempts exhausted)
//
// Every transition is one store call, one transaction: it moves the job, writes the ledger
// entries the move implies (money/escrow, stake, payouts, refunds, slashes) and appends one outbox
// event that WatchJob streams are fed from.
//
// A partitioned job (issue 11, partitions.ts) has no state machine of its own: each partition is a
// job row that moves through the table below; the job's state is derived from its partitions'
// (partitions.ts groupState). Its submit is N `submit` transitions and its cancel N `cancel`
// transitions, each group in one transaction.

/** The states in proto enum order (JOB_STATE_<name> = index + 1). */
export const JOB_STATES = ['SUBMITTED', 'QUEUED', 'ASSIGNED', 'PROVING', 'VERIFYING', 'DONE', 'FAILED', 'EXPIRED', 'CANCELLED'] as const;
export type JobStateName = typeof JOB_STATES[number];

export const TERMINAL_STATES: readonly JobStateName[] = ['DONE', 'FAILED', 'EXPIRED', 'CANCELLED'];
export const LIVE_STATES: readonly JobStateName[] = JOB_STATES.filter((s) => !TERMINAL_STATES.includes(s));
/** States in which a prover holds a lease (and its stake is locked). */
export const LEASED_STATES: readonly JobStateName[] = ['ASSIGNED', 'PROVING'];
export function isTerminal(s: JobStateName): boolean { return TERMINAL_STATES.includes(s); }
export function isLive(s: JobStateName): boolean { return LIVE_STATES.includes(s); }

export interface TransitionSpec {
  /** States the job may be in for the move to apply (the SQL guard). */
  from: readonly JobStateName[];
  /** States it may end in. */
  to: readonly JobStateName[];
  /** The current lease token must match (the prover's write is fenced by its lease). */
  leaseGuard: boolean;
  /** Outcome codes the store call returns. */
  outcomes: readonly string[];
  /** What money moves (documentation of the ledger entries this transition writes). */
  money: string;
}

export const TRANSITIONS = {
  submit: { from: [], to: ['SUBMITTED'], leaseGuard: false, outcomes: ['created', 'existing', 'conflict', 'insufficient_funds'],
    money: 'escrow hold: client available → escrow, the job\'s max price' },
  enqueue: { from: ['SUBMITTED'], to: ['QUEUED'], leaseGuard: false, outcomes: ['moved', 'not_found', 'wrong_state'], money: 'none' },
  claim: { from: ['QUEUED'], to: ['ASSIGNED'], leaseGuard: false, outcomes: ['claimed', 'not_found', 'not_queued', 'price_too_high', 'insufficient_stake'],
    money: 'stake lock: operator available → stake, proportional to the agreed price' },
  heartbeat: { from: LEASED_STATES, to: LEASED_STATES, leaseGuard: true, outcomes: ['ok', 'not_found', 'stale'], money: 'none' },
  progress: { from: LEASED_STATES, to: ['PROVING'], leaseGuard: true, outcomes: ['ok', 'not_found', 'stale'], money: 'none' },
  beginVerify: { from: LEASED_STATES, to: ['VERIFYING'], leaseGuard: true, outcomes: ['ok', 'not_found', 'stale'], money: 'none' },
  accept: { from: ['VERIFYING'], to: ['DONE'], leaseGuard: true, outcomes: ['ok', 'not_found', 'stale'],
    money: 'payout: escrow → prover earnings (price − fee), escrow → market fee, escrow → client (rest); stake unlocked' },
  reject: { from: ['VERIFYING'], to: ['QUEUED', 'FAILED'], leaseGuard: true, outcomes: ['requeued', 'failed', 'not_found', 'stale'],
    money: 'slash: stake → client (compensation share) and market (rest); refund of the escrow when FAILED' },
  setAside: { from: ['VERIFYING'], to: ['QUEUED', 'FAILED'], leaseGuard: true, outcomes: ['requeued', 'failed', 'not_found', 'stale'],
    money: 'stake unlocked (no slash: the failure may be the client\'s witness); refund of the escrow when FAILED' },
  failInput: { from: LIVE_STATES, to: ['FAILED'], leaseGuard: false, outcomes: ['failed', 'not_found', 'terminal'],
    money: 'refund of the escrow (the client\'s input is bad); a held stake is unlocked' },
  // A retryable give-back uses an attempt only on its operator's first give-back of the job (see giveBack below).
  release: { from: LEASED_STATES, to: ['QUEUED', 'FAILED'], leaseGuard: true, outcomes: ['requeued', 'failed', 'not_found', 'stale'],
    money: 'stake unlocked (the prover gave the job back); refund of the escrow when FAILED' },
  reclaim: { from: LEASED_STATES, to: ['QUEUED', 'FAILED'], leaseGuard: true, outcomes: ['requeued', 'failed'],
    money: 'slash for abandonment (lease lapsed): stake → client share and market; refund when FAILED' },
  expire: { from: LIVE_STATES, to: ['EXPIRED'], leaseGuard: false, outcomes: ['expired'],
    money: 'refund of the escrow; a held stake is unlocked' },
  cancel: { from: LIVE_STATES, to: ['CANCELLED'], leaseGuard: false, outcomes: ['cancelled', 'not_found', 'terminal'],
    money: 'refund of the escrow; a held stake is unlocked' },
} as const satisfies Record<string, TransitionSpec>;

export type TransitionName = keyof typeof TRANSITIONS;

/**
 * A retryable give-back (release) of `job` by a prover of operator `owner` (its account id; the
 * prover id when unknown): one operator can use up at most one attempt of a job this way. Its
 * first give-back uses the attempt (and may FAIL a job on its last attempt); a later one hands the
 * attempt back (`free`: attempts -= 1, the job is requeued, never FAILED), so an operator with
 * any number of daemons or prover keys cannot run a job out of attempts by answering "retry".
 * `givenBack`: the job's operators list after this give-back, one entry per give-back (routing
 * prefers the others, and passes over an operator with MAX_GIVE_BACKS entries).
 */
export function giveBack(job: { givenBack?: readonly string[]; proverId: string }, owner: string | undefined): { free: boolean; givenBack: string[] } {
  const who = owner || job.proverId;
  const before = job.givenBack ?? [];
  const free = before.includes(who);
  // One entry per give-back, up to MAX_GIVE_BACKS per operator: that many and the job is no longer
  // offered to the operator (match.ts eligibility), so it cannot bounce between an operator's
  // daemons for ever without using attempts; it waits for another operator (or its deadline).
  const times = before.filter((x) => x === who).length;
  return { free, givenBack: times < MAX_GIVE_BACKS ? [...before, who] : [...before] };
}

/** Give-backs of one job by one operator after which the job is no longer offered to it. */
export const MAX_GIVE_BACKS = 3;

/** How many times operator `who` gave `job` back (capped at MAX_GIVE_BACKS). */
export function givenBackTimes(job: { givenBack?: readonly string[] }, who: string): number {
  return (job.givenBack ?? []).filter((x) => x === who).length;
}

/** `('A','B')` for a SQL `state IN ...` guard. */
export function sqlStates(states: readonly JobStateName[]): string {
  return `(${states.map((s) => `'${s}'`).join(',')})`;
}
/**
 * A partitioned job's state in SQL, as partitions.ts groupState computes it from its partitions
 * (the `jobs` rows whose group_id is `groupIdExpr`): DONE when all are; once all have ended, FAILED,
 * EXPIRED or CANCELLED (the first present); else the furthest live state. Plain SQL (SQLite and
 * PostgreSQL); test/broker/partition-views.test.ts checks it against groupState on random partitions.
 */
export function sqlGroupState(groupIdExpr: string): string {
  const count = (states: readonly JobStateName[]) => `SUM(CASE WHEN p.state IN ${sqlStates(states)} THEN 1 ELSE 0 END)`;
  const ended = (['FAILED', 'EXPIRED', 'CANCELLED'] as const).map((s) => `WHEN ${count([s])} > 0 THEN '${s}'`).join(' ');
  const rank = `MAX(CASE p.state ${LIVE_STATES.map((s) => `WHEN '${s}' THEN ${JOB_STATES.indexOf(s)}`).join(' ')} END)`;
  const furthest = `CASE ${rank} ${LIVE_STATES.map((s) => `WHEN ${JOB_STATES.indexOf(s)} THEN '${s}'`).join(' ')} ELSE 'QUEUED' END`;
  return `(SELECT CASE WHEN COUNT(*) = 0 THEN 'SUBMITTED' WHEN ${count(['DONE'])} = COUNT(*) THEN 'DONE'
    WHEN ${count(TERMINAL_STATES)} = COUNT(*) THEN CASE ${ended} ELSE 'QUEUED' END
    ELSE ${furthest} END FROM jobs p WHERE p.group_id = ${groupIdExpr})`;
}
/** The SQL guard of a transition: `state IN (...)`. */
export function sqlGuard(t: TransitionName): string {
  return `state IN ${sqlStates(TRANSITIONS[t].from)}`;
}
export function canMove(t: TransitionName, from: JobStateName, to: JobStateName): boolean {
  const spec: TransitionSpec = TRANSITIONS[t];
  return spec.from.includes(from) && spec.to.includes(to);
}

// ---- names outside the broker ----

export type JobStateProto = `JOB_STATE_${JobStateName}`;
export function stateToProto(s: JobStateName): JobStateProto { return `JOB_STATE_${s}`; }

/** Accepts 'JOB_STATE_QUEUED', 'QUEUED', 'queued' or the enum number; null for unspecified/unknown. */
export function stateFromAny(s: string | number | null | undefined): JobStateName | null {
  if (typeof s === 'number') return JOB_STATES[s - 1] ?? null;
  if (!s) return null;
  const t = String(s).toUpperCase().replace(/^JOB_STATE_/, '');
  return (JOB_STATES as readonly string[]).includes(t) ? t as JobStateName : null;
}

/** The name the CLI shows: 'DONE', 'QUEUED' ... */
export function stateForCli(s: string): string { return s.replace(/^JOB_STATE_/, ''); }

export const TERMINAL_PROTO: readonly JobStateProto[] = TERMINAL_STATES.map(stateToProto);
