// SubmitJob timing for pm_submit_rpc_seconds. Kept apart from ./index.ts so that a broker without
// --http never loads prom-client (it costs ~0.1 s at start).
import type { MarketHandlers } from '../../src/common/proto';
import type { RunningOps } from './index';

/** Times SubmitJob into pm_submit_rpc_seconds once the HTTP side runs (no cost without it). */
export function instrumentMarket(h: MarketHandlers, ops: () => RunningOps | null): MarketHandlers {
  const submit = h.SubmitJob;
  return {
    ...h,
    SubmitJob: (call, cb) => {
      const o = ops();
      if (!o) { submit(call, cb); return; }
      const end = o.metrics.submitRpc.startTimer();
      submit(call, (err, res) => { end(); cb(err, res); });
    },
  };
}
