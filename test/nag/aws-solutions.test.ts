import { App, Aspects, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildDemo } from '../../examples/demo/demo-stacks';
import { buildHttpsExample } from '../../examples/https/https-stacks';
import { MicroservicesStack } from '../../examples/microservices/microservices-stack';
import { allFeaturesApp, defaultsApp } from '../apps';
import { FLAG_SETTINGS } from '../helpers';

/** The AwsSolutions findings (errors and warnings) nobody acknowledged, as readable lines. */
function unacknowledgedFindings(stacks: Stack[]): string[] {
  return stacks.flatMap(stack => {
    const annotations = Annotations.fromStack(stack);
    return [
      ...annotations.findError('*', Match.stringLikeRegexp('AwsSolutions-|CdkNagValidationFailure')),
      ...annotations.findWarning('*', Match.stringLikeRegexp('AwsSolutions-|CdkNagValidationFailure')),
    ].map(m => `${m.id}: ${String(m.entry.data).split('\n')[0]}`);
  });
}

describe.each(FLAG_SETTINGS)('cdk-nag AwsSolutions with $name', ({ context }) => {
  function checked(overrides: Record<string, unknown>, build: (app: App) => Stack[]): Stack[] {
    const app = new App({ context: { ...context, ...overrides } });
    const stacks = build(app);
    Aspects.of(app).add(new AwsSolutionsChecks());
    return stacks;
  }

  test('the constructs with their defaults: no unacknowledged finding', () => {
    expect(unacknowledgedFindings(checked({}, defaultsApp))).toEqual([]);
  });

  test('the constructs with every feature on: no unacknowledged finding', () => {
    expect(unacknowledgedFindings(checked({}, allFeaturesApp))).toEqual([]);
  });

  test('the demo app: no unacknowledged finding', () => {
    expect(unacknowledgedFindings(checked({}, app => Object.values(buildDemo(app))))).toEqual([]);
  });

  test('the https app: no unacknowledged finding', () => {
    expect(unacknowledgedFindings(checked({}, app => Object.values(buildHttpsExample(app))))).toEqual([]);
  });

  test('the microservices app: no unacknowledged finding', () => {
    expect(unacknowledgedFindings(checked({}, app => [new MicroservicesStack(app, 'Microservices')]))).toEqual([]);
  });

  test('the check itself fires: a finding nobody acknowledged is reported', () => {
    // Keep this deliberate finding out of the validation report: a failed report would set
    // the process's exit code and fail the test run.
    const findings = unacknowledgedFindings(checked({ '@aws-cdk/core:annotationsInValidationReport': false }, app => {
      const stack = new Stack(app, 'Unacknowledged');
      new ec2.Vpc(stack, 'VpcWithoutFlowLog');
      return [stack];
    }));
    expect(findings).toEqual([expect.stringMatching(/AwsSolutions-VPC7/)]);
  });
});

describe('the library carries its acknowledgements, with reasons, in the template', () => {
  const suppressions = (template: Template, type: string) => Object.values(template.findResources(type))
    .flatMap(r => r.Metadata?.cdk_nag?.rules_to_suppress ?? []);

  test('ELB2: on the ALB while access logs are off (the default), always on the NLB (TCP: no NLB access logs)', () => {
    const [provider] = defaultsApp(new App());
    const template = Template.fromStack(provider);
    const rulesOf = (type: string) => Object.values(template.findResources('AWS::ElasticLoadBalancingV2::LoadBalancer', { Properties: { Type: type } }))
      .flatMap(r => r.Metadata?.cdk_nag?.rules_to_suppress ?? []);
    expect(rulesOf('application')).toEqual([
      expect.objectContaining({ id: 'AwsSolutions-ELB2', reason: expect.stringMatching(/Access logs are off by default/) }),
    ]);
    expect(rulesOf('network')).toEqual([
      expect.objectContaining({ id: 'AwsSolutions-ELB2', reason: expect.stringMatching(/NLB access logs only record TLS listeners/) }),
    ]);
    expect(suppressions(template, 'AWS::ElasticLoadBalancingV2::LoadBalancer')).toHaveLength(2);
  });

  test('ECS2 only when environment variables are given', () => {
    const [withEnv] = allFeaturesApp(new App());
    expect(suppressions(Template.fromStack(withEnv), 'AWS::ECS::TaskDefinition')).toEqual([
      expect.objectContaining({ id: 'AwsSolutions-ECS2', reason: expect.stringMatching(/secret values belong in secrets/) }),
    ]);
    const [withoutEnv] = defaultsApp(new App());
    expect(suppressions(Template.fromStack(withoutEnv), 'AWS::ECS::TaskDefinition')).toEqual([]);
  });

  test('IAM5 on the AZ-ID lookup\'s policy, scoped to the Resource::* finding', () => {
    const [stack] = allFeaturesApp(new App());
    expect(suppressions(Template.fromStack(stack), 'AWS::IAM::ManagedPolicy')).toContainEqual(
      expect.objectContaining({ id: 'AwsSolutions-IAM5', applies_to: ['Resource::*'], reason: expect.stringMatching(/ec2:DescribeSubnets/) }));
  });

  test('EC23 validation failure only on the default VPC-CIDR rule of a consumer, its own ingress resource', () => {
    const [, consumer] = defaultsApp(new App());
    const template = Template.fromStack(consumer);
    expect(suppressions(template, 'AWS::EC2::SecurityGroupIngress')).toEqual([
      expect.objectContaining({ id: 'CdkNagValidationFailure', applies_to: ['AwsSolutions-EC23'] }),
    ]);
    expect(suppressions(template, 'AWS::EC2::SecurityGroup')).toEqual([]);
    const [all] = allFeaturesApp(new App());
    expect(suppressions(Template.fromStack(all), 'AWS::EC2::SecurityGroup')).toEqual([]);
  });
});
