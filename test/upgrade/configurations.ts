/**
 * Representative configurations whose logical IDs are pinned (test/upgrade/pinned-logical-ids.json).
 * Each builds its stacks in a fresh app; the construct IDs here stand for a user's: renaming one
 * of them here would change the pins as it changes a user's stack.
 */
import { App, Aws, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { EcsPrivateLinkApi, PrivateLinkConsumer } from '../../src';
import { CERTIFICATE_ARN, SERVICE_NAME } from '../apps';
import { IMAGE } from '../helpers';

const ENV = { account: '111122223333', region: 'eu-west-1' };

/** A stack in ENV whose AZs are given as context, so nothing is looked up. */
function stackInEnv(app: App, id: string): Stack {
  const azs = `availability-zones:account=${ENV.account}:region=${ENV.region}`;
  if (app.node.tryGetContext(azs) === undefined) {
    app.node.setContext(azs, ['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
  }
  return new Stack(app, id, { env: ENV });
}

function certificate(stack: Stack): acm.ICertificate {
  return acm.Certificate.fromCertificateArn(stack, 'Certificate', CERTIFICATE_ARN);
}

/** Name → the stacks of that configuration, built in `app`. */
export const CONFIGURATIONS: Record<string, (app: App) => Stack[]> = {
  'default: one service, the library\'s VPC and cluster': app => {
    const stack = new Stack(app, 'Provider');
    new EcsPrivateLinkApi(stack, 'Api', { image: IMAGE });
    return [stack];
  },

  'HTTPS with a certificate, a redirect and a private DNS name, in a VPC of the app': app => {
    const stack = new Stack(app, 'Provider');
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
    new EcsPrivateLinkApi(stack, 'Api', {
      vpc,
      image: IMAGE,
      containerPort: 8080,
      healthCheck: { path: '/api/tasks' },
      certificate: certificate(stack),
      redirectHttp: true,
      privateDnsName: 'api.example.com',
      publicHostedZone: route53.PublicHostedZone.fromPublicHostedZoneAttributes(stack, 'Zone', {
        hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com',
      }),
    });
    return [stack];
  },

  'several services routed by path and host, with a 404 default': app => {
    const stack = new Stack(app, 'Provider');
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
    const api = new EcsPrivateLinkApi(stack, 'Api', {
      vpc,
      image: IMAGE,
      containerPort: 8080,
      port: 80,
      loadBalancerPort: 8888,
      pathPatterns: ['/api/tasks*', '/api/task/*'],
      healthCheck: { path: '/api/tasks' },
      notFoundResponse: true,
      autoScaling: { maxCapacity: 4, targetCpuUtilizationPercent: 60 },
    });
    api.addService('Orders', { image: IMAGE, pathPatterns: ['/orders', '/orders/*'] });
    api.addService('Users', { image: IMAGE, hostHeaders: ['users.example.com'], priority: 5 });
    return [stack];
  },

  'dual stack, the library\'s VPC': app => {
    const stack = new Stack(app, 'Provider');
    new EcsPrivateLinkApi(stack, 'Api', { image: IMAGE, ipAddressType: elbv2.IpAddressType.DUAL_STACK });
    return [stack];
  },

  'mutual TLS (VERIFY) with a health-check listener': app => {
    const stack = new Stack(app, 'Provider');
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
    new EcsPrivateLinkApi(stack, 'Api', {
      vpc,
      image: IMAGE,
      certificate: certificate(stack),
      mutualTls: {
        caCertificatesBundle: { bucket: s3.Bucket.fromBucketName(stack, 'CaBundles', 'example-ca-bundles'), key: 'privatelink/ca-bundle.pem' },
      },
    });
    return [stack];
  },

  'connection notifications, auto-accept and teardown': app => {
    const stack = stackInEnv(app, 'Provider');
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
    new EcsPrivateLinkApi(stack, 'Api', {
      vpc,
      image: IMAGE,
      allowedPrincipals: ['111122223333', 'arn:aws:iam::444455556666:role/consumer'],
      autoAcceptAccounts: ['111122223333'],
      rejectConnectionsOnDelete: true,
    });
    return [stack];
  },

  'consumers: one by service name, one by the API of the same app': app => {
    const provider = stackInEnv(app, 'Provider');
    const api = new EcsPrivateLinkApi(provider, 'Api', {
      vpc: new ec2.Vpc(provider, 'Vpc', { maxAzs: 2, natGateways: 1 }),
      image: IMAGE,
      allowedPrincipals: [Aws.ACCOUNT_ID],
    });
    const consumer = stackInEnv(app, 'Consumer');
    const vpc = new ec2.Vpc(consumer, 'Vpc', {
      maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
    });
    new PrivateLinkConsumer(consumer, 'SameApp', { vpc, api });
    new PrivateLinkConsumer(consumer, 'ByName', { vpc, serviceName: SERVICE_NAME, availabilityZoneIds: ['euw1-az1', 'euw1-az2'] });
    return [provider, consumer];
  },
};
