/* The function behind `PrivateLinkProbe`: inlined into the template by `inlineHandler`, so every
 * function here is self-contained. It runs on Node.js 18 or later (global `fetch`). */

/** An on-demand call: `{"path": "/api/task/2"}`. A scheduled run (EventBridge) has no `path`. */
export interface ProbeEvent {
  readonly path?: string;
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
 *
 * The lines go to stdout itself, not through `console.log`, which in Lambda prefixes a timestamp
 * and request ID (text format) or wraps the line (JSON format): CloudWatch extracts metrics only
 * from log events that are the EMF JSON object. Lambda delivers the function's logs itself, so
 * metrics need no route out of the VPC (no NAT gateway, no monitoring endpoint).
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Lambda.html
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */
export async function probeHandler(event: ProbeEvent | undefined): Promise<unknown> {
  const config = {
    url: process.env.API_URL as string,
    expectedStatus: Number(process.env.EXPECTED_STATUS ?? '200'),
    timeoutMs: Number(process.env.REQUEST_TIMEOUT_MS ?? '5000'),
  };
  if (event && typeof event.path === 'string') {
    const result = await probePath(config, event.path);
    if (!result.ok) {
      throw new Error(`GET ${event.path}: ${result.error}`);
    }
    try {
      return JSON.parse(result.body ?? '');
    } catch {
      return result.body;
    }
  }
  const paths: string[] = JSON.parse(process.env.PATHS ?? '["/"]');
  const results: ProbeResult[] = [];
  for (const path of paths) {
    results.push(await probePath(config, path));
  }
  const timestamp = Date.now();
  for (const result of results) {
    process.stdout.write(emfRecord(process.env.METRIC_NAMESPACE as string, process.env.PROBE_NAME as string, result, timestamp) + '\n');
  }
  return { results: results.map(({ body, ...rest }) => rest) };
}

/** GETs one path; never throws. */
export async function probePath(config: { url: string; expectedStatus: number; timeoutMs: number }, path: string): Promise<ProbeResult> {
  const start = Date.now();
  try {
    const response = await fetch(config.url + path, { signal: AbortSignal.timeout(config.timeoutMs) });
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
    const reason = error.name === 'TimeoutError'
      ? `no answer within ${config.timeoutMs} ms (endpoint not accepted yet, security group, or the service down?)`
      : `${error.message}${error.cause ? ` (${error.cause.message})` : ''}`;
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
