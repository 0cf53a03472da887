/**
 * Test apps shared by the security gates (cdk-nag, cfn-lint, reachability): the constructs with
 * their defaults, and with every feature on.
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { IMAGE } from './helpers';
import { EcsPrivateLinkApi, PrivateLinkConsumer } from '../src';

export const SERVICE_NAME = 'com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0';

/** Every construct with its defaults: the provider in one stack, a consumer in another. */
export function defaultsApp(app: App): Stack[] {
  const provider = new Stack(app, 'Defaults-Provider');
  new EcsPrivateLinkApi(provider, 'Api', { image: IMAGE });
  const consumer = new Stack(app, 'Defaults-Consumer');
  const vpc = new ec2.Vpc(consumer, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  vpc.addFlowLog('FlowLog');
  new PrivateLinkConsumer(consumer, 'Consumer', { vpc, serviceName: SERVICE_NAME });
  return [provider, consumer];
}

/** Every prop set: the provider with a custom health check, secrets, deletion protection...; two consumers. */
export function allFeaturesApp(app: App): Stack[] {
  const stack = new Stack(app, 'AllFeatures');
  const api = new EcsPrivateLinkApi(stack, 'Api', {
    image: IMAGE,
    containerPort: 8080,
    cpu: 512,
    memoryLimitMiB: 1024,
    desiredCount: 3,
    environment: { STAGE: 'test' },
    secrets: { TOKEN: ecs.Secret.fromSecretsManager(secretsmanager.Secret.fromSecretNameV2(stack, 'Token', 'api-token')) },
    logRetention: logs.RetentionDays.THREE_MONTHS,
    healthCheck: { path: '/api/tasks', healthyHttpCodes: '200-299', interval: Duration.seconds(15), timeout: Duration.seconds(5) },
    circuitBreaker: { enable: true, rollback: true },
    minHealthyPercent: 50,
    maxHealthyPercent: 200,
    healthCheckGracePeriod: Duration.seconds(90),
    port: 80,
    loadBalancerPort: 8888,
    crossZoneEnabled: true,
    loadBalancerIdleTimeout: Duration.seconds(120),
    networkLoadBalancerIdleTimeout: Duration.seconds(600),
    allowedPrincipals: ['111122223333', 'arn:aws:iam::444455556666:role/consumer'],
    acceptanceRequired: true,
    deletionProtection: true,
    containerInsights: true,
  });
  const consumerVpc = new ec2.Vpc(stack, 'ConsumerVpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  consumerVpc.addFlowLog('FlowLog');
  const client = new ec2.SecurityGroup(stack, 'Client', { vpc: consumerVpc, description: 'A client of the API' });
  const sameApp = new PrivateLinkConsumer(stack, 'SameAppConsumer', { vpc: consumerVpc, api, allowedPeers: [] });
  sameApp.connections.allowDefaultPortFrom(client);
  new PrivateLinkConsumer(stack, 'PinnedConsumer', {
    vpc: consumerVpc,
    serviceName: SERVICE_NAME,
    port: 443,
    availabilityZoneIds: ['euw1-az1', 'euw1-az2'],
    allowedPeers: [ec2.Peer.ipv4('10.0.0.0/16')],
    serviceRegion: 'eu-west-1',
    urlOutput: false,
  });
  return [stack];
}
