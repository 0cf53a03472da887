/**
 * The README table "Props that replace something", as a test: for each prop change, exactly the
 * create-only values (test/upgrade/replacement-properties.json) and logical IDs of the chain that
 * change, and so what CloudFormation replaces. The base is an API in a VPC of the app.
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { comparePins, pinsOf } from './pins';
import { EcsPrivateLinkApi, EcsPrivateLinkApiProps } from '../../src';
import { CERTIFICATE_ARN } from '../apps';
import { FLAG_SETTINGS, IMAGE } from '../helpers';

/** What the stack of every case has besides the API: two VPCs and a cluster. */
interface World {
  readonly stack: Stack;
  readonly vpc: ec2.Vpc;
  readonly otherVpc: ec2.Vpc;
  readonly cluster: ecs.Cluster;
}

function world(context: Record<string, unknown>): World {
  const stack = new Stack(new App({ context }), 'Provider');
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: 1,
    subnetConfiguration: [
      { name: 'Public', subnetType: ec2.SubnetType.PUBLIC },
      { name: 'Private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      { name: 'Endpoints', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    ],
  });
  const otherVpc = new ec2.Vpc(stack, 'OtherVpc', { maxAzs: 2, natGateways: 1 });
  return { stack, vpc, otherVpc, cluster: new ecs.Cluster(stack, 'Cluster', { vpc }) };
}

function pinsWith(context: Record<string, unknown>, props: (w: World) => Partial<EcsPrivateLinkApiProps>) {
  const w = world(context);
  new EcsPrivateLinkApi(w.stack, 'Api', { vpc: w.vpc, image: IMAGE, ...props(w) });
  return pinsOf([w.stack]);
}

const certificate = (w: World) => acm.Certificate.fromCertificateArn(w.stack, 'Certificate', CERTIFICATE_ARN);

/** A prop change, and what it replaces: `<what> <property>` per create-only change, `<what> (logical ID)` per new ID. */
const CASES: Array<[string, (w: World) => Partial<EcsPrivateLinkApiProps>, string[]]> = [
  ['vpc: another VPC', w => ({ vpc: w.otherVpc }), [
    'a security group of the chain VpcId', 'a security group of the chain VpcId', 'a security group of the chain VpcId',
    'a service\'s target group VpcId', 'the NLB\'s alb-type target group VpcId',
  ]],
  ['loadBalancerSubnets', () => ({ loadBalancerSubnets: { subnetGroupName: 'Endpoints' } }), []],
  ['port, loadBalancerPort not given', () => ({ port: 8080 }), ['the NLB\'s alb-type target group Port']],
  ['port, loadBalancerPort kept', () => ({ port: 8080, loadBalancerPort: 80 }), []],
  ['loadBalancerPort', () => ({ loadBalancerPort: 8888 }), ['the NLB\'s alb-type target group Port']],
  ['certificate, ports not given', w => ({ certificate: certificate(w) }), ['the NLB\'s alb-type target group Port']],
  ['certificate, ports kept', w => ({ certificate: certificate(w), port: 80 }), []],
  ['containerPort', () => ({ containerPort: 8080 }), ['a service\'s target group Port']],
  ['cluster: another one, from the library\'s own', w => ({ vpc: undefined, cluster: w.cluster }), [
    'an ECS service Cluster', 'the cluster the library created (logical ID)',
  ]],
  ['capacityProviderStrategies', () => ({ capacityProviderStrategies: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }] }), []],
  ['the in-place props', w => ({
    ipAddressType: elbv2.IpAddressType.IPV4,
    allowedPrincipals: ['111122223333'],
    allowedRegions: ['us-east-1'],
    acceptanceRequired: false,
    contributorInsights: true,
    crossZoneEnabled: false,
    enforceSecurityGroupInboundRulesOnPrivateLinkTraffic: true,
    loadBalancerIdleTimeout: Duration.seconds(30),
    networkLoadBalancerIdleTimeout: Duration.seconds(600),
    deletionProtection: true,
    healthCheck: { path: '/health', interval: Duration.seconds(10) },
    notFoundResponse: true,
    pathPatterns: ['/*'],
    privateDnsName: 'api.example.com',
    taskSubnets: { subnetGroupName: 'Endpoints' },
    allowAllOutbound: false,
    cpu: 512,
    memoryLimitMiB: 1024,
    environment: { STAGE: 'prod' },
    containerName: 'web',
    image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:stable'),
    // An HTTPS listener with mutual TLS, on the same ports.
    certificate: certificate(w),
    port: 80,
    sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
    mutualTls: { trustStore: elbv2.TrustStore.fromTrustStoreArn(w.stack, 'Store', 'arn:aws:elasticloadbalancing:eu-west-1:111122223333:truststore/cas/0123456789abcdef') },
  }), []],
];

describe.each(FLAG_SETTINGS)('what a prop change replaces, with $name', ({ context }) => {
  const base = pinsWith(context, () => ({}));

  test.each(CASES)('%s', (_name, props, replaced) => {
    // GIVEN the base API WHEN one prop changes
    const findings = comparePins(base, pinsWith(context, props)).filter(f => f.breaking);
    // THEN exactly these create-only values or logical IDs of the chain change
    const what = findings.map(f => {
      const created = /^\S+ \S+ \((.+?), \S+\): (\w+(?:\/\w+)?) changed from/.exec(f.message);
      const renamed = /^\S+ \S+ \((.+?), \S+\) changed logical ID/.exec(f.message);
      return created ? `${created[1]} ${created[2]}` : renamed ? `${renamed[1]} (logical ID)` : f.message;
    });
    expect(what.sort()).toEqual([...replaced].sort());
  });

  test('a renamed service (addService id): its listener rule is new, with the priority of the old one', () => {
    // GIVEN an API with a routed service WHEN the service's construct ID changes
    const withService = (id: string) => {
      const w = world(context);
      const api = new EcsPrivateLinkApi(w.stack, 'Api', { vpc: w.vpc, image: IMAGE });
      api.addService(id, { image: IMAGE, pathPatterns: ['/orders*'] });
      return pinsOf([w.stack]);
    };
    const findings = comparePins(withService('Orders'), withService('OrderService')).filter(f => f.breaking).map(f => f.message);
    // THEN its rule, target group, ECS service and security group get new logical IDs
    expect(findings).toEqual(expect.arrayContaining([
      expect.stringMatching(/^AWS::ElasticLoadBalancingV2::ListenerRule ApiOrdersRule\w+ .* changed logical ID \(to ApiOrderServiceRule\w+\): .*PriorityInUse/),
      expect.stringMatching(/^AWS::ECS::Service ApiOrders\w+ .* changed logical ID/),
    ]));
    expect(findings.some(m => m.startsWith('AWS::EC2::VPCEndpointService'))).toBe(false);
  });
});
