/**
 * cdk-nag's AwsSolutions, NIST 800-53 R5, HIPAA Security, PCI DSS 3.2.1 and Serverless packs
 * over the library and the examples (issue #13): what the library acknowledges is a false
 * positive of its design or a choice its user made explicitly, on exactly that resource.
 */
import { existsSync, mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { App, Aws, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as kms from 'aws-cdk-lib/aws-kms';
import { checkedApp, unacknowledgedFindings } from './packs';
import { buildDemo } from '../../examples/demo/demo-stacks';
import { buildHttpsExample } from '../../examples/https/https-stacks';
import { MicroservicesStack } from '../../examples/microservices/microservices-stack';
import { EcsPrivateLinkApi, PrivateLinkConsumer } from '../../src';
import { allFeaturesApp, defaultsApp } from '../apps';
import { FLAG_SETTINGS, IMAGE } from '../helpers';

const SERVICE = 'com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0';

/** The same rule in the NIST, HIPAA and PCI packs. */
const inPacks = (at: string, rule: string) => ['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321'].map(pack => `${at} ${pack}-${rule}`);

describe.each(FLAG_SETTINGS)('compliance packs with $name', ({ context }) => {
  test('the API with its defaults: only the choices it leaves to you stay visible', () => {
    // GIVEN
    const app = checkedApp(context);
    const stack = new Stack(app, 'Defaults');
    // WHEN
    new EcsPrivateLinkApi(stack, 'Api', { image: IMAGE });
    // THEN: access logs, deletion protection, HTTP, a web ACL and log encryption are yours to choose
    expect(unacknowledgedFindings([stack])).toEqual([
      ...inPacks('Api/FlowLogs/Resource', 'CloudWatchLogGroupEncrypted'),
      ...inPacks('Api/LoadBalancer/Listener/Resource', 'ALBHttpToHttpsRedirection'),
      ...inPacks('Api/LoadBalancer/Listener/Resource', 'ELBv2ACMCertificateRequired'),
      'Api/LoadBalancer/Resource AwsSolutions-ELB2',
      'Api/LoadBalancer/Resource HIPAA.Security-ELBDeletionProtectionEnabled',
      'Api/LoadBalancer/Resource NIST.800.53.R5-ELBDeletionProtectionEnabled',
      ...inPacks('Api/LoadBalancer/Resource', 'ELBLoggingEnabled'),
      'Api/LoadBalancer/Resource NIST.800.53.R5-ALBWAFEnabled',
      'Api/LoadBalancer/Resource PCI.DSS.321-ALBWAFEnabled',
      ...inPacks('Api/Logs/Resource', 'CloudWatchLogGroupEncrypted'),
      'Api/NetworkLoadBalancer/Resource HIPAA.Security-ELBDeletionProtectionEnabled',
      'Api/NetworkLoadBalancer/Resource NIST.800.53.R5-ELBDeletionProtectionEnabled',
    ].sort());
  });

  test('every choice made explicitly, every feature on: no finding on what the library creates', () => {
    // GIVEN a provider and a consumer that choose everything the findings ask about
    const app = checkedApp(context);
    const stack = new Stack(app, 'Explicit', { env: { account: '111122223333', region: 'eu-west-1' } });
    stack.node.setContext('availability-zones:account=111122223333:region=eu-west-1', ['eu-west-1a', 'eu-west-1b']);
    const key = new kms.Key(stack, 'LogsKey', { enableKeyRotation: true });
    new EcsPrivateLinkApi(stack, 'Api', {
      image: IMAGE,
      protocol: elbv2.ApplicationProtocol.HTTP,
      accessLogs: true,
      deletionProtection: false,
      webAclArn: 'arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/api/00000000-0000-0000-0000-000000000000',
      logsEncryptionKey: key,
      privateDnsName: 'api.example.com',
      connectionNotifications: true,
      allowedPrincipals: [Aws.ACCOUNT_ID],
    });
    const vpc = new ec2.Vpc(stack, 'ConsumerVpc', { maxAzs: 2 });
    new PrivateLinkConsumer(stack, 'Consumer', { vpc, serviceName: SERVICE, availabilityZoneIds: ['euw1-az1'], logsEncryptionKey: key });
    // THEN nothing of the library's is flagged (what stays is the test's own VPC)
    expect(unacknowledgedFindings([stack]).filter(f => !f.startsWith('ConsumerVpc/'))).toEqual([]);
  });

  test('widening the consumer\'s security group is flagged by every pack: the acknowledgement covers only the VPC-CIDR rule', () => {
    // GIVEN a consumer with its default peer (the VPC CIDR, acknowledged on its own ingress rule)
    const app = checkedApp(context);
    const stack = new Stack(app, 'Widened');
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 });
    const consumer = new PrivateLinkConsumer(stack, 'Consumer', { vpc, serviceName: SERVICE, serviceRegion: 'eu-west-1' });
    // WHEN someone opens it to the internet, on SSH and on the API's port
    consumer.connections.allowFrom(ec2.Peer.anyIpv4(), ec2.Port.tcp(22));
    consumer.connections.allowFrom(ec2.Peer.anyIpv4(), ec2.Port.tcp(80));
    // THEN
    const findings = unacknowledgedFindings([stack]);
    expect(findings).toEqual(expect.arrayContaining([
      'Consumer/SecurityGroup/Resource AwsSolutions-EC23',
      ...inPacks('Consumer/SecurityGroup/Resource', 'EC2RestrictedSSH'),
    ]));
    expect(findings.filter(f => f.startsWith('Consumer/VpcIngress'))).toEqual([]);
  });

  test('the check itself fires: a finding nobody acknowledged is reported', () => {
    const app = checkedApp(context);
    const stack = new Stack(app, 'Unacknowledged');
    new ec2.Vpc(stack, 'VpcWithoutFlowLog');
    expect(unacknowledgedFindings([stack])).toContain('VpcWithoutFlowLog/Resource AwsSolutions-VPC7');
  });
});

