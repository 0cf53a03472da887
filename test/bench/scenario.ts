/**
 * One benchmark run, in its own process: builds and synthesizes one scenario once untimed (so
 * every module aws-cdk-lib loads lazily is loaded, and hot code is compiled), then once timed, and
 * prints a JSON line with the wall time of construct + synth, the process's peak memory and the
 * resources.
 */
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { App, Stack, Aws } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { addProbeFunction, buildHandwrittenDemo, flowLog, newConsumerVpc } from './handwritten-demo';
import { buildDemo } from '../../examples/demo/demo-stacks';
import { EcsPrivateLinkApi, PrivateLinkConsumer } from '../../src';

const CONTEXT = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'examples', 'demo', 'cdk.json'), 'utf8')).context;

/** A stack with one API and `n` services in all, each scaling on CPU. */
function services(n: number) {
  return (app: App): Stack[] => {
    const stack = new Stack(app, `Services${n}`);
    const scaling = { maxCapacity: 4, targetCpuUtilizationPercent: 60 };
    const api = new EcsPrivateLinkApi(stack, 'Api', { image: ecs.ContainerImage.fromRegistry('lvthillo/python-flask-api'), autoScaling: scaling });
    for (let i = 1; i < n; i++) {
      api.addService(`Service${i}`, { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:stable'), pathPatterns: [`/s${i}/*`], autoScaling: scaling });
    }
    return [stack];
  };
}

/** The blog's topology with the library: what `handwritten-demo.ts` writes by hand, resource for resource. */
function blogTopology(app: App): Stack[] {
  const provider = new Stack(app, 'Library-Provider');
  const vpc = new ec2.Vpc(provider, 'ProviderVpc', { ipAddresses: ec2.IpAddresses.cidr('10.0.0.0/16'), maxAzs: 2, natGateways: 1 });
  flowLog(vpc);
  const api = new EcsPrivateLinkApi(provider, 'TaskApi', {
    vpc,
    image: ecs.ContainerImage.fromRegistry('lvthillo/python-flask-api'),
    containerPort: 8080,
    desiredCount: 2,
    port: 80,
    loadBalancerPort: 8888,
    healthCheck: { path: '/api/tasks' },
    allowedPrincipals: [Aws.ACCOUNT_ID],
  });
  const consumerStack = new Stack(app, 'Library-Consumer');
  const consumerVpc = newConsumerVpc(consumerStack);
  const consumer = new PrivateLinkConsumer(consumerStack, 'TaskApiEndpoint', { vpc: consumerVpc, api, allowedPeers: [] });
  addProbeFunction(consumerStack, consumerVpc, consumer, consumer.url);
  return [provider, consumerStack];
}

export const SCENARIOS: Record<string, (app: App) => Stack[]> = {
  'blog topology (library)': blogTopology,
  'blog topology (hand-written L2s)': buildHandwrittenDemo,
  'demo, with operations (library)': app => Object.values(buildDemo(app)),
  '1 service': services(1),
  '10 services': services(10),
  '35 services': services(35),
};

if (require.main === module) {
  const name = process.argv[2];
  const synth = () => {
    const outdir = mkdtempSync(path.join(tmpdir(), 'bench-'));
    const start = process.hrtime.bigint();
    const app = new App({ context: CONTEXT, outdir });
    SCENARIOS[name](app);
    const assembly = app.synth();
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    const types: Record<string, number> = {};
    for (const stack of assembly.stacks) {
      for (const r of Object.values<any>(stack.template.Resources)) {
        types[r.Type] = (types[r.Type] ?? 0) + 1;
      }
    }
    const resources = assembly.stacks.map(s => Object.keys(s.template.Resources).length);
    rmSync(outdir, { recursive: true, force: true });
    return { ms, types, resources };
  };
  synth(); // warm-up
  const { ms, types, resources } = synth();
  console.log(JSON.stringify({ name, ms, maxRssMb: process.resourceUsage().maxRSS / 1024, resources, types }));
}
