/**
 * The consumer across accounts and regions (issue #12): correct values, or the library's
 * clear error, for every combination of where the provider and the consumer are.
 */
import { App, Aws, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { FLAG_SETTINGS, IMAGE, warnings } from './helpers';
import { EcsPrivateLinkApi, EcsPrivateLinkApiProps, PrivateLinkConsumer, PrivateLinkConsumerProps } from '../src';

const ACCOUNT = '111122223333';
const OTHER_ACCOUNT = '444455556666';
const SERVICE_EU = 'com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0';

describe.each(FLAG_SETTINGS)('the consumer across environments with $name', ({ context }) => {
  /** A provider stack and a consumer stack in one app, each in the given environment. */
  function apps(providerEnv: { account?: string; region?: string } | undefined, consumerEnv: { account?: string; region?: string } | undefined,
    apiProps: Partial<EcsPrivateLinkApiProps> = {}) {
    const app = new App({ context });
    const provider = new Stack(app, 'Provider', { env: providerEnv });
    const consumer = new Stack(app, 'Consumer', { env: consumerEnv });
    const api = new EcsPrivateLinkApi(provider, 'Api', { image: IMAGE, allowedPrincipals: [Aws.ACCOUNT_ID], ...apiProps });
    const vpc = new ec2.Vpc(consumer, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'p', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const connect = (props: Partial<PrivateLinkConsumerProps> = {}) => new PrivateLinkConsumer(consumer, 'Consumer', { vpc, api, ...props });
    return { app, provider, consumer, api, connect };
  }

  describe('api in another region of the same account', () => {
    test('the service name carries the provider\'s region, and serviceRegion is set from api', () => {
      // GIVEN a provider in eu-west-1 that allows us-east-1
      const { consumer, connect } = apps({ account: ACCOUNT, region: 'eu-west-1' }, { account: ACCOUNT, region: 'us-east-1' }, {
        allowedPrincipals: [ACCOUNT], allowedRegions: ['us-east-1'],
      });
      // WHEN a consumer in us-east-1 connects to it
      const endpoint = connect();
      // THEN
      const template = Template.fromStack(consumer).toJSON();
      const [props] = Object.values<any>(template.Resources).filter(r => r.Type === 'AWS::EC2::VPCEndpoint').map(r => r.Properties);
      expect(props.ServiceRegion).toBe('eu-west-1');
      expect(props.ServiceName['Fn::Join'][1][0]).toBe('com.amazonaws.vpce.eu-west-1');
      expect(JSON.stringify(props.ServiceName)).not.toContain('AWS::Region');
      expect(JSON.stringify(consumer.resolve(endpoint.serviceName))).toContain('eu-west-1');
    });

    test('a region the provider does not allow: an error naming allowedRegions', () => {
      const { connect } = apps({ account: ACCOUNT, region: 'eu-west-1' }, { account: ACCOUNT, region: 'us-east-1' }, { allowedPrincipals: [ACCOUNT] });
      expect(() => connect()).toThrow(/Consumer\/Consumer: invalid api 'Provider\/Api': is in eu-west-1 and does not allow consumers in us-east-1: add 'us-east-1' to its allowedRegions/);
    });

    test('serviceRegion next to api: an error (api gives it)', () => {
      const { connect } = apps({ account: ACCOUNT, region: 'eu-west-1' }, { account: ACCOUNT, region: 'us-east-1' }, { allowedRegions: ['us-east-1'] });
      expect(() => connect({ serviceRegion: 'eu-west-1' })).toThrow(/invalid serviceRegion 'eu-west-1': is taken from api/);
    });

    test('the same region: no serviceRegion', () => {
      const { consumer, connect } = apps({ account: ACCOUNT, region: 'eu-west-1' }, { account: ACCOUNT, region: 'eu-west-1' }, { allowedPrincipals: [ACCOUNT] });
      connect();
      Template.fromStack(consumer).hasResourceProperties('AWS::EC2::VPCEndpoint', { ServiceRegion: Match.absent() });
    });
  });

  describe('api across accounts or environments', () => {
    test('another account: an error that recommends serviceName', () => {
      const { connect } = apps({ account: ACCOUNT, region: 'eu-west-1' }, { account: OTHER_ACCOUNT, region: 'eu-west-1' }, { allowedPrincipals: [OTHER_ACCOUNT] });
      expect(() => connect()).toThrow(/is in account 111122223333 and this consumer in 444455556666: .*Pass the provider's endpoint service name .* as serviceName/);
    });

    test('an environment-agnostic consumer of a provider with an environment: the library\'s message, not CDK\'s', () => {
      const { connect } = apps({ account: ACCOUNT, region: 'eu-west-1' }, undefined);
      expect(() => connect()).toThrow(/is in a stack with account 111122223333, region eu-west-1 and this consumer in one with account \(environment-agnostic\), region \(environment-agnostic\): CDK can only reference/);
    });

    test('both environment-agnostic: the reference works, and the consumer stack depends on the provider\'s', () => {
      const { app, provider, consumer, connect } = apps(undefined, undefined);
      connect();
      app.synth();
      expect(consumer.dependencies).toContain(provider);
    });

    test('a consumer account the provider does not name: a warning', () => {
      const { consumer, connect } = apps({ account: ACCOUNT, region: 'eu-west-1' }, { account: ACCOUNT, region: 'eu-west-1' }, { allowedPrincipals: [OTHER_ACCOUNT] });
      connect();
      expect(warnings(consumer, /may not let this consumer connect: its allowedPrincipals \(\["444455556666"\]\) do not name this stack's account \(111122223333\)/)).toHaveLength(1);
    });

    test('the provider names the consumer\'s account (or Aws.ACCOUNT_ID): no warning', () => {
      for (const principals of [[ACCOUNT], [`arn:aws:iam::${ACCOUNT}:role/deployer`], ['*']]) {
        const { consumer, connect } = apps({ account: ACCOUNT, region: 'eu-west-1' }, { account: ACCOUNT, region: 'eu-west-1' }, { allowedPrincipals: principals });
        connect();
        expect(warnings(consumer, /allowedPrincipals/)).toEqual([]);
      }
      const agnostic = apps(undefined, undefined);
      agnostic.connect();
      expect(warnings(agnostic.consumer, /allowedPrincipals/)).toEqual([]);
    });
  });

  describe('consumer self-checks', () => {
    const byName = (env: { account: string; region: string } | undefined, props: Partial<PrivateLinkConsumerProps>) => {
      const stack = new Stack(new App({ context }), 'Consumer', { env });
      const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 });
      return { stack, build: () => new PrivateLinkConsumer(stack, 'Consumer', { vpc, serviceName: SERVICE_EU, ...props }) };
    };

    test('a service of another region without serviceRegion: an error that says what to set', () => {
      const { build } = byName({ account: ACCOUNT, region: 'us-east-1' }, {});
      expect(() => build()).toThrow(/invalid serviceName '.*': is in eu-west-1 and this stack in us-east-1: for a cross-region endpoint set serviceRegion: 'eu-west-1'/);
    });

    test('serviceRegion contradicting the service name: an error', () => {
      const { build } = byName({ account: ACCOUNT, region: 'us-east-1' }, { serviceRegion: 'eu-central-1' });
      expect(() => build()).toThrow(/invalid serviceRegion 'eu-central-1': contradicts serviceName, which names eu-west-1/);
    });

    test('cross-region by name, done right: the endpoint has serviceRegion', () => {
      const { stack, build } = byName({ account: ACCOUNT, region: 'us-east-1' }, { serviceRegion: 'eu-west-1' });
      build();
      Template.fromStack(stack).hasResourceProperties('AWS::EC2::VPCEndpoint', { ServiceRegion: 'eu-west-1', ServiceName: SERVICE_EU });
    });

    test('an environment-agnostic stack: a warning, since its region is only known at deploy time', () => {
      const { stack, build } = byName(undefined, {});
      build();
      expect(warnings(stack, /serviceName is in eu-west-1 and this stack is environment-agnostic/)).toHaveLength(1);
    });

    test('AZ IDs of another region: an error', () => {
      const { build } = byName({ account: ACCOUNT, region: 'us-east-1' }, { serviceRegion: 'eu-west-1', availabilityZoneIds: ['euw1-az1'] });
      expect(() => build()).toThrow(/invalid availabilityZoneIds 'euw1-az1': each must be an AZ ID of this stack's region us-east-1 \(use1-az<n>\)/);
    });

    test('AZ IDs of the stack\'s region: fine', () => {
      const { build } = byName({ account: ACCOUNT, region: 'eu-west-1' }, { availabilityZoneIds: ['euw1-az1', 'euw1-az2'] });
      expect(() => build()).not.toThrow();
    });

    test('a port other than api\'s: an error', () => {
      const { connect } = apps(undefined, undefined, { port: 8080 });
      expect(() => connect({ port: 80 })).toThrow(/invalid port 80: must be api's port \(8080\)/);
    });

    test('subnets in AZs the provider\'s NLB does not serve: an error naming them', () => {
      // GIVEN one account and region, the NLB in a and b, the consumer in b and c
      const env = { account: ACCOUNT, region: 'eu-west-1' };
      const app = new App({ context: { ...context, [`availability-zones:account=${ACCOUNT}:region=eu-west-1`]: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'] } });
      const stack = new Stack(app, 'Both', { env });
      const providerVpc = new ec2.Vpc(stack, 'ProviderVpc', { availabilityZones: ['eu-west-1a', 'eu-west-1b'] });
      const api = new EcsPrivateLinkApi(stack, 'Api', { image: IMAGE, vpc: providerVpc, allowedPrincipals: [ACCOUNT] });
      const consumerVpc = new ec2.Vpc(stack, 'ConsumerVpc', { availabilityZones: ['eu-west-1b', 'eu-west-1c'] });
      // THEN
      expect(api.availabilityZones).toEqual(['eu-west-1a', 'eu-west-1b']);
      expect(() => new PrivateLinkConsumer(stack, 'Consumer', { vpc: consumerVpc, api }))
        .toThrow(/invalid subnets \["eu-west-1c"\]: are AZs the provider's NLB does not serve \(eu-west-1a, eu-west-1b\)/);
    });

    test('an imported VPC without a CIDR block: the library\'s message, not aws-cdk-lib\'s', () => {
      const stack = new Stack(new App({ context }), 'Consumer');
      const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-1', availabilityZones: ['a', 'b'], privateSubnetIds: ['subnet-1', 'subnet-2'] });
      expect(() => new PrivateLinkConsumer(stack, 'Consumer', { vpc, serviceName: SERVICE_EU, serviceRegion: 'eu-west-1' }))
        .toThrow(/invalid vpc 'Consumer\/Vpc': has no CIDR block .* pass vpcCidrBlock when you import the VPC, or give allowedPeers/);
      expect(() => new PrivateLinkConsumer(stack, 'WithPeers', { vpc, serviceName: SERVICE_EU, serviceRegion: 'eu-west-1', allowedPeers: [] })).not.toThrow();
    });
  });

  describe('HTTPS across accounts: url uses the name the certificate covers', () => {
    const stack = () => new Stack(new App({ context }), 'Consumer', { env: { account: OTHER_ACCOUNT, region: 'eu-west-1' } });

    test('serviceName with privateDnsName and privateDnsEnabled: https://<the provider\'s name>:443', () => {
      const s = stack();
      const consumer = new PrivateLinkConsumer(s, 'Consumer', {
        vpc: new ec2.Vpc(s, 'Vpc', { maxAzs: 2 }), serviceName: SERVICE_EU, port: 443, privateDnsEnabled: true, privateDnsName: 'api.example.com',
      });
      expect(consumer.url).toBe('https://api.example.com:443');
      Template.fromStack(s).hasResourceProperties('AWS::EC2::VPCEndpoint', { PrivateDnsEnabled: true });
    });

    test('privateDnsName without privateDnsEnabled: an error (the name would not resolve to the endpoint)', () => {
      const s = stack();
      expect(() => new PrivateLinkConsumer(s, 'Consumer', { vpc: new ec2.Vpc(s, 'Vpc', { maxAzs: 2 }), serviceName: SERVICE_EU, privateDnsName: 'api.example.com' }))
        .toThrow(/invalid privateDnsName 'api.example.com': needs privateDnsEnabled: true/);
    });

    test('a wildcard provider name: the consumer names the host it calls, under the wildcard', () => {
      const app = new App({ context });
      const s = new Stack(app, 'Both');
      const certificate = acm.Certificate.fromCertificateArn(s, 'Cert', 'arn:aws:acm:eu-west-1:111122223333:certificate/abc');
      const api = new EcsPrivateLinkApi(s, 'Api', { image: IMAGE, certificate, privateDnsName: '*.example.com', allowedPrincipals: [Aws.ACCOUNT_ID] });
      const vpc = new ec2.Vpc(s, 'Vpc', { maxAzs: 2 });
      expect(() => new PrivateLinkConsumer(s, 'NoHost', { vpc, api, privateDnsEnabled: true })).toThrow(/privateDnsName .*is needed: api's private DNS name is a wildcard/);
      expect(() => new PrivateLinkConsumer(s, 'Outside', { vpc, api, privateDnsEnabled: true, privateDnsName: 'api.example.org' })).toThrow(/must be api's private DNS name \(\*\.example\.com\)/);
      expect(new PrivateLinkConsumer(s, 'Orders', { vpc, api, privateDnsEnabled: true, privateDnsName: 'orders.example.com' }).url).toBe('https://orders.example.com:443');
    });
  });
});
