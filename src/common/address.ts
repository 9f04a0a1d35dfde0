// host:port parsing for --listen / --broker flags. Accepts "host:port", "[v6]:port", ":port",
// and a bare "port"; the default host is 127.0.0.1.
export const DEFAULT_BROKER_PORT = 50051;
export const DEFAULT_BROKER_ADDRESS = `127.0.0.1:${DEFAULT_BROKER_PORT}`;

export interface HostPort { host: string; port: number }

export function parseAddress(s: string, defaultPort = DEFAULT_BROKER_PORT): HostPort {
  const t = String(s ?? '').trim();
  if (!t) throw new Error('empty address (expected HOST:PORT, e.g. 127.0.0.1:50051)');
  let host: string; let portStr: string | undefined;
  const v6 = /^\[([^\]]+)\](?::(\d*))?$/.exec(t);
  if (v6) { host = v6[1]; portStr = v6[2]; }
  else if (/^\d+$/.test(t)) { host = '127.0.0.1'; portStr = t; }
  else {
    const i = t.lastIndexOf(':');
    if (i < 0) { host = t; portStr = undefined; }
    else if (t.indexOf(':') !== i) throw new Error(`bad address "${s}": write IPv6 hosts as [addr]:port`);
    else { host = t.slice(0, i) || '127.0.0.1'; portStr = t.slice(i + 1); }
  }
  const port = portStr === undefined || portStr === '' ? defaultPort : Number(portStr);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`bad port in address "${s}" (0..65535)`);
  if (!/^[A-Za-z0-9._\-:%]+$/.test(host)) throw new Error(`bad host in address "${s}"`);
  return { host, port };
}

export function formatAddress(a: HostPort): string {
  return a.host.includes(':') ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`;
}
