import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { loadInlineHandler } from './inline-handler-harness';
import { PrivateLinkConsumer, PrivateLinkProbe } from '../../src';

const SERVICE = 'com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0';
const URL_BASE = 'http://vpce-0abc-123.vpce-svc-0123456789abcdef0.eu-west-1.vpce.amazonaws.com:80';

/** The function's code and environment exactly as the consumer's template deploys them. */
function deployed(): { source: string; env: Record<string, string> } {
  const stack = new Stack(new App(), 'Consumer');
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'p', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  const consumer = new PrivateLinkConsumer(stack, 'Consumer', { vpc, serviceName: SERVICE });
  new PrivateLinkProbe(stack, 'Probe', { consumer, paths: ['/api/tasks', '/api/task/2'], probeName: 'demo-probe' });
  const [fn] = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function'))
    .filter(f => f.Properties.Description?.includes('through PrivateLink'));
  // API_URL is a deploy-time value (the endpoint's DNS name): put the shape it resolves to.
  return { source: fn.Properties.Code.ZipFile, env: { ...fn.Properties.Environment.Variables, API_URL: URL_BASE } };
}

/** A fetch that answers like the demo's task API, or as `behave` says for a path. */
function fakeFetch(behave: Record<string, { status?: number; body?: string; error?: Error }> = {}) {
  const calls: Array<{ url: string; timeout: boolean }> = [];
  const fetch = async (url: string, init: { signal?: unknown }) => {
    calls.push({ url, timeout: init?.signal !== undefined });
    const path = url.slice(URL_BASE.length);
    const b = behave[path] ?? { status: 200, body: path === '/api/task/2' ? '{"id": 2, "name": "task2", "description": "This is task 2"}' : '[]' };
    if (b.error) {
      throw b.error;
    }
    return { status: b.status ?? 200, text: async () => b.body ?? '' };
  };
  return { fetch, calls };
}

function load(behave?: Record<string, { status?: number; body?: string; error?: Error }>) {
  const { source, env } = deployed();
  const lines: string[] = [];
  const fetch = fakeFetch(behave);
  const { handler } = loadInlineHandler(source, {}, {
    process: { env, stdout: { write: (line: string) => lines.push(line) } },
    fetch: fetch.fetch,
    AbortSignal: { timeout: (ms: number) => ({ timeoutMs: ms }) },
  });
  return { handler, lines, calls: fetch.calls, env };
}

/**
 * Checks one log line against the embedded metric format specification: a JSON object whose
 * `_aws` has a millisecond `Timestamp` and `CloudWatchMetrics` directives, each with a
 * `Namespace`, `Dimensions` (arrays of member names, each a string member) and `Metrics`
 * (names of number members, with a unit).
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */
function emf(line: string): Record<string, any> {
  expect(line.endsWith('\n')).toBe(true);
  const record = JSON.parse(line);
  expect(typeof record._aws.Timestamp).toBe('number');
  for (const directive of record._aws.CloudWatchMetrics) {
    expect(typeof directive.Namespace).toBe('string');
    for (const set of directive.Dimensions) {
      for (const key of set) {
        expect(typeof record[key]).toBe('string');
      }
    }
    for (const metric of directive.Metrics) {
      expect(typeof record[metric.Name]).toBe('number');
      expect(['Count', 'Milliseconds']).toContain(metric.Unit);
    }
  }
  return record;
}

