// PM_SUBMIT_TRACE=FILE (diagnostics for bench:market, off by default): per-job timestamps on the
// submit path (ms on the system's monotonic clock, CLOCK_MONOTONIC as process.hrtime reads it, so
// comparable across processes on one host: monoOffset() + performance.now()), each group commit's start, duration and batch size, GC pauses and the
// event loop's stalls, written as JSON to FILE when the process exits. Costs nothing when unset.
import * as fs from 'fs';
import { performance, PerformanceObserver } from 'perf_hooks';

const FILE = process.env.PM_SUBMIT_TRACE || '';
/** Whether tracing is on (PM_SUBMIT_TRACE names a file). */
export const tracing = FILE !== '';
/** What to add to performance.now() for the system's monotonic clock in ms (performance.timeOrigin drifts apart between processes). */
export const monoOffset = (): number => Number(process.hrtime.bigint()) / 1e6 - performance.now();
const OFFSET = monoOffset();
/** Now on the system's monotonic clock in ms, sub-ms precision. */
export const stamp = (): number => OFFSET + performance.now();

const jobs = new Map<string, Record<string, number>>();
const flushes: number[][] = [];
const gcs: number[][] = [];
const arrivals = new WeakMap<object, number>();

/** A job's event (arrive, committed, claim, claimed, sent) at `at` (default now). */
export function traceJob(id: string, ev: string, at = stamp()): void {
  if (!tracing) return;
  start();
  let r = jobs.get(id);
  if (!r) { r = {}; jobs.set(id, r); }
  if (!(ev in r)) r[ev] = at;
}
/** Remembers when a request object arrived (the unary handler's entry). */
export function traceArrival(req: object): void { if (tracing) { start(); arrivals.set(req, stamp()); } }
export function arrivalOf(req: object): number | undefined { return arrivals.get(req); }
/** One group commit: start, ms, transactions in it, ms of it its BEGIN waited for the write lock. */
export function traceFlush(at: number, ms: number, n: number, lockMs: number): void { if (tracing) { start(); flushes.push([at, +ms.toFixed(3), n, +lockMs.toFixed(3)]); } }

/**
 * The event loop's stalls: a 1 ms timer chain that records [when the stall began, ms late] for
 * each tick over 2 ms late (the time the loop was busy or the process was not scheduled), and
 * the process's CPU ms meanwhile (all its threads: busy vs not scheduled).
 */
export function lagProbe(): { stalls: number[][]; stop(): void } {
  const stalls: number[][] = [];
  let due = stamp() + 1; let t: NodeJS.Timeout; let cpu = process.cpuUsage();
  const tick = () => {
    const now = stamp(); const late = now - due;
    const c = process.cpuUsage(); const cpuMs = (c.user - cpu.user + c.system - cpu.system) / 1000;
    if (late > 2) stalls.push([due, +late.toFixed(2), +cpuMs.toFixed(2)]);
    due = now + 1; cpu = c; t = setTimeout(tick, 1); t.unref();
  };
  t = setTimeout(tick, 1); t.unref();
  return { stalls, stop: () => clearTimeout(t) };
}

let started = false;
/** The GC observer, loop-delay monitor and exit hook, from the first traced event on (not in a process that only reads the clock). */
function start(): void {
  if (started) return;
  started = true;
  const probe = lagProbe();
  const obs = new PerformanceObserver((l) => { for (const e of l.getEntries()) gcs.push([OFFSET + e.startTime, +e.duration.toFixed(3), ((e as unknown as { detail?: { kind?: number } }).detail?.kind ?? 0)]); });
  obs.observe({ entryTypes: ['gc'] });
  process.on('exit', () => {
    fs.writeFileSync(FILE, JSON.stringify({ jobs: Object.fromEntries(jobs), flushes, gcs, stalls: probe.stalls }));
  });
}
