/**
 * The blog's topology written by hand with aws-cdk-lib L2s only: the benchmark's baseline for the
 * library's synth cost. `scenario.ts` builds the same topology with the library (same resources);
 * the demo itself adds monitoring, a canary, keys and acceptance automation on top.
 */
import { App, Aws, CfnOutput, Duration, Fn, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as targets from 'aws-cdk-lib/aws-elasticloadbalancingv2-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';

/** The probe the demo had before it used PrivateLinkProbe: GETs a path through the endpoint. */
const PROBE_CODE = `// The demo's probe: GETs the task API through the PrivateLink endpoint, from inside the
// consumer VPC. Invoke it with {"path": "/api/task/2"} for one path (it returns the API's
// JSON body, and fails on a non-2xx status), or with {} for both demo paths.
exports.handler = async (event) => {
  const base = process.env.API_URL;
  const get = async (path) => {
    const response = await fetch(base + path, { signal: AbortSignal.timeout(5000) });
    const text = await response.text();
    if (!response.ok) {
      throw new Error(\`GET \${path}: HTTP \${response.status}: \${text}\`);
    }
    return JSON.parse(text);
  };
  if (event && event.path) {
    return get(event.path);
  }
  return { '/api/tasks': await get('/api/tasks'), '/api/task/2': await get('/api/task/2') };
};
`;

/** The consumer's VPC: isolated subnets in 2 AZs, flow logs (both versions of the topology). */
export function newConsumerVpc(stack: Stack): ec2.Vpc {
  const vpc = new ec2.Vpc(stack, 'ConsumerVpc', {
    ipAddresses: ec2.IpAddresses.cidr('10.1.0.0/16'),
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
  flowLog(vpc);
  return vpc;
}

export function flowLog(vpc: ec2.Vpc): void {
  vpc.addFlowLog('FlowLog', {
    destination: ec2.FlowLogDestination.toCloudWatchLogs(new logs.LogGroup(vpc, 'FlowLogs', { retention: logs.RetentionDays.ONE_WEEK })),
  });
}

export function buildHandwrittenDemo(app: App): Stack[] {
  // ---- provider ----
  const provider = new Stack(app, 'Handwritten-Provider');
  const vpc = new ec2.Vpc(provider, 'ProviderVpc', { ipAddresses: ec2.IpAddresses.cidr('10.0.0.0/16'), maxAzs: 2, natGateways: 1 });
  flowLog(vpc);
  const cluster = new ecs.Cluster(provider, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
  const taskDefinition = new ecs.FargateTaskDefinition(provider, 'TaskDefinition', { cpu: 256, memoryLimitMiB: 512 });
  const logGroup = new logs.LogGroup(provider, 'Logs', { retention: logs.RetentionDays.ONE_MONTH });
  const container = taskDefinition.addContainer('api', {
    image: ecs.ContainerImage.fromRegistry('lvthillo/python-flask-api'),
    portMappings: [{ containerPort: 8080 }],
    logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'Service', logGroup }),
  });
  const taskSg = new ec2.SecurityGroup(provider, 'TaskSg', { vpc, allowAllOutbound: true });
  const service = new ecs.FargateService(provider, 'Service', {
    cluster,
    taskDefinition,
    desiredCount: 2,
    securityGroups: [taskSg],
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    circuitBreaker: { enable: true, rollback: true },
    minHealthyPercent: 100,
    maxHealthyPercent: 200,
    healthCheckGracePeriod: Duration.seconds(60),
    propagateTags: ecs.PropagatedTagSource.SERVICE,
  });
  const albSg = new ec2.SecurityGroup(provider, 'AlbSg', { vpc, allowAllOutbound: false });
  const alb = new elbv2.ApplicationLoadBalancer(provider, 'Alb', {
    vpc,
    internetFacing: false,
    securityGroup: albSg,
    dropInvalidHeaderFields: true,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
  });
  const targetGroup = new elbv2.ApplicationTargetGroup(provider, 'TargetGroup', {
    vpc,
    port: 8080,
    protocol: elbv2.ApplicationProtocol.HTTP,
    targetType: elbv2.TargetType.IP,
    targets: [service.loadBalancerTarget({ containerName: container.containerName, containerPort: 8080 })],
    healthCheck: { path: '/api/tasks' },
  });
  const listener = alb.addListener('Listener', { port: 8888, protocol: elbv2.ApplicationProtocol.HTTP, open: false, defaultTargetGroups: [targetGroup] });
  const nlbSg = new ec2.SecurityGroup(provider, 'NlbSg', { vpc, allowAllOutbound: false });
  const nlb = new elbv2.NetworkLoadBalancer(provider, 'Nlb', {
    vpc,
    internetFacing: false,
    crossZoneEnabled: true,
    securityGroups: [nlbSg],
    enforceSecurityGroupInboundRulesOnPrivateLinkTraffic: false,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
  });
  nlb.connections.allowTo(alb, ec2.Port.tcp(8888));
  const nlbTargetGroup = new elbv2.NetworkTargetGroup(provider, 'NlbTargetGroup', {
    vpc,
    port: 8888,
    protocol: elbv2.Protocol.TCP,
    targets: [new targets.AlbListenerTarget(listener)],
    healthCheck: { protocol: elbv2.Protocol.HTTP, path: '/api/tasks' },
  });
  nlb.addListener('Listener', { port: 80, protocol: elbv2.Protocol.TCP, defaultTargetGroups: [nlbTargetGroup] });
  const endpointService = new ec2.VpcEndpointService(provider, 'EndpointService', {
    vpcEndpointServiceLoadBalancers: [nlb],
    acceptanceRequired: false,
    allowedPrincipals: [new iam.ArnPrincipal(`arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:root`)],
  });
  new CfnOutput(provider, 'EndpointServiceName', { value: endpointService.vpcEndpointServiceName });

  // ---- consumer ----
  const consumer = new Stack(app, 'Handwritten-Consumer');
  const consumerVpc = newConsumerVpc(consumer);
  const endpointSg = new ec2.SecurityGroup(consumer, 'EndpointSg', { vpc: consumerVpc, allowAllOutbound: false });
  const endpoint = new ec2.InterfaceVpcEndpoint(consumer, 'Endpoint', {
    vpc: consumerVpc,
    service: new ec2.InterfaceVpcEndpointService(endpointService.vpcEndpointServiceName, 80),
    securityGroups: [endpointSg],
    open: false,
    privateDnsEnabled: false,
  });
  const url = `http://${Fn.select(1, Fn.split(':', Fn.select(0, endpoint.vpcEndpointDnsEntries)))}:80`;
  new CfnOutput(consumer, 'Url', { value: url });
  addProbeFunction(consumer, consumerVpc, endpoint, url);
  return [provider, consumer];
}

/** The plain probe function both versions of the topology share: GETs the API through the endpoint. */
export function addProbeFunction(stack: Stack, vpc: ec2.IVpc, endpoint: ec2.IConnectable, url: string): lambda.Function {
  const probe = new lambda.Function(stack, 'Probe', {
    runtime: new lambda.Runtime('nodejs24.x', lambda.RuntimeFamily.NODEJS, { supportsInlineCode: true }),
    handler: 'index.handler',
    code: lambda.Code.fromInline(PROBE_CODE),
    vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    timeout: Duration.seconds(15),
    environment: { API_URL: url },
    logGroup: new logs.LogGroup(stack, 'ProbeLogs', { retention: logs.RetentionDays.ONE_WEEK }),
  });
  endpoint.connections.allowDefaultPortFrom(probe);
  new CfnOutput(stack, 'ProbeFunctionName', { value: probe.functionName });
  return probe;
}