describe('PrivateLinkProbe function', () => {
  test('on demand ({"path": "/api/task/2"}): returns the API\'s JSON body, writes no metrics', async () => {
    const { handler, lines, calls } = load();
    await expect(handler({ path: '/api/task/2' })).resolves.toEqual({ id: 2, name: 'task2', description: 'This is task 2' });
    expect(calls).toEqual([{ url: `${URL_BASE}/api/task/2`, timeout: true }]);
    expect(lines).toEqual([]);
  });

  test('on demand: a body that is not JSON comes back as text', async () => {
    const { handler } = load({ '/health': { status: 200, body: 'OK' } });
    await expect(handler({ path: '/health' })).resolves.toBe('OK');
  });

  test('on demand: an unexpected status fails the invocation, with the status and the body', async () => {
    const { handler } = load({ '/api/task/9': { status: 404, body: '{"message":"Not Found"}' } });
    await expect(handler({ path: '/api/task/9' })).rejects.toThrow(/GET \/api\/task\/9: HTTP 404 \(expected 200\): \{"message":"Not Found"\}/);
  });

  test('on demand: no answer in time fails the invocation, saying what to check', async () => {
    const timeout = Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' });
    const { handler } = load({ '/api/tasks': { error: timeout } });
    await expect(handler({ path: '/api/tasks' })).rejects.toThrow(/no answer within 5000 ms \(endpoint not accepted yet/);
  });

  test('a scheduled run (EventBridge event): GETs every path, one EMF line per path with Success 1 and Latency', async () => {
    const { handler, lines, calls, env } = load();
    const scheduled = { 'version': '0', 'detail-type': 'Scheduled Event', 'source': 'aws.events', 'detail': {} };
    const result = await handler(scheduled) as { results: any[] };
    expect(calls.map(c => c.url)).toEqual([`${URL_BASE}/api/tasks`, `${URL_BASE}/api/task/2`]);
    expect(result.results).toEqual([
      expect.objectContaining({ path: '/api/tasks', ok: true, status: 200 }),
      expect.objectContaining({ path: '/api/task/2', ok: true, status: 200 }),
    ]);
    expect(result.results[0].body).toBeUndefined();
    const records = lines.map(emf);
    expect(records).toHaveLength(2);
    for (const [i, path] of ['/api/tasks', '/api/task/2'].entries()) {
      expect(records[i]).toEqual(expect.objectContaining({ Probe: 'demo-probe', Path: path, Success: 1, Latency: expect.any(Number) }));
      expect(records[i]._aws.CloudWatchMetrics).toEqual([{
        Namespace: env.METRIC_NAMESPACE,
        Dimensions: [['Probe'], ['Probe', 'Path']],
        Metrics: [{ Name: 'Success', Unit: 'Count' }, { Name: 'Latency', Unit: 'Milliseconds' }],
      }]);
    }
    expect(env.METRIC_NAMESPACE).toBe('PrivateLinkProbe');
  });

  test('a scheduled run with a failing path: Success 0 and no Latency for it, the error in the line; the run itself succeeds', async () => {
    const refused = Object.assign(new TypeError('fetch failed'), { cause: new Error('connect ECONNREFUSED 10.1.0.5:80') });
    const { handler, lines } = load({ '/api/tasks': { error: refused }, '/api/task/2': { status: 503, body: 'busy' } });
    const result = await handler({}) as { results: any[] };
    expect(result.results.map(r => r.ok)).toEqual([false, false]);
    const [first, second] = lines.map(emf);
    expect(first).toEqual(expect.objectContaining({ Success: 0, Error: 'fetch failed (connect ECONNREFUSED 10.1.0.5:80)' }));
    expect(first.Latency).toBeUndefined();
    expect(first._aws.CloudWatchMetrics[0].Metrics).toEqual([{ Name: 'Success', Unit: 'Count' }]);
    expect(second).toEqual(expect.objectContaining({ Success: 0, Status: 503, Error: 'HTTP 503 (expected 200): busy' }));
  });

  test('the expected status and the request timeout come from the props', async () => {
    const stack = new Stack(new App(), 'Consumer');
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 });
    const consumer = new PrivateLinkConsumer(stack, 'Consumer', { vpc, serviceName: SERVICE });
    new PrivateLinkProbe(stack, 'Probe', { consumer, expectedStatus: 204 });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { EXPECTED_STATUS: '204', REQUEST_TIMEOUT_MS: '5000', PATHS: '["/"]' } },
    });
  });
});
