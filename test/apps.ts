/**
 * Test apps shared by the security gates (cdk-nag, cfn-lint, reachability): the constructs with
 * their defaults, and with every feature on.
 */
import { App, Aws, Duration, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import { IMAGE } from './helpers';
import { EcsPrivateLinkApi, EcsPrivateLinkApiMonitoring, PrivateLinkConsumer, PrivateLinkProbe } from '../src';

export const SERVICE_NAME = 'com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0';
export const CERTIFICATE_ARN = 'arn:aws:acm:eu-west-1:111122223333:certificate/00000000-0000-0000-0000-000000000000';

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

/**
 * Every prop set: the provider with HTTPS, a redirect, mutual TLS, private DNS, notifications, access logs,
 * dual stack, a custom health check, secrets, deletion protection...; a second service; two consumers.
 */
export function allFeaturesApp(app: App): Stack[] {
  // A region, for access logs; its AZs given as context, so nothing is looked up.
  const stack = new Stack(app, 'AllFeatures', { env: { account: '111122223333', region: 'eu-west-1' } });
  stack.node.setContext('availability-zones:account=111122223333:region=eu-west-1', ['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
  // cfn-lint W3010 (hardcoded AZs) for this template only: an environment brings AZ names.
  // Template metadata replaces the config file's list (test/lint/cfnlintrc.yaml), so W3005 is repeated.
  stack.templateOptions.metadata = { 'cfn-lint': { config: { ignore_checks: ['W3005', 'W3010'] } } };
  const api = new EcsPrivateLinkApi(stack, 'Api', {
    certificate: acm.Certificate.fromCertificateArn(stack, 'Certificate', CERTIFICATE_ARN),
    sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
    redirectHttp: true,
    mutualTls: {
      caCertificatesBundle: { bucket: s3.Bucket.fromBucketName(stack, 'CaBundles', 'example-ca-bundles'), key: 'privatelink/ca-bundle.pem' },
      revocationLists: [{ bucket: s3.Bucket.fromBucketName(stack, 'Crls', 'example-crls'), key: 'privatelink/ca.crl', version: 'v1' }],
      advertiseTrustStoreCaNames: true,
    },
    privateDnsName: 'api.example.com',
    publicHostedZone: route53.PublicHostedZone.fromPublicHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' }),
    connectionNotifications: true,
    accessLogs: true,
    contributorInsights: true,
    allowedRegions: ['us-east-1'],
    ipAddressType: elbv2.IpAddressType.DUAL_STACK,
    autoScaling: { maxCapacity: 6, targetCpuUtilizationPercent: 60, targetRequestsPerTarget: 500 },
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
    port: 443,
    loadBalancerPort: 8443,
    crossZoneEnabled: true,
    loadBalancerIdleTimeout: Duration.seconds(120),
    networkLoadBalancerIdleTimeout: Duration.seconds(600),
    allowedPrincipals: ['111122223333', 'arn:aws:iam::444455556666:role/consumer'],
    acceptanceRequired: true,
    deletionProtection: true,
    containerInsights: true,
  });
  api.addService('Orders', {
    image: IMAGE,
    pathPatterns: ['/orders', '/orders/*'],
    capacityProviderStrategies: [{ capacityProvider: 'FARGATE', base: 1, weight: 1 }, { capacityProvider: 'FARGATE_SPOT', weight: 2 }],
    autoScaling: { minCapacity: 2, maxCapacity: 8, targetMemoryUtilizationPercent: 70 },
  });
  const consumerVpc = new ec2.Vpc(stack, 'ConsumerVpc', {
    maxAzs: 2,
    natGateways: 0,
    ipProtocol: ec2.IpProtocol.DUAL_STACK,
    subnetConfiguration: [{ name: 'private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
  consumerVpc.addFlowLog('FlowLog');
  const client = new ec2.SecurityGroup(stack, 'Client', { vpc: consumerVpc, description: 'A client of the API' });
  const sameApp = new PrivateLinkConsumer(stack, 'SameAppConsumer', {
    vpc: consumerVpc,
    api,
    allowedPeers: [],
    privateDnsEnabled: true,
    ipAddressType: ec2.VpcEndpointIpAddressType.DUALSTACK,
  });
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

/**
 * The operations features (issue #14): monitoring with a topic of its own, auto-accept, teardown,
 * and a consumer's probe with an alarm topic.
 */
export function operationsApp(app: App): Stack[] {
  const provider = new Stack(app, 'Operations-Provider');
  const api = new EcsPrivateLinkApi(provider, 'Api', {
    image: IMAGE,
    containerPort: 8080,
    healthCheck: { path: '/api/tasks' },
    allowedPrincipals: ['111122223333', 'arn:aws:iam::444455556666:role/consumer'],
    autoAcceptAccounts: ['111122223333'],
    rejectConnectionsOnDelete: true,
  });
  api.addService('Orders', { image: IMAGE, pathPatterns: ['/orders*'] });
  const monitoring = new EcsPrivateLinkApiMonitoring(provider, 'Monitoring', { api, responseTimeThreshold: Duration.millis(500), dashboardName: 'operations-test' });
  // A service added after the monitoring: monitored explicitly.
  monitoring.monitorService(api.addService('Users', { image: IMAGE, pathPatterns: ['/users*'] }));
  const consumer = new Stack(app, 'Operations-Consumer');
  const vpc = new ec2.Vpc(consumer, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  vpc.addFlowLog('FlowLog');
  const endpoint = new PrivateLinkConsumer(consumer, 'Consumer', { vpc, serviceName: SERVICE_NAME, serviceRegion: 'eu-west-1', allowedPeers: [] });
  new PrivateLinkProbe(consumer, 'Probe', {
    consumer: endpoint,
    paths: ['/api/tasks', '/orders/1'],
    schedule: Duration.minutes(1),
    alarmTopic: new sns.Topic(consumer, 'PlatformTeam', { enforceSSL: true }),
  });
  return [provider, consumer];
}

/** The stacks of `migrationApp`, and the probes that call each API through its own endpoint. */
export interface MigrationStacks {
  readonly provider: Stack;
  readonly consumer: Stack;
  readonly oldProbe: PrivateLinkProbe;
  readonly newProbe: PrivateLinkProbe;
}

/**
 * The move to a new VPC without losing customers (README "Moving to a new VPC, or any replacing
 * change, without losing customers"), halfway: the API as deployed in its old VPC, the same API
 * under a new construct ID in a new VPC, and a consumer with an endpoint (and a probe) for each.
 */
export function buildMigration(app: App): MigrationStacks {
  const provider = new Stack(app, 'TwoApis-Provider');
  const apiProps = {
    image: IMAGE,
    containerPort: 8080,
    healthCheck: { path: '/api/tasks' },
    allowedPrincipals: [Aws.ACCOUNT_ID],
    autoAcceptAccounts: [Aws.ACCOUNT_ID],
  };
  const oldVpc = new ec2.Vpc(provider, 'OldVpc', { ipAddresses: ec2.IpAddresses.cidr('10.0.0.0/16'), maxAzs: 2, natGateways: 1 });
  oldVpc.addFlowLog('FlowLog');
  // As deployed; it will be removed, and its remaining connections rejected then.
  const oldApi = new EcsPrivateLinkApi(provider, 'Api', { ...apiProps, vpc: oldVpc, rejectConnectionsOnDelete: true });
  const newVpc = new ec2.Vpc(provider, 'NewVpc', { ipAddresses: ec2.IpAddresses.cidr('10.2.0.0/16'), maxAzs: 2, natGateways: 1 });
  newVpc.addFlowLog('FlowLog');
  const newApi = new EcsPrivateLinkApi(provider, 'ApiV2', { ...apiProps, vpc: newVpc });

  const consumer = new Stack(app, 'TwoApis-Consumer');
  const vpc = new ec2.Vpc(consumer, 'Vpc', {
    ipAddresses: ec2.IpAddresses.cidr('10.1.0.0/16'),
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
  vpc.addFlowLog('FlowLog');
  const probeOf = (id: string, api: EcsPrivateLinkApi) => new PrivateLinkProbe(consumer, `${id}Probe`, {
    consumer: new PrivateLinkConsumer(consumer, id, { vpc, api, allowedPeers: [] }),
    paths: ['/api/tasks', '/api/task/2'],
  });
  return { provider, consumer, oldProbe: probeOf('TaskApi', oldApi), newProbe: probeOf('TaskApiV2', newApi) };
}

/** `buildMigration`'s stacks. */
export function migrationApp(app: App): Stack[] {
  const { provider, consumer } = buildMigration(app);
  return [provider, consumer];
}
