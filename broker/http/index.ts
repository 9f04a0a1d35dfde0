// The broker's HTTP side: Prometheus metrics and the dashboard on one port (see server.ts).
import type { Broker } from '../broker';
import { MarketMetrics } from './metrics';
import { startHttp } from './server';

export interface RunningOps {
  address: string;
  metrics: MarketMetrics;
  close(): Promise<void>;
}

/** Starts the metrics reader and the HTTP server on `listen` (host:port; port 0 picks one). */
export async function startOps(b: Broker, listen: string): Promise<RunningOps> {
  const metrics = new MarketMetrics(b);
  await metrics.start();
  let http;
  try { http = await startHttp(b, metrics, listen); } catch (e) {
    await metrics.close();
    throw new Error(`cannot serve metrics/dashboard on ${listen}: ${(e as Error).message}`);
  }
  return {
    address: http.address, metrics,
    close: async () => { await http.close(); await metrics.close(); },
  };
}

