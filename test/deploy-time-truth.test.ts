/**
 * Regression tests for the defects an independent review of the synthesized templates found
 * (issue #11): each failed on the code before the fix.
 */
import { Annotations as CoreAnnotations, App, Aws, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { FLAG_SETTINGS, IMAGE, logicalIdOf, newStack, newVpc, warnings } from './helpers';
import { EcsPrivateLinkApi, PrivateLinkConsumer } from '../src';

const SERVICE = 'com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0';

describe.each(FLAG_SETTINGS)('deploy-time truth with $name', ({ context }) => {
  describe('an imported notificationTopic (defect 3)', () => {
    test('warns with the topic-policy and key-policy statements its owner must add', () => {
      // GIVEN a topic of another team, imported by ARN
      const stack = newStack(context, { account: '111122223333', region: 'eu-west-1' });
      const topic = sns.Topic.fromTopicArn(stack, 'Topic', 'arn:aws:sns:eu-west-1:111122223333:platform-alerts');
      // WHEN
      new EcsPrivateLinkApi(stack, 'Api', { image: IMAGE, notificationTopic: topic });
      // THEN
      const [message] = warnings(stack, /notificationTopic .* is imported/).map((w: any) => String(w.entry.data));
      expect(message).toContain('"Principal":{"Service":"vpce.amazonaws.com"},"Action":"sns:Publish","Resource":"arn:aws:sns:eu-west-1:111122223333:platform-alerts"');
      expect(message).toContain('"aws:SourceArn":"arn:aws:ec2:eu-west-1:111122223333:vpc-endpoint-service/<endpoint service ID>"');
      expect(message).toContain('"aws:SourceAccount":"111122223333"');
      expect(message).toContain('"Action":["kms:GenerateDataKey*","kms:Decrypt"]');
      Template.fromStack(stack).resourceCountIs('AWS::EC2::VPCEndpointConnectionNotification', 1);
    });

    test('a topic of the app gets the statement itself, and no warning', () => {
      const stack = newStack(context);
      new EcsPrivateLinkApi(stack, 'Api', { image: IMAGE, notificationTopic: new sns.Topic(stack, 'Topic') });
      expect(warnings(stack, /notificationTopic/)).toEqual([]);
      Template.fromStack(stack).hasResourceProperties('AWS::SNS::TopicPolicy', {
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'vpce.amazonaws.com' }, Action: 'sns:Publish' })]) },
      });
    });
  });

  describe('the NLB health check reaches the first service whatever its routing (defect 4)', () => {
    const healthRules = (stack: Stack) => Object.values(Template.fromStack(stack).findResources('AWS::ElasticLoadBalancingV2::ListenerRule'))
      .map(r => r.Properties).filter(p => p.Priority === 50000);

    test('a host-routed first service behind notFoundResponse: a path-only rule for its health-check path', () => {
      // GIVEN
      const stack = newStack(context);
      // WHEN
      const api = new EcsPrivateLinkApi(stack, 'Api', {
        image: IMAGE, notFoundResponse: true, hostHeaders: ['tasks.example.com'], healthCheck: { path: '/health' },
      });
      // THEN the NLB's check (no matching Host header) is forwarded to the first service, not the 404
      expect(healthRules(stack)).toEqual([{
        ListenerArn: { Ref: Stack.of(api).getLogicalId(api.listener.node.defaultChild as any) },
        Priority: 50000,
        Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/health'] } }],
        Actions: [{ Type: 'forward', TargetGroupArn: { Ref: Stack.of(api).getLogicalId(api.targetGroup.node.defaultChild as any) } }],
      }]);
    });

    test('a path-routed first service whose patterns miss the health-check path: the same rule', () => {
      const stack = newStack(context);
      new EcsPrivateLinkApi(stack, 'Api', { image: IMAGE, notFoundResponse: true, pathPatterns: ['/api/*'], healthCheck: { path: '/health' } });
      expect(healthRules(stack)).toHaveLength(1);
    });

    test('a path-routed first service whose patterns match the health-check path: no extra rule', () => {
      const stack = newStack(context);
      new EcsPrivateLinkApi(stack, 'Api', { image: IMAGE, notFoundResponse: true, pathPatterns: ['/api/*'], healthCheck: { path: '/api/health' } });
      expect(healthRules(stack)).toEqual([]);
    });

    test('a query in the health-check path is not part of the rule\'s path pattern', () => {
      const stack = newStack(context);
      new EcsPrivateLinkApi(stack, 'Api', { image: IMAGE, notFoundResponse: true, hostHeaders: ['a.example.com'], healthCheck: { path: '/health?deep=1' } });
      expect(healthRules(stack)[0].Conditions).toEqual([{ Field: 'path-pattern', PathPatternConfig: { Values: ['/health'] } }]);
    });

    test('the rule\'s priority is reserved: a service asking for it gets the library\'s clash error', () => {
      const stack = newStack(context);
      const api = new EcsPrivateLinkApi(stack, 'Api', { image: IMAGE, notFoundResponse: true, hostHeaders: ['a.example.com'] });
      expect(() => api.addService('Late', { image: IMAGE, pathPatterns: ['/late*'], priority: 50000 }))
        .toThrow(/invalid priority 50000: already used by Test\/Api\/HealthCheckRule/);
    });
  });

  describe('capacity providers (defect 6)', () => {
    test('a service with a strategy on the library\'s cluster depends on the cluster\'s capacity-provider association', () => {
      const stack = newStack(context);
      new EcsPrivateLinkApi(stack, 'Api', { image: IMAGE, capacityProviderStrategies: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }] });
      const template = Template.fromStack(stack);
      const association = logicalIdOf(template, 'AWS::ECS::ClusterCapacityProviderAssociations');
      template.hasResource('AWS::ECS::Service', { DependsOn: Match.arrayWith([association]) });
    });

    test('an imported cluster: a warning that the library can\'t see its associations', () => {
      const stack = newStack(context);
      const vpc = newVpc(stack);
      const cluster = ecs.Cluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'shared', vpc });
      new EcsPrivateLinkApi(stack, 'Api', { image: IMAGE, cluster, capacityProviderStrategies: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }] });
      expect(warnings(stack, /capacityProviderStrategies names FARGATE_SPOT, but the cluster .* is imported/)).toHaveLength(1);
    });
  });

  test('the notification key lets vpce.amazonaws.com use it for this endpoint service only (defect 7)', () => {
    const stack = newStack(context);
    new EcsPrivateLinkApi(stack, 'Api', { image: IMAGE, connectionNotifications: true });
    const template = Template.fromStack(stack);
    const service = logicalIdOf(template, 'AWS::EC2::VPCEndpointService');
    const statements = Object.values(template.findResources('AWS::KMS::Key'))[0].Properties.KeyPolicy.Statement
      .filter((s: any) => s.Principal?.Service === 'vpce.amazonaws.com');
    expect(statements).toEqual([expect.objectContaining({
      Action: expect.arrayContaining(['kms:GenerateDataKey*', 'kms:Decrypt']),
      Condition: {
        ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ec2:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':vpc-endpoint-service/', { Ref: service }]] } },
        StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
      },
    })]);
  });

  describe('IPv6 (defect 8)', () => {
    const dualStackVpc = (scope: Construct, id = 'Vpc') => new ec2.Vpc(scope, id, { maxAzs: 2, ipProtocol: ec2.IpProtocol.DUAL_STACK });

    test('a dual-stack consumer endpoint admits the VPC\'s IPv6 CIDR too, each in a rule of its own', () => {
      const stack = newStack(context);
      const vpc = dualStackVpc(stack);
      new PrivateLinkConsumer(stack, 'Consumer', { vpc, serviceName: SERVICE, serviceRegion: 'eu-west-1', ipAddressType: ec2.VpcEndpointIpAddressType.DUALSTACK });
      const rules = Object.values(Template.fromStack(stack).findResources('AWS::EC2::SecurityGroupIngress')).map(r => r.Properties);
      expect(rules).toEqual([
        expect.objectContaining({ CidrIp: stack.resolve(vpc.vpcCidrBlock), FromPort: 80 }),
        expect.objectContaining({ CidrIpv6: { 'Fn::Select': [0, stack.resolve(vpc.vpcIpv6CidrBlocks)] }, FromPort: 80 }),
      ]);
    });

    test('an IPv6-only endpoint in an imported VPC without allowedPeers: an error naming allowedPeers', () => {
      const stack = newStack(context);
      const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-1', vpcCidrBlock: '10.0.0.0/16', availabilityZones: ['a', 'b'], privateSubnetIds: ['subnet-1', 'subnet-2'] });
      expect(() => new PrivateLinkConsumer(stack, 'Consumer', { vpc, serviceName: SERVICE, serviceRegion: 'eu-west-1', ipAddressType: ec2.VpcEndpointIpAddressType.IPV6 }))
        .toThrow(/invalid ipAddressType 'ipv6': .*Give allowedPeers/);
    });

    test('a dual-stack provider in subnets without IPv6 CIDRs: an error at synth time', () => {
      const stack = newStack(context);
      expect(() => new EcsPrivateLinkApi(stack, 'Api', { image: IMAGE, vpc: newVpc(stack), ipAddressType: elbv2.IpAddressType.DUAL_STACK }))
        .toThrow(/invalid ipAddressType 'dualstack': needs load-balancer subnets with IPv6 CIDRs; .* have none/);
    });

    test('a dual-stack provider in imported subnets: a warning', () => {
      const stack = newStack(context);
      const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-1', availabilityZones: ['a', 'b'], privateSubnetIds: ['subnet-1', 'subnet-2'] });
      new EcsPrivateLinkApi(stack, 'Api', { image: IMAGE, vpc, ipAddressType: elbv2.IpAddressType.DUAL_STACK });
      expect(warnings(stack, /DUAL_STACK and the load-balancer subnets are imported/)).toHaveLength(1);
    });

    test('a dual-stack provider in a dual-stack VPC: no error, no warning', () => {
      const stack = newStack(context);
      new EcsPrivateLinkApi(stack, 'Api', { image: IMAGE, vpc: dualStackVpc(stack), ipAddressType: elbv2.IpAddressType.DUAL_STACK });
      expect(warnings(stack, /IPv6|DUAL_STACK/)).toEqual([]);
    });
  });

  test('security-group descriptions stay within EC2\'s 255 characters and character set, however deep the path (defect 9)', () => {
    // GIVEN a deep path, with characters EC2 rejects in construct IDs
    const app = new App({ context });
    let scope: Construct = new Stack(app, 'Stack');
    for (let i = 0; i < 12; i++) {
      scope = new Construct(scope, `Nested-Level-${i}-With-A-Long-Name`);
    }
    const deep = new Construct(scope, 'Team ä «api»');
    const api = new EcsPrivateLinkApi(deep, 'Api', { image: IMAGE });
    new PrivateLinkConsumer(deep, 'Consumer', { vpc: newVpc(Stack.of(api) as Stack, 'ConsumerVpc'), serviceName: SERVICE, serviceRegion: 'eu-west-1' });
    // THEN
    const template = Template.fromStack(Stack.of(api));
    const descriptions = [
      ...Object.values(template.findResources('AWS::EC2::SecurityGroup')).map(r => r.Properties.GroupDescription),
      ...Object.values(template.findResources('AWS::EC2::SecurityGroupIngress')).map(r => r.Properties.Description),
    ].filter(d => typeof d === 'string');
    expect(descriptions.length).toBeGreaterThan(4);
    for (const description of descriptions) {
      expect(description.length).toBeLessThanOrEqual(255);
      expect(description).toMatch(/^[a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]*$/);
    }
  });

  test('an accessLogsBucket encrypted with KMS: the library\'s error, not aws-cdk-lib\'s (defect 10)', () => {
    const stack = newStack(context, { account: '111122223333', region: 'eu-west-1' });
    const bucket = new s3.Bucket(stack, 'Logs', { encryptionKey: new kms.Key(stack, 'Key') });
    expect(() => new EcsPrivateLinkApi(stack, 'Api', { image: IMAGE, accessLogsBucket: bucket }))
      .toThrow(/invalid accessLogsBucket 'Test\/Logs': is encrypted with a KMS key; ALB access logs are only delivered to buckets encrypted with S3-managed keys \(SSE-S3\)/);
  });

  describe('teardown: what the library creates can go with the stack (defect 11)', () => {
    const everything = (stack: Stack, removalPolicy?: RemovalPolicy) => new EcsPrivateLinkApi(stack, 'Api', {
      image: IMAGE, connectionNotifications: true, accessLogs: true, allowedPrincipals: [Aws.ACCOUNT_ID], removalPolicy,
    });

    test('by default the log groups, the KMS key and the bucket are retained', () => {
      const stack = newStack(context, { account: '111122223333', region: 'eu-west-1' });
      everything(stack);
      const template = Template.fromStack(stack);
      for (const type of ['AWS::Logs::LogGroup', 'AWS::KMS::Key', 'AWS::S3::Bucket']) {
        const resources = Object.values(template.findResources(type));
        expect(resources.length).toBeGreaterThan(0);
        expect(resources.map(r => r.DeletionPolicy)).toEqual(resources.map(() => 'Retain'));
      }
    });

    test('removalPolicy DESTROY deletes them, and empties the bucket first', () => {
      const stack = newStack(context, { account: '111122223333', region: 'eu-west-1' });
      everything(stack, RemovalPolicy.DESTROY);
      const template = Template.fromStack(stack);
      for (const type of ['AWS::Logs::LogGroup', 'AWS::KMS::Key', 'AWS::S3::Bucket']) {
        expect(Object.values(template.findResources(type)).map(r => r.DeletionPolicy)).not.toContain('Retain');
      }
      template.resourceCountIs('Custom::S3AutoDeleteObjects', 1);
    });
  });
});

test('annotations carry the library\'s IDs, which users can acknowledge', () => {
  const stack = newStack({});
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-1', availabilityZones: ['a', 'b'], privateSubnetIds: ['subnet-1', 'subnet-2'] });
  new EcsPrivateLinkApi(stack, 'Api', { image: IMAGE, vpc, ipAddressType: elbv2.IpAddressType.DUAL_STACK });
  CoreAnnotations.of(stack).acknowledgeWarning('cdk-ecs-privatelink:dualStackSubnetsUnknown', 'our subnets have IPv6 CIDRs');
  expect(warnings(stack, /DUAL_STACK/)).toEqual([]);
});
