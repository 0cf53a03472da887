/**
 * The migration path for a change that would replace the endpoint service (README "Moving to a new
 * VPC, or any replacing change, without losing customers"): a second EcsPrivateLinkApi next to the
 * first, both service names offered while customers move, then the first removed. That needs two
 * APIs in one stack to synthesize without collisions, and neither to disturb the other's logical IDs.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { EcsPrivateLinkApi, EcsPrivateLinkApiProps } from '../../src';
import { FLAG_SETTINGS, IMAGE, warnings } from '../helpers';

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

/** Properties that hold a physical name (or a value that must be unique in an account and region). */
const NAME_PROPERTIES = [
  'Name', 'ServiceName', 'ClusterName', 'GroupName', 'FunctionName', 'LogGroupName', 'TopicName', 'RoleName',
  'PolicyName', 'ManagedPolicyName', 'QueueName', 'BucketName', 'Family', 'AliasName', 'TrustStoreName', 'DashboardName',
];

/** Where the APIs go, and what they share. */
interface Layout {
  readonly name: string;
  readonly build: (stack: Stack) => { first: Partial<EcsPrivateLinkApiProps>; second: Partial<EcsPrivateLinkApiProps> };
}

const zone = (stack: Stack) => (stack.node.tryFindChild('Zone') as route53.IPublicHostedZone | undefined) ??
  route53.PublicHostedZone.fromPublicHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' });
const vpcOf = (stack: Stack, id: string) => new ec2.Vpc(stack, id, { maxAzs: 2, natGateways: 1 });

const LAYOUTS: Layout[] = [
  {
    name: 'the same VPC and the same cluster',
    build: stack => {
      const cluster = new ecs.Cluster(stack, 'Cluster', { vpc: vpcOf(stack, 'Vpc') });
      return { first: { cluster }, second: { cluster } };
    },
  },
  {
    name: 'the same VPC, a cluster each',
    build: stack => {
      const vpc = vpcOf(stack, 'Vpc');
      return { first: { vpc }, second: { vpc } };
    },
  },
  {
    name: 'a VPC each (the move to a new VPC)',
    build: stack => ({ first: { vpc: vpcOf(stack, 'OldVpc') }, second: { vpc: vpcOf(stack, 'NewVpc') } }),
  },
  {
    name: 'the library\'s own VPC and cluster each',
    build: () => ({ first: {}, second: {} }),
  },
];

/** Both APIs use every feature that adds a resource the library could share or name. */
function features(stack: Stack, name: string): Partial<EcsPrivateLinkApiProps> {
  return {
    image: IMAGE,
    privateDnsName: `${name}.example.com`,
    publicHostedZone: zone(stack),
    allowedPrincipals: ['111122223333'],
    autoAcceptAccounts: ['111122223333'],
    rejectConnectionsOnDelete: true,
  };
}

function synth(context: Record<string, unknown>, layout: Layout, which: { first: boolean; second: boolean }): Resources {
  const stack = new Stack(new App({ context }), 'Provider', { env: { account: '111122223333', region: 'eu-west-1' } });
  stack.node.setContext('availability-zones:account=111122223333:region=eu-west-1', ['eu-west-1a', 'eu-west-1b']);
  const { first, second } = layout.build(stack);
  if (which.first) {
    new EcsPrivateLinkApi(stack, 'Api', { ...features(stack, 'api'), ...first });
  }
  if (which.second) {
    new EcsPrivateLinkApi(stack, 'ApiV2', { ...features(stack, 'api-v2'), ...second });
  }
  return Template.fromStack(stack).toJSON().Resources;
}

/**
 * aws-cdk-lib's stack-wide provider of `restrictDefaultSecurityGroup`: its role may change the
 * default security group of every VPC of the stack, so a VPC more (the library's own, for the
 * second API) adds a statement to its policy, updated in place. Nothing of the chain.
 */
const SHARED_BY_EVERY_VPC = /^CustomVpcRestrictDefaultSGCustomResourceProviderRole/;