describe('the library carries its acknowledgements, with reasons, in the template', () => {
  const suppressions = (template: Template, type: string, props: Record<string, unknown> = {}) =>
    Object.values(template.findResources(type, props)).flatMap(r => r.Metadata?.cdk_nag?.rules_to_suppress ?? []);
  const albOf = (props: Record<string, unknown>) => {
    const stack = new Stack(new App(), 'Test');
    new EcsPrivateLinkApi(stack, 'Api', { image: IMAGE, ...props });
    return suppressions(Template.fromStack(stack), 'AWS::ElasticLoadBalancingV2::LoadBalancer', { Properties: { Type: 'application' } });
  };

  test('ELB2 on the ALB only when the user turned access logs off explicitly', () => {
    expect(albOf({}).map(r => r.id)).not.toContain('AwsSolutions-ELB2');
    expect(albOf({ accessLogs: false })).toContainEqual(expect.objectContaining({ id: 'AwsSolutions-ELB2', reason: expect.stringMatching(/accessLogs: false/) }));
  });

  test('ELB2 and ELBLoggingEnabled always on the NLB: a TCP NLB has no access logs', () => {
    const [provider] = defaultsApp(new App());
    const nlb = suppressions(Template.fromStack(provider), 'AWS::ElasticLoadBalancingV2::LoadBalancer', { Properties: { Type: 'network' } });
    expect(nlb.map(r => r.id).sort()).toEqual(['AwsSolutions-ELB2', 'HIPAA.Security-ELBLoggingEnabled', 'NIST.800.53.R5-ELBLoggingEnabled', 'PCI.DSS.321-ELBLoggingEnabled']);
  });

  test('ECS2 is never acknowledged by the library: it can\'t know environment values aren\'t secrets', () => {
    const [withEnv] = allFeaturesApp(new App());
    expect(suppressions(Template.fromStack(withEnv), 'AWS::ECS::TaskDefinition').map(r => r.id)).not.toContain('AwsSolutions-ECS2');
  });

  test('IAM5 on the AZ-ID lookup\'s policy, scoped to the Resource::* finding', () => {
    const [stack] = allFeaturesApp(new App());
    expect(suppressions(Template.fromStack(stack), 'AWS::IAM::ManagedPolicy')).toContainEqual(
      expect.objectContaining({ id: 'AwsSolutions-IAM5', applies_to: ['Resource::*'], reason: expect.stringMatching(/ec2:DescribeSubnets/) }));
  });

  test('EC23 and its NIST/HIPAA/PCI variants only on the consumer\'s default VPC-CIDR rule, its own ingress resource', () => {
    const [, consumer] = defaultsApp(new App());
    const template = Template.fromStack(consumer);
    expect(suppressions(template, 'AWS::EC2::SecurityGroupIngress').map(r => `${r.id}[${r.applies_to}]`).sort()).toEqual([
      'CdkNagValidationFailure[AwsSolutions-EC23]',
      'CdkNagValidationFailure[HIPAA.Security-EC2RestrictedCommonPorts]',
      'CdkNagValidationFailure[HIPAA.Security-EC2RestrictedSSH]',
      'CdkNagValidationFailure[NIST.800.53.R5-EC2RestrictedCommonPorts]',
      'CdkNagValidationFailure[NIST.800.53.R5-EC2RestrictedSSH]',
      'CdkNagValidationFailure[PCI.DSS.321-EC2RestrictedCommonPorts]',
      'CdkNagValidationFailure[PCI.DSS.321-EC2RestrictedSSH]',
    ]);
    expect(suppressions(template, 'AWS::EC2::SecurityGroup')).toEqual([]);
  });

  test('no stray files: synthesizing privateDnsName, availabilityZoneIds and the examples (a probe in isolated subnets) writes no CDK error file', () => {
    // GIVEN the CLI's error file, which aws-cdk-lib writes on every construct error, caught or not
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'cdk-error-')), 'error.txt');
    const before = process.env.CDK_ERROR_FILE;
    process.env.CDK_ERROR_FILE = file;
    try {
      // WHEN
      const app = new App({ outdir: path.dirname(file) });
      allFeaturesApp(app);
      defaultsApp(app);
      buildDemo(app);
      buildHttpsExample(app);
      app.synth();
    } finally {
      // (assigning undefined would set the string "undefined": later errors would land in ./undefined)
      if (before === undefined) {
        delete process.env.CDK_ERROR_FILE;
      } else {
        process.env.CDK_ERROR_FILE = before;
      }
    }
    // THEN
    expect(existsSync(file)).toBe(false);
  });
});

describe.each(FLAG_SETTINGS)('the examples under every pack with $name', ({ context }) => {
  test.each<[string, (app: App) => Stack[]]>([
    ['demo', app => Object.values(buildDemo(app))],
    ['https', app => Object.values(buildHttpsExample(app))],
    ['microservices', app => [new MicroservicesStack(app, 'Microservices')]],
  ])('%s: no unacknowledged finding', (_name, build) => {
    const app = checkedApp(context);
    expect(unacknowledgedFindings(build(app))).toEqual([]);
  });
});
