/**
 * `PrivateLinkProbe` with a client certificate: its deployed code against a local HTTPS server
 * that, like the ALB in VERIFY mode, requires a client certificate issued by its CA. The
 * certificates are made for the test with the openssl CLI; Secrets Manager is replaced by a stub
 * that answers GetSecretValue the way the SDK does (`{ SecretString }`).
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/mutual-authentication.html
 * https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html
 */
import { execFileSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import * as https from 'https';
import type { AddressInfo } from 'net';
import { tmpdir } from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { loadInlineHandler } from './inline-handler-harness';
import { PrivateLinkConsumer, PrivateLinkProbe } from '../../src';

const SERVICE = 'com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0';
const SECRET = 'customer-42/client-certificate';

/** A CA, a server certificate for localhost, a client certificate (CN=probe) from the CA, and one from nobody. */
function certificates() {
  const dir = mkdtempSync(path.join(tmpdir(), 'probe-mtls-'));
  const file = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl('req', '-x509', ...ec, '-keyout', file('ca.key'), '-out', file('ca.crt'), '-days', '1', '-subj', '/CN=Test CA');
  openssl('req', '-x509', ...ec, '-keyout', file('stranger.key'), '-out', file('stranger.crt'), '-days', '1', '-subj', '/CN=stranger');
  const issue = (name: string, subject: string, extensions: string) => {
    writeFileSync(file(`${name}.ext`), extensions);
    openssl('req', ...ec, '-keyout', file(`${name}.key`), '-out', file(`${name}.csr`), '-subj', subject);
    openssl('x509', '-req', '-in', file(`${name}.csr`), '-CA', file('ca.crt'), '-CAkey', file('ca.key'), '-CAcreateserial',
      '-out', file(`${name}.crt`), '-days', '1', '-extfile', file(`${name}.ext`));
  };
  issue('server', '/CN=localhost', 'subjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth\n');
  issue('client', '/CN=probe/O=Customer 42', 'extendedKeyUsage=clientAuth\n');
  const read = (name: string) => readFileSync(file(name), 'utf8');
  const pems = {
    ca: read('ca.crt'),
    serverCert: read('server.crt'),
    serverKey: read('server.key'),
    clientCert: read('client.crt'),
    clientKey: read('client.key'),
    strangerCert: read('stranger.crt'),
    strangerKey: read('stranger.key'),
  };
  rmSync(dir, { recursive: true });
  return pems;
}

/** A server that requires a certificate of its CA and answers JSON with the caller's subject; `/silent` never answers. */
function server(pems: ReturnType<typeof certificates>): Promise<{ url: string; close: () => Promise<void> }> {
  const tls = { key: pems.serverKey, cert: pems.serverCert, ca: pems.ca, requestCert: true, rejectUnauthorized: true };
  const s = https.createServer(tls, (req, res) => {
    if (req.url === '/silent') {
      return;
    }
    const peer = (req.socket as import('tls').TLSSocket).getPeerCertificate();
    res.writeHead(req.url === '/missing' ? 404 : 200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ path: req.url, caller: peer?.subject?.CN ?? null }));
  });
  return new Promise(resolve => s.listen(0, '127.0.0.1', () => resolve({
    url: `https://localhost:${(s.address() as AddressInfo).port}`,
    close: () => new Promise(done => {
      s.closeAllConnections(); s.close(() => done());
    }),
  })));
}

/** The function's code and environment exactly as the consumer's template deploys them. */
function deployed(): { source: string; env: Record<string, string> } {
  const stack = new Stack(new App(), 'Consumer');
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'p', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  const consumer = new PrivateLinkConsumer(stack, 'Consumer', { vpc, serviceName: SERVICE, protocol: elbv2.ApplicationProtocol.HTTPS, privateDnsEnabled: true, privateDnsName: 'api.example.com' });
  const clientCertificate = secretsmanager.Secret.fromSecretNameV2(stack, 'ClientCertificate', SECRET);
  new PrivateLinkProbe(stack, 'Probe', { consumer, paths: ['/api/tasks', '/api/task/2'], probeName: 'mtls-probe', clientCertificate });
  const [fn] = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function'))
    .filter(f => f.Properties.Description?.includes('through PrivateLink'));
  return { source: fn.Properties.Code.ZipFile, env: fn.Properties.Environment.Variables };
}

