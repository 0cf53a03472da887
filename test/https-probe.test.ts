/**
 * The https example's probe (examples/https/probe/index.js) against a local HTTPS server that,
 * like the ALB in VERIFY mode, requires a client certificate issued by its CA. The certificates
 * are made for the test with the openssl CLI; Secrets Manager is replaced by a stub that answers
 * GetSecretValue the way the SDK does ({ SecretString }).
 */
import { execFileSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import * as https from 'https';
import type { AddressInfo } from 'net';
import { tmpdir } from 'os';
import * as path from 'path';

const PROBE = path.join(__dirname, '..', 'examples', 'https', 'probe', 'index.js');
const SECRET = 'privatelink-https/client-certificate';

/** A CA, a server certificate for localhost and a client certificate (CN=probe), all from the CA. */
function certificates() {
  const dir = mkdtempSync(path.join(tmpdir(), 'probe-mtls-'));
  const file = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl('req', '-x509', ...ec, '-keyout', file('ca.key'), '-out', file('ca.crt'), '-days', '1', '-subj', '/CN=Test CA');
  const issue = (name: string, subject: string, extensions: string) => {
    writeFileSync(file(`${name}.ext`), extensions);
    openssl('req', ...ec, '-keyout', file(`${name}.key`), '-out', file(`${name}.csr`), '-subj', subject);
    openssl('x509', '-req', '-in', file(`${name}.csr`), '-CA', file('ca.crt'), '-CAkey', file('ca.key'), '-CAcreateserial',
      '-out', file(`${name}.crt`), '-days', '1', '-extfile', file(`${name}.ext`));
  };
  issue('server', '/CN=localhost', 'subjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth\n');
  issue('client', '/CN=probe/O=Customer 42', 'extendedKeyUsage=clientAuth\n');
  const read = (name: string) => readFileSync(file(name), 'utf8');
  const pems = { ca: read('ca.crt'), serverCert: read('server.crt'), serverKey: read('server.key'), clientCert: read('client.crt'), clientKey: read('client.key') };
  rmSync(dir, { recursive: true });
  return pems;
}

/** A server that answers JSON with the caller's certificate subject; `verify` makes it require one. */
function server(pems: ReturnType<typeof certificates>, verify: boolean): Promise<{ url: string; close: () => Promise<void> }> {
  const tls = { key: pems.serverKey, cert: pems.serverCert, ca: pems.ca, requestCert: verify, rejectUnauthorized: verify };
  const s = https.createServer(tls, (req, res) => {
    const peer = (req.socket as import('tls').TLSSocket).getPeerCertificate();
    const status = req.url === '/missing' ? 404 : 200;
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ path: req.url, caller: peer?.subject?.CN ?? null }));
  });
  return new Promise(resolve => s.listen(0, '127.0.0.1', () => resolve({
    url: `https://localhost:${(s.address() as AddressInfo).port}`,
    close: () => new Promise(done => { s.closeAllConnections(); s.close(() => done()); }),
  })));
}

describe('the https example\'s probe', () => {
  const pems = certificates();
  const sent: unknown[] = [];
  let secretString = '';
  let trustedCa: unknown;

  /** The probe, loaded fresh (its certificate cache empty) with a Secrets Manager stub. */
  function loadProbe(apiUrl: string): { handler: (event: unknown) => Promise<any> } {
    process.env.API_URL = apiUrl;
    process.env.CLIENT_CERTIFICATE_SECRET = SECRET;
    let probe: any;
    jest.isolateModules(() => {
      jest.doMock('@aws-sdk/client-secrets-manager', () => ({
        SecretsManagerClient: class { async send(command: { input: unknown }) { sent.push(command.input); return { SecretString: secretString }; } },
        GetSecretValueCommand: class { constructor(public readonly input: unknown) {} },
      }), { virtual: true });
      // A plain CommonJS file, loaded the way Lambda loads it (and fresh, inside isolateModules).
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      probe = require(PROBE);
    });
    return probe;
  }

  beforeAll(() => {
    // The probe trusts the server's certificate as it trusts the ALB's (public) one.
    trustedCa = https.globalAgent.options.ca;
    https.globalAgent.options.ca = pems.ca;
  });
  afterAll(() => {
    https.globalAgent.options.ca = trustedCa as any;
    https.globalAgent.destroy();
  });
  beforeEach(() => {
    sent.length = 0;
    secretString = JSON.stringify({ certificate: pems.clientCert, privateKey: pems.clientKey });
  });

  test('presents the client certificate from the secret and returns the API\'s JSON', async () => {
    // GIVEN a server that requires a certificate of its CA
    const api = await server(pems, true);
    try {
      // WHEN
      const result = await loadProbe(api.url).handler({ path: '/api/task/2' });
      // THEN the server saw the probe's certificate, and the secret was read by its name
      expect(result).toEqual({ path: '/api/task/2', caller: 'probe' });
      expect(sent).toEqual([{ SecretId: SECRET }]);
    } finally {
      await api.close();
    }
  });

  test('reads the secret once per execution environment; /api/tasks by default', async () => {
    const api = await server(pems, true);
    try {
      const probe = loadProbe(api.url);
      expect(await probe.handler({})).toEqual({ path: '/api/tasks', caller: 'probe' });
      expect(await probe.handler({ path: '/api/task/1' })).toEqual({ path: '/api/task/1', caller: 'probe' });
      expect(sent).toHaveLength(1);
    } finally {
      await api.close();
    }
  });

  test('without a certificate, a verifying provider refuses the handshake, and the probe says so', async () => {
    const api = await server(pems, true);
    try {
      const result = await loadProbe(api.url).handler({ withoutCertificate: true });
      expect(result).toEqual({ refused: expect.any(String) });
      expect(sent).toEqual([]);
    } finally {
      await api.close();
    }
  });

  test('without a certificate, a provider that verifies nothing answers, and the probe fails', async () => {
    const api = await server(pems, false);
    try {
      await expect(loadProbe(api.url).handler({ withoutCertificate: true })).rejects.toThrow(/got HTTP 200: the provider verifies no client certificate/);
    } finally {
      await api.close();
    }
  });

  test('a non-2xx answer fails the invocation with the status and body', async () => {
    const api = await server(pems, true);
    try {
      await expect(loadProbe(api.url).handler({ path: '/missing' })).rejects.toThrow(/GET \/missing: HTTP 404: \{"path":"\/missing"/);
    } finally {
      await api.close();
    }
  });

  test('a secret without the key fails with what the secret must hold', async () => {
    secretString = JSON.stringify({ certificate: pems.clientCert });
    await expect(loadProbe('https://localhost:1').handler({})).rejects.toThrow(`${SECRET} must hold {"certificate": "<PEM>", "privateKey": "<PEM>"}`);
  });
});