/** The resources of `before` that are missing or different in `after` (besides SHARED_BY_EVERY_VPC). */
function changed(before: Resources, after: Resources): string[] {
  return Object.entries(before)
    .filter(([id, resource]) => !SHARED_BY_EVERY_VPC.test(id) && JSON.stringify(after[id]) !== JSON.stringify(resource))
    .map(([id, resource]) => `${resource.Type} ${id}${after[id] ? ' changed' : ' is gone'}`);
}

const ofType = (resources: Resources, type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);

describe.each(FLAG_SETTINGS)('two EcsPrivateLinkApi in one stack, with $name', ({ context }) => {
  describe.each(LAYOUTS)('in $name', layout => {
    let both: Resources;
    beforeAll(() => {
      both = synth(context, layout, { first: true, second: true });
    });

    test('two endpoint services, two NLBs, two ALBs: two service names to offer', () => {
      expect(ofType(both, 'AWS::EC2::VPCEndpointService')).toHaveLength(2);
      const loadBalancers = ofType(both, 'AWS::ElasticLoadBalancingV2::LoadBalancer').map(([, r]) => r.Properties!.Type);
      expect(loadBalancers.sort()).toEqual(['application', 'application', 'network', 'network']);
      // Each service on its own NLB: an NLB can be associated with one endpoint service only.
      // https://docs.aws.amazon.com/vpc/latest/privatelink/create-endpoint-service.html
      const nlbsOfServices = ofType(both, 'AWS::EC2::VPCEndpointService').map(([, r]) => JSON.stringify(r.Properties!.NetworkLoadBalancerArns));
      expect(new Set(nlbsOfServices).size).toBe(2);
    });

    test('no physical name is used twice', () => {
      const names = Object.entries(both).flatMap(([id, r]) => NAME_PROPERTIES
        .filter(p => r.Properties?.[p] !== undefined)
        .map(p => ({ id, name: `${r.Type}.${p}=${JSON.stringify(r.Properties![p])}` })));
      const seen = new Map<string, string>();
      const duplicates = names.filter(({ id, name }) => {
        const other = seen.get(name);
        seen.set(name, id);
        return other !== undefined && other !== id;
      });
      expect(duplicates).toEqual([]);
    });

    test('adding the second API leaves every resource of the first as it was (logical IDs and properties)', () => {
      const alone = synth(context, layout, { first: true, second: false });
      expect(changed(alone, both)).toEqual([]);
    });

    test('removing the first API (the end of the move) leaves every resource of the second as it was', () => {
      const second = synth(context, layout, { first: false, second: true });
      expect(changed(second, both)).toEqual([]);
    });
  });
});

describe('the stack\'s one custom-resource log group', () => {
  const api = (stack: Stack, id: string, props: Partial<EcsPrivateLinkApiProps>) => new EcsPrivateLinkApi(stack, id, {
    image: IMAGE, privateDnsName: `${id.toLowerCase()}.example.com`, allowedPrincipals: ['111122223333'], ...props,
  });

  test('a second API with another logsEncryptionKey hears that the first API\'s settings apply', () => {
    // GIVEN / WHEN two APIs with private DNS names (the AwsCustomResource) and different keys
    const stack = new Stack(new App(), 'Provider');
    api(stack, 'Old', {});
    api(stack, 'New', { logsEncryptionKey: new kms.Key(stack, 'Key') });
    // THEN one log group, and a warning on the second API naming the first
    expect(Object.keys(Template.fromStack(stack).findResources('AWS::Logs::LogGroup')).filter(id => id.startsWith('CdkEcsPrivateLinkCustomResourceLogs')))
      .toHaveLength(1);
    expect(warnings(stack, /sharedCustomResourceLogs/).map(w => (w as { id: string }).id)).toEqual(['/Provider/New/PrivateDnsName']);
    expect(JSON.stringify(warnings(stack, /sharedCustomResourceLogs/))).toContain('was made for Provider/Old/PrivateDnsName');
  });

  test('two APIs with the same settings: no warning', () => {
    const stack = new Stack(new App(), 'Provider');
    api(stack, 'Old', {});
    api(stack, 'New', {});
    expect(warnings(stack, /sharedCustomResourceLogs/)).toEqual([]);
  });
});
