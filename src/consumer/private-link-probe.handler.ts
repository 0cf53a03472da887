/* The function behind `PrivateLinkProbe`: inlined into the template by `inlineHandler`, so every
 * function here is self-contained. It runs on Node.js 18 or later (global `fetch`). */

/** An on-demand call: `{"path": "/api/task/2"}`. A scheduled run (EventBridge) has no `path`. */
export interface ProbeEvent {
  readonly path?: string;
}

/** The client certificate and its key (PEM), presented to a provider that verifies them. */
export interface ClientIdentity {
  readonly cert: string;
  readonly key: string;
}

/** What `probePath` needs: the endpoint's URL, and how to judge and time an answer. */
export interface ProbeConfig {
  readonly url: string;
  readonly expectedStatus: number;
  readonly timeoutMs: number;
  /** Presented in the TLS handshake when set (mutual TLS). */
  readonly identity?: ClientIdentity;
}

/** One GET through the endpoint. */
export interface ProbeResult {
  readonly path: string;
  readonly ok: boolean;
  readonly status?: number;
  readonly latencyMs: number;
  readonly body?: string;
  readonly error?: string;
}

/**
 * Calls the API through the PrivateLink endpoint from inside the consumer's VPC.
 *
 * - With `{"path": "/api/task/2"}` (on demand): GETs that path and returns the body (parsed when
 *   it is JSON); an unexpected status or no answer fails the invocation.
 * - Otherwise (the schedule): GETs every path of `PATHS` and writes, per path, one log line in
 *   CloudWatch embedded metric format: `Success` (1 or 0) and, on success, `Latency` (ms), with the
 *   dimensions `Probe` and `Probe, Path`. It never fails, so Lambda doesn't retry a run; a run
 *   that doesn't happen leaves no data, which the alarm counts as a failure.
 * - With `CLIENT_CERTIFICATE_SECRET`, every GET presents that client certificate (mutual TLS at
 *   the provider's ALB); a secret it cannot read fails every path of the run.
 *
 * The lines go to stdout itself, not through `console.log`, which in Lambda prefixes a timestamp
 * and request ID (text format) or wraps the line (JSON format): CloudWatch extracts metrics only
 * from log events that are the EMF JSON object. Lambda delivers the function's logs itself, so
 * metrics need no route out of the VPC (no NAT gateway, no monitoring endpoint).
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Lambda.html
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */
export async function probeHandler(event: ProbeEvent | undefined): Promise<unknown> {
  const secretId = process.env.CLIENT_CERTIFICATE_SECRET;
  const onDemand = event !== undefined && event !== null && typeof event.path === 'string';
  const paths: string[] = onDemand ? [event.path as string] : JSON.parse(process.env.PATHS ?? '["/"]');
  let config: ProbeConfig | undefined;
  let setupError: string | undefined;
  try {
    config = {
      url: process.env.API_URL as string,
      expectedStatus: Number(process.env.EXPECTED_STATUS ?? '200'),
      timeoutMs: Number(process.env.REQUEST_TIMEOUT_MS ?? '5000'),
      identity: secretId ? await clientIdentity(secretId) : undefined,
    };
  } catch (e) {
    setupError = `reading the client certificate from the secret ${secretId}: ${(e as Error).message}`;
  }
  if (onDemand) {
    if (!config) {
      throw new Error(setupError);
    }
    const result = await probePath(config, paths[0]);
    if (!result.ok) {
      throw new Error(`GET ${paths[0]}: ${result.error}`);
    }
    try {
      return JSON.parse(result.body ?? '');
    } catch {
      return result.body;
    }
  }
  const results: ProbeResult[] = [];
  for (const path of paths) {
    results.push(config ? await probePath(config, path) : { path, ok: false, latencyMs: 0, error: setupError });
  }
  const timestamp = Date.now();
  for (const result of results) {
    process.stdout.write(emfRecord(process.env.METRIC_NAMESPACE as string, process.env.PROBE_NAME as string, result, timestamp) + '\n');
  }
  return { results: results.map(({ body, ...rest }) => rest) };
}

