// The Accounts service: accounts and API keys (admin), deposits and withdrawals (admin), balances and ledger
// (own account; admins any). Amounts are decimal strings of micro-credits.
import type { AccountsHandlers, Balance } from '../../src/common/proto';
import type { Caller } from '../auth/caller';
import { permissionDenied } from '../auth/caller';
import { createAccountWithKey, issueApiKey } from '../auth/keys';
import type { Broker } from '../broker';
import { alreadyExists, invalid, notFound, precondition } from '../errors';
import { AmountOverflowError, MAX_DEPOSIT, MINT_ID, WITHDRAWABLE, parseAmount } from '../money';
import { groupLedger } from '../partitions';
import type { AccountRecord, Book, Role } from '../store/types';
import { ROLES } from '../store/types';
import { ADMIN_ROLES, ANY_ROLE, boundedField, unary } from './common';

const NAME_RE = /^[A-Za-z0-9_.-]{1,64}$/;
/** A Withdraw's request id: the caller's payout reference. */
const REQUEST_ID_RE = /^[A-Za-z0-9_.:-]{1,128}$/;
/**
 * The longest note a Deposit or Withdraw takes, characters (control characters removed first). The
 * note is part of the ledger entry's explanation, in every ListLedger answer and dashboard refresh
 * of the account, so it must stay small: ten notes of 10 MB made each of those exceed a gRPC message.
 */
export const NOTE_CHARS = 500;

/** A Deposit's or Withdraw's note as the ledger stores it (see NOTE_CHARS); INVALID_ARGUMENT when too long. */
function ledgerNote(note: string): string {
  return boundedField(note, NOTE_CHARS, 'note', ': nothing moved; put the details elsewhere and a reference to them in the note');
}

export async function balanceOf(b: Broker, a: AccountRecord): Promise<Balance> {
  const bal = await b.store.balances(a.id);
  return {
    account: a.name, role: a.role, available: String(bal.available), escrow: String(bal.escrow), stake: String(bal.stake),
    earnings: String(bal.earnings), fees: String(bal.fees),
  };
}

/** The named account (or the caller's own when empty); others' only for admins. */
async function target(b: Broker, name: string, caller: Caller, rpc: string): Promise<AccountRecord> {
  if (!name || name === caller.name || name === caller.accountId) {
    const a = await b.store.getAccount(caller.accountId);
    if (!a) throw notFound(`account ${caller.accountId} no longer exists`);
    return a;
  }
  if (caller.role !== 'admin') {
    throw permissionDenied(`${rpc}: only an admin may ${rpc === 'CreateKey' ? 'make API keys for' : 'read'} another account ("${name}")`);
  }
  const a = await b.store.getAccount(name);
  if (!a) throw notFound(`unknown account "${name}"`);
  return a;
}

