// Throwaway TLS material for tests, made with the openssl command line in a temp folder: a CA,
// a broker certificate it signed (for localhost and 127.0.0.1), and a second, unrelated CA that
// must not be trusted. EC P-256 keys, so generating them takes milliseconds.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export interface TestPki {
  dir: string;
  /** The CA that signed `cert` (what a client passes as --tls-ca). */
  caCert: string;
  /** The broker's certificate (SAN: DNS localhost, IP 127.0.0.1) and its key. */
  cert: string;
  key: string;
  /** A CA that signed nothing here: trusting only it must fail the handshake. */
  otherCaCert: string;
  /** A self-signed broker certificate (its own CA; SAN: DNS localhost, IP 127.0.0.1) and its key. */
  selfSignedCert: string;
  selfSignedKey: string;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

function selfSigned(dir: string, name: string, ext: string[]): { cert: string; key: string } {
  const key = path.join(dir, `${name}.key`);
  const cert = path.join(dir, `${name}.pem`);
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert,
    '-days', '2', '-subj', `/CN=${name}`, ...ext.flatMap((e) => ['-addext', e])], dir);
  return { cert, key };
}

const selfSignedCa = (dir: string, name: string) => selfSigned(dir, name, ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign']);

/** Makes a CA, a broker certificate signed by it, and an unrelated CA, all under `dir`. */
export function makeTestPki(dir: string): TestPki {
  fs.mkdirSync(dir, { recursive: true });
  const ca = selfSignedCa(dir, 'test-ca');
  const other = selfSignedCa(dir, 'other-ca');
  const key = path.join(dir, 'broker.key');
  const csr = path.join(dir, 'broker.csr');
  const cert = path.join(dir, 'broker.pem');
  const ext = path.join(dir, 'broker.ext');
  fs.writeFileSync(ext, 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', csr,
    '-subj', '/CN=localhost'], dir);
  openssl(['x509', '-req', '-in', csr, '-CA', ca.cert, '-CAkey', ca.key, '-CAcreateserial', '-out', cert, '-days', '2',
    '-extfile', ext], dir);
  const self = selfSigned(dir, 'self-signed', ['subjectAltName=DNS:localhost,IP:127.0.0.1']);
  return { dir, caCert: ca.cert, cert, key, otherCaCert: other.cert, selfSignedCert: self.cert, selfSignedKey: self.key };
}