/**
 * The client certificate of `CLIENT_CERTIFICATE_SECRET`, read once per execution environment:
 * the secret's value is JSON `{"certificate": "<PEM>", "privateKey": "<PEM>"}`.
 * https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html
 */
export async function clientIdentity(secretId: string): Promise<ClientIdentity> {
  const cache = globalThis as { probeClientIdentity?: ClientIdentity };
  if (!cache.probeClientIdentity) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { SecretsManagerClient, GetSecretValueCommand } = require('@aws-sdk/client-secrets-manager');
    // Bounded, so that a VPC that can't reach Secrets Manager fails the run with a reason instead
    // of the function's timeout.
    const client = new SecretsManagerClient({ maxAttempts: 2, requestHandler: { connectionTimeout: 3000, requestTimeout: 5000 } });
    const secret = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
    let value: { certificate?: unknown; privateKey?: unknown } = {};
    try {
      value = JSON.parse(secret.SecretString ?? '') ?? {};
    } catch {
      // not JSON: reported below
    }
    if (typeof value.certificate !== 'string' || typeof value.privateKey !== 'string') {
      throw new Error('the secret must hold {"certificate": "<PEM>", "privateKey": "<PEM>"}');
    }
    cache.probeClientIdentity = { cert: value.certificate, key: value.privateKey };
  }
  return cache.probeClientIdentity;
}

/**
 * A GET that presents a client certificate: Node's `fetch` takes none, `https` does. Answers
 * like `fetch` (`status`, `text()`); a request that takes longer than `timeoutMs` fails with a
 * `TimeoutError`, as `fetch`'s `AbortSignal.timeout` does.
 */
export function getWithCertificate(url: string, identity: ClientIdentity, timeoutMs: number):
Promise<{ status: number; text: () => Promise<string> }> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const https = require('node:https');
  return new Promise((resolve, reject) => {
    const request = https.get(url, { cert: identity.cert, key: identity.key }, (response: any) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () => {
        clearTimeout(timer);
        resolve({ status: response.statusCode, text: async () => body });
      });
      response.on('error', reject);
    });
    const timer = setTimeout(() => {
      request.destroy(Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' }));
    }, timeoutMs);
    request.on('error', (e: Error) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

/** GETs one path; never throws. */
export async function probePath(config: ProbeConfig, path: string): Promise<ProbeResult> {
  const start = Date.now();
  try {
    const response = config.identity
      ? await getWithCertificate(config.url + path, config.identity, config.timeoutMs)
      : await fetch(config.url + path, { signal: AbortSignal.timeout(config.timeoutMs) });
    const body = await response.text();
    const latencyMs = Date.now() - start;
    if (response.status !== config.expectedStatus) {
      return {
        path,
        ok: false,
        status: response.status,
        latencyMs,
        body,
        error: `HTTP ${response.status} (expected ${config.expectedStatus}): ${body.slice(0, 200)}`,
      };
    }
    return { path, ok: true, status: response.status, latencyMs, body };
  } catch (e) {
    const error = e as Error & { cause?: Error };
    const code = (error as { code?: string }).code;
    const reason = error.name === 'TimeoutError'
      ? `no answer within ${config.timeoutMs} ms (endpoint not accepted yet, security group, or the service down?)`
      : `${code && !error.message.includes(code) ? `${code}: ` : ''}${error.message}${error.cause ? ` (${error.cause.message})` : ''}`;
    return { path, ok: false, latencyMs: Date.now() - start, error: reason };
  }
}

/** One EMF log event: the metrics of one path, under the probe and under the probe and path. */
export function emfRecord(namespace: string, probe: string, result: ProbeResult, timestamp: number): string {
  const metrics = [{ Name: 'Success', Unit: 'Count' }, ...(result.ok ? [{ Name: 'Latency', Unit: 'Milliseconds' }] : [])];
  return JSON.stringify({
    _aws: {
      Timestamp: timestamp,
      CloudWatchMetrics: [{ Namespace: namespace, Dimensions: [['Probe'], ['Probe', 'Path']], Metrics: metrics }],
    },
    Probe: probe,
    Path: result.path,
    Success: result.ok ? 1 : 0,
    ...(result.ok ? { Latency: result.latencyMs } : {}),
    Status: result.status,
    Error: result.error,
  });
}