export function accountsService(b: Broker): AccountsHandlers {
  return {
    CreateAccount: unary(b, 'CreateAccount', ADMIN_ROLES, async (req) => {
      if (!NAME_RE.test(req.name)) throw invalid(`account name "${req.name}" is invalid: use 1-64 of [A-Za-z0-9_.-]`);
      if (!(ROLES as readonly string[]).includes(req.role)) throw invalid(`role "${req.role}" is not one of ${ROLES.join(', ')}`);
      const r = await createAccountWithKey(b.store, req.name, req.role as Role);
      if (r.outcome !== 'created' || !r.apiKey) throw alreadyExists(`account name "${req.name}" is taken (id ${r.account.id})`);
      b.log.info(`account created: ${r.account.name} (${r.account.role}, ${r.account.id})`);
      return {
        account: { id: r.account.id, name: r.account.name, role: r.account.role, createdMs: String(r.account.createdMs) },
        apiKey: r.apiKey, keyId: r.keyId,
      };
    }),
    ListAccounts: unary(b, 'ListAccounts', ADMIN_ROLES, async () => ({
      accounts: (await b.store.listAccounts()).map((a) => ({ id: a.id, name: a.name, role: a.role, createdMs: String(a.createdMs) })),
    })),
    RevokeKey: unary(b, 'RevokeKey', ANY_ROLE, async (req, caller) => {
      if (caller.role !== 'admin') {
        // Non-admins may revoke only their own keys; do not reveal others'.
        const mine = (await b.store.listApiKeys(caller.accountId)).some((k) => k.id === req.keyId);
        if (!mine) throw notFound(`unknown API key "${req.keyId}"`);
      }
      if ((await b.store.revokeApiKey(req.keyId, Date.now())) !== 'revoked') throw notFound(`unknown or already revoked API key "${req.keyId}"`);
      b.auth.flush();
      return {};
    }),
    CreateKey: unary(b, 'CreateKey', ANY_ROLE, async (req, caller) => {
      const a = await target(b, req.account, caller, 'CreateKey');
      if (a.role === 'system') throw notFound(`unknown account "${req.account}"`);
      const k = await issueApiKey(b.store, a.id);
      b.log.info(`API key ${k.keyId} issued for ${a.name} by ${caller.name}`);
      return { account: { id: a.id, name: a.name, role: a.role, createdMs: String(a.createdMs) }, apiKey: k.apiKey, keyId: k.keyId };
    }),
    WhoAmI: unary(b, 'WhoAmI', ANY_ROLE, async (_req, caller) => {
      const a = await b.store.getAccount(caller.accountId);
      return { id: caller.accountId, name: caller.name, role: caller.role, createdMs: String(a?.createdMs ?? 0) };
    }),
    Deposit: unary(b, 'Deposit', ADMIN_ROLES, async (req, caller) => {
      const a = await b.store.getAccount(req.account);
      if (!a || a.role === 'system') throw notFound(`unknown account "${req.account}" (list them with proofmarket account list)`);
      let amount: bigint;
      try { amount = parseAmount(req.amount, 'amount'); } catch (e) { throw invalid((e as Error).message); }
      if (amount === 0n) throw invalid('amount must be a positive number of micro-credits');
      if (amount > MAX_DEPOSIT) {
        throw invalid(`amount ${amount} is above the largest single deposit, ${MAX_DEPOSIT} micro-credits (one that large is more likely a typing mistake than money): nothing moved; split a larger sum into several deposits`);
      }
      const note = ledgerNote(req.note);
      let r: { txId: string };
      try {
        r = await b.store.deposit(a.id, amount, `by ${caller.name}${note ? `: ${note}` : ''}`, Date.now());
      } catch (e) {
        if (e instanceof AmountOverflowError) throw precondition(`deposit refused, nothing moved: ${e.message}`);
        throw e;
      }
      b.log.info(`deposit of ${amount} to ${a.name} by ${caller.name} (tx ${r.txId})`);
      b.dispatch(); // a prover operator's deposit is stake: queued jobs may now fit
      return { txId: r.txId, balance: await balanceOf(b, a) };
    }),
    Withdraw: unary(b, 'Withdraw', ADMIN_ROLES, async (req, caller) => {
      const a = await b.store.getAccount(req.account);
      if (!a || a.id === MINT_ID) throw notFound(`unknown account "${req.account}" (list them with proofmarket account list${a ? '; the mint pays nothing out' : ''})`);
      let amount: bigint;
      try { amount = parseAmount(req.amount, 'amount'); } catch (e) { throw invalid((e as Error).message); }
      if (amount === 0n) throw invalid('amount must be a positive number of micro-credits');
      const books = WITHDRAWABLE[a.role] ?? [];
      const book = (req.book || (books.includes('available') ? 'available' : books[0] ?? 'available')) as Book;
      if (!books.includes(book)) {
        throw invalid(`a ${a.role} account's "${req.book}" book cannot be paid out; ${a.name} can be paid out of ${books.map((x) => `"${x}"`).join(' or ')} (escrow and locked stake belong to live jobs)`);
      }
      if (!REQUEST_ID_RE.test(req.requestId)) {
        throw invalid(`request_id must be 1-128 characters of A-Z a-z 0-9 _ . : - (your payout reference; a retry with the same id pays nothing twice), got "${req.requestId.slice(0, 140)}"`);
      }
      const note = ledgerNote(req.note);
      const r = await b.store.withdraw(a.id, book, amount, req.requestId, `by ${caller.name}${note ? `: ${note}` : ''}`, Date.now());
      if (r.outcome === 'insufficient') {
        throw precondition(`${a.name}'s ${book} holds ${r.held} micro-credits, less than the ${amount} asked: nothing moved`);
      }
      if (r.outcome === 'conflict') {
        throw invalid(`request_id "${req.requestId}" was already used for another withdrawal (tx ${r.txId}: another account, book or amount): nothing moved; use a new request_id`);
      }
      if (r.outcome === 'withdrawn') b.log.info(`withdrawal of ${amount} from ${a.name}'s ${book} by ${caller.name} (request ${req.requestId}, tx ${r.txId})`);
      return { txId: r.txId, balance: await balanceOf(b, a), repeat: r.outcome === 'repeat' };
    }),
    GetBalance: unary(b, 'GetBalance', ANY_ROLE, async (req, caller) => balanceOf(b, await target(b, req.account, caller, 'GetBalance'))),
    ListLedger: unary(b, 'ListLedger', ANY_ROLE, async (req, caller) => {
      let accountId: string | undefined;
      if (caller.role === 'admin') {
        if (req.account) accountId = (await target(b, req.account, caller, 'ListLedger')).id;
      } else {
        accountId = (await target(b, req.account, caller, 'ListLedger')).id;
      }
      if (req.limit > 10_000) throw invalid(`limit ${req.limit} is above the maximum of 10000`);
      // A partitioned job's ledger is its partitions' (each escrow hold, payout, slash and refund is per partition).
      const group = req.jobId ? await b.store.getGroup(req.jobId) : null;
      const entries = group ? await groupLedger(b.store, group.id, accountId, req.limit || 1000)
        : await b.store.ledger({ jobId: req.jobId || undefined, accountId, limit: req.limit || 1000 });
      return {
        entries: entries.map((e) => ({
          txId: e.txId, account: e.account, book: e.book, amount: e.amount, reason: e.reason, jobId: e.jobId, proverId: e.proverId,
          explanation: e.explanation, createdMs: String(e.createdMs),
        })),
      };
    }),
  };
}