describe('PrivateLinkProbe function with a client certificate', () => {
  const pems = certificates();
  const { source, env: deployedEnv } = deployed();
  const sent: unknown[] = [];
  let secretString = '';
  let trustedCa: unknown;
  let api: { url: string; close: () => Promise<void> };

  /** A fresh execution environment (its certificate cache empty), calling the local server. */
  function load(env: Record<string, string> = {}) {
    const lines: string[] = [];
    const secretsManager = {
      SecretsManagerClient: class {
        async send(command: { input: unknown }) {
          sent.push(command.input); return { SecretString: secretString };
        }
      },
      GetSecretValueCommand: class {
        constructor(public readonly input: unknown) {}
      },
    };
    const { handler } = loadInlineHandler(source, { '@aws-sdk/client-secrets-manager': secretsManager, 'node:https': https }, {
      process: { env: { ...deployedEnv, API_URL: api.url, ...env }, stdout: { write: (line: string) => lines.push(line) } },
      setTimeout,
      clearTimeout,
      fetch: () => {
        throw new Error('fetch takes no client certificate: the probe must not use it here');
      },
    });
    return { handler, lines };
  }

  beforeAll(async () => {
    // The probe trusts the server's certificate as it trusts the ALB's (public) one.
    trustedCa = https.globalAgent.options.ca;
    https.globalAgent.options.ca = pems.ca;
    api = await server(pems);
  });
  afterAll(async () => {
    await api.close();
    https.globalAgent.options.ca = trustedCa as any;
    https.globalAgent.destroy();
  });
  beforeEach(() => {
    sent.length = 0;
    secretString = JSON.stringify({ certificate: pems.clientCert, privateKey: pems.clientKey });
  });

  test('the template gives the function the secret by name', () => {
    expect(deployedEnv.CLIENT_CERTIFICATE_SECRET).toBe(SECRET);
    expect(source).toContain('exports.handler');
  });

  test('on demand: presents the certificate from the secret, and returns the API\'s JSON', async () => {
    // WHEN
    const result = await load().handler({ path: '/api/task/2' });
    // THEN the server saw the probe's certificate, and the secret was read by its name
    expect(result).toEqual({ path: '/api/task/2', caller: 'probe' });
    expect(sent).toEqual([{ SecretId: SECRET }]);
  });

  test('a scheduled run presents it on every path, and the secret is read once per execution environment', async () => {
    const { handler, lines } = load();
    const first = await handler({}) as { results: any[] };
    await handler({});
    expect(first.results).toEqual([
      expect.objectContaining({ path: '/api/tasks', ok: true, status: 200 }),
      expect.objectContaining({ path: '/api/task/2', ok: true, status: 200 }),
    ]);
    expect(lines.map(l => JSON.parse(l).Success)).toEqual([1, 1, 1, 1]);
    expect(sent).toHaveLength(1);
  });

  test('a certificate the provider does not trust is refused in the handshake: Success 0 with the TLS error', async () => {
    secretString = JSON.stringify({ certificate: pems.strangerCert, privateKey: pems.strangerKey });
    const { handler, lines } = load();
    await handler({});
    const records = lines.map(l => JSON.parse(l));
    expect(records.map(r => r.Success)).toEqual([0, 0]);
    expect(records[0].Error).toMatch(/alert|ECONNRESET|socket hang up|certificate/i);
    await expect(load().handler({ path: '/api/tasks' })).rejects.toThrow(/GET \/api\/tasks: /);
  });

  test('an unexpected status fails an on-demand call with the status and the body', async () => {
    await expect(load().handler({ path: '/missing' })).rejects.toThrow(/GET \/missing: HTTP 404 \(expected 200\): \{"path":"\/missing"/);
  });

  test('no answer within the request timeout: Success 0, saying what to check', async () => {
    const { handler, lines } = load({ PATHS: '["/silent"]', REQUEST_TIMEOUT_MS: '300' });
    await handler({});
    expect(JSON.parse(lines[0])).toEqual(expect.objectContaining({ Success: 0, Error: expect.stringMatching(/^no answer within 300 ms/) }));
  });

  test('a secret without the key: on demand fails naming the secret and its shape; a scheduled run records Success 0 for every path', async () => {
    secretString = JSON.stringify({ certificate: pems.clientCert });
    const expected = `reading the client certificate from the secret ${SECRET}: the secret must hold {"certificate": "<PEM>", "privateKey": "<PEM>"}`;
    await expect(load().handler({ path: '/api/tasks' })).rejects.toThrow(expected);
    const { handler, lines } = load();
    await handler({});
    expect(lines.map(l => JSON.parse(l))).toEqual([
      expect.objectContaining({ Path: '/api/tasks', Success: 0, Error: expected }),
      expect.objectContaining({ Path: '/api/task/2', Success: 0, Error: expected }),
    ]);
  });
});
