// The broker's HTTP port (`broker --http HOST:PORT`): Prometheus metrics and the web dashboard.
//
//   GET /metrics        Prometheus text exposition (no key: operational figures only, no tenant data)
//   GET /               the dashboard (one self-contained page: no CDN, no external files)
//   GET /api/overview   JSON for the dashboard, authenticated with `Authorization: Bearer <API key>`
//                       exactly like the gRPC API (same Authenticator, same store queries as the
//                       Market and Accounts services, scoped to the calling account)
//   GET /healthz        "ok"
//
// The API key never travels in a URL: the page takes it from a login form or the URL fragment
// (`/#key=...`, which browsers do not send), keeps it in sessionStorage and sends it as a header.
import * as http from 'http';
import * as grpc from '@grpc/grpc-js';
import { formatAddress, parseAddress } from '../../src/common/address';
import { bearer, missingBearer } from '../auth/caller';
import type { Broker } from '../broker';
import { RpcError } from '../errors';
import { DASHBOARD_HTML } from './dashboard';
import type { MarketMetrics } from './metrics';
import { overview } from './overview';

export interface RunningHttp {
  /** The bound host:port. */
  address: string;
  close(): Promise<void>;
}

/** gRPC status → HTTP status for the JSON API. */
function httpStatus(e: unknown): number {
  if (!(e instanceof RpcError)) return 500;
  switch (e.code) {
    case grpc.status.UNAUTHENTICATED: return 401;
    case grpc.status.PERMISSION_DENIED: return 403;
    case grpc.status.NOT_FOUND: return 404;
    case grpc.status.INVALID_ARGUMENT: return 400;
    default: return 500;
  }
}

export async function startHttp(b: Broker, metrics: MarketMetrics, listen: string): Promise<RunningHttp> {
  const { host, port } = parseAddress(listen);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, {
        'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff',
        // The page loads nothing from elsewhere; keep it that way.
        ...(type.startsWith('text/html') ? { 'content-security-policy': "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src 'self' data:" } : {}),
      });
      res.end(body);
    };
    if (req.method !== 'GET') { send(405, 'text/plain', 'only GET\n'); return; }
    if (url.search && url.pathname.startsWith('/api/') && /(^|[?&])(key|api_key|apikey|token)=/i.test(url.search)) {
      // Keys in query strings end up in logs and proxies; refuse them so nobody gets used to it.
      send(400, 'application/json', JSON.stringify({ error: 'send the API key as "Authorization: Bearer <key>", never in the URL' }));
      return;
    }
    switch (url.pathname) {
      case '/metrics':
        metrics.text().then((t) => send(200, metrics.registry.contentType, t), (e) => send(500, 'text/plain', `metrics failed: ${(e as Error).message}\n`));
        return;
      case '/': case '/index.html':
        send(200, 'text/html; charset=utf-8', DASHBOARD_HTML);
        return;
      case '/healthz':
        send(200, 'text/plain', 'ok\n');
        return;
      case '/api/overview': {
        const md = new grpc.Metadata();
        if (req.headers.authorization) md.set('authorization', req.headers.authorization);
        if (!bearer(md)) {
          send(401, 'application/json', JSON.stringify({ error: `dashboard: ${missingBearer(!!req.headers.authorization)}: send the HTTP header "Authorization: Bearer <key>"` }));
          return;
        }
        b.auth.authenticate(md, ['client', 'prover', 'admin'], 'dashboard')
          .then((caller) => overview(b, metrics, caller))
          .then((o) => send(200, 'application/json', JSON.stringify(o)),
            (e) => send(httpStatus(e), 'application/json', JSON.stringify({ error: (e as Error).message })));
        return;
      }
      default:
        send(404, 'text/plain', `no such page: ${url.pathname} (try / or /metrics)\n`);
    }
  });
  const bound = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host.replace(/^\[|\]$/g, ''), () => { server.off('error', reject); resolve((server.address() as { port: number }).port); });
  });
  return {
    address: formatAddress({ host, port: bound }),
    close: () => new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }),
  };
}
