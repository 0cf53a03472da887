/**
 * Upgrade safety: the endpoint service name (vpce-svc-…) is what every customer configured, and
 * CloudFormation knows the service, and everything behind it, by logical ID. This suite pins the
 * logical IDs (and create-only property values) of the chain's resources in representative
 * configurations, under both feature-flag settings, against test/upgrade/pinned-logical-ids.json.
 *
 * A difference fails with what deploying it would do to the customers. When it is intended:
 *   UPDATE_PINS=1 npx jest test/upgrade/logical-ids.test.ts   (rewrites the pin file; review the diff)
 * and, for a breaking finding, commit as feat!: with a BREAKING CHANGE: footer (CONTRIBUTING.md).
 */
import { existsSync, readFileSync, writeFileSync } from 'fs';
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import { Construct } from 'constructs';
import { CONFIGURATIONS } from './configurations';
import { BREAKING_ADVICE, comparePins, PIN_FILE, pinsOf, REPLACEMENT_PROPERTIES, type StackPins } from './pins';
import { EcsPrivateLinkApi } from '../../src';
import { CERTIFICATE_ARN } from '../apps';
import { FLAG_SETTINGS, IMAGE } from '../helpers';

type PinFile = { configurations: Record<string, StackPins> };

const UPDATE = process.env.UPDATE_PINS === '1';

function synthesize(context: Record<string, unknown>): Record<string, StackPins> {
  return Object.fromEntries(Object.entries(CONFIGURATIONS).map(([name, build]) => [name, pinsOf(build(new App({ context })))]));
}

function readPins(): PinFile {
  return JSON.parse(readFileSync(PIN_FILE, 'utf8'));
}

/** The failure message: every finding, breaking ones first. */
function report(findings: ReturnType<typeof comparePins>): string {
  return [...findings].sort((a, b) => Number(b.breaking) - Number(a.breaking))
    .map(f => `${f.breaking ? 'BREAKING' : 'pins out of date'}: ${f.message}`).join('\n\n');
}

if (UPDATE) {
  // Both settings must agree (asserted below); the pins are written from the first.
  const configurations = synthesize(FLAG_SETTINGS[0].context);
  writeFileSync(PIN_FILE, JSON.stringify({
    $comment: [
      'Logical IDs and create-only property values of the PrivateLink chain, per configuration (test/upgrade/configurations.ts)',
      'and stack. A change replaces the resource in every deployed stack: see test/upgrade/logical-ids.test.ts and',
      'CONTRIBUTING.md ("Upgrade safety"). Rewrite on purpose with UPDATE_PINS=1 npx jest test/upgrade/logical-ids.test.ts.',
    ],
    configurations,
  }, undefined, 2) + '\n');
}

describe('logical-ID pins', () => {
  test('the pin file exists and covers every configuration', () => {
    expect(existsSync(PIN_FILE)).toBe(true);
    expect(Object.keys(readPins().configurations).sort()).toEqual(Object.keys(CONFIGURATIONS).sort());
  });

  test.each(FLAG_SETTINGS)('nothing of the chain changes logical ID or a create-only property, with $name', ({ context }) => {
    const pinned = readPins().configurations;
    const actual = synthesize(context);
    const findings = Object.keys(CONFIGURATIONS).flatMap(name =>
      comparePins(pinned[name] ?? {}, actual[name]).map(f => ({ ...f, message: `[${name}] ${f.message}` })));
    if (findings.length > 0) {
      throw new Error(`${findings.length} difference(s) from ${PIN_FILE}:\n\n${report(findings)}`);
    }
  });

  test('the pins cover each resource the task names, in every configuration that has it', () => {
    const pinned = readPins().configurations;
    const whats = (name: string) => Object.values(pinned[name]).flatMap(stack => Object.values(stack).map(p => p.what));
    const every = Object.keys(CONFIGURATIONS).flatMap(whats);
    for (const what of [
      'the endpoint service', 'the endpoint service\'s allowed principals', 'the NLB behind the endpoint service', 'an NLB listener',
      'the NLB\'s alb-type target group', 'the ALB', 'an ALB listener', 'an ALB listener rule', 'a service\'s target group',
      'an ECS service', 'the consumer\'s interface endpoint', 'the custom resource that sets the private DNS name',
    ]) {
      expect(every).toContain(what);
    }
    // Every provider configuration pins one endpoint service and one NLB.
    for (const name of Object.keys(CONFIGURATIONS)) {
      expect(whats(name).filter(w => w === 'the endpoint service')).toHaveLength(1);
      expect(whats(name).filter(w => w === 'the NLB behind the endpoint service')).toHaveLength(1);
    }
  });

  test('the library names nothing of the chain: no replacement can fail on a custom name', () => {
    // "CloudFormation cannot update a stack when a custom-named resource requires replacing":
    // a create-only name would turn every replacement of its resource into a failed deploy.
    const nameOf: Record<string, string> = {
      'AWS::ElasticLoadBalancingV2::LoadBalancer': 'Name',
      'AWS::ElasticLoadBalancingV2::TargetGroup': 'Name',
      'AWS::ECS::Service': 'ServiceName',
      'AWS::ECS::Cluster': 'ClusterName',
      'AWS::EC2::SecurityGroup': 'GroupName',
    };
    const pins = Object.values(readPins().configurations).flatMap(c => Object.values(c).flatMap(s => Object.entries(s)));
    expect(pins.filter(([, pin]) => pin.type in nameOf).length).toBeGreaterThan(50);
    const named = pins.filter(([, pin]) => nameOf[pin.type] in pin.createOnly).map(([id]) => id);
    expect(named).toEqual([]);
  });

  test('every pinned type has its create-only properties and reference page in replacement-properties.json', () => {
    const types = new Set(Object.values(readPins().configurations).flatMap(c => Object.values(c).flatMap(s => Object.values(s).map(p => p.type))));
    for (const type of types) {
      if (type.startsWith('Custom::')) {
        continue; // custom resources have no create-only properties
      }
      expect(REPLACEMENT_PROPERTIES[type]?.doc).toMatch(/^https:\/\/docs\.aws\.amazon\.com\/AWSCloudFormation\//);
    }
  });
});

describe('the checker explains what a change would do', () => {
  const DEFAULT = 'default: one service, the library\'s VPC and cluster';
  const pinnedDefault = () => readPins().configurations[DEFAULT];

  test('a renamed endpoint service: a NEW service name, every consumer endpoint breaks, a breaking change', () => {
    // GIVEN the default configuration, WHEN the endpoint service's logical ID changes (as a rename would)
    const app = new App();
    const [stack] = CONFIGURATIONS[DEFAULT](app);
    const api = stack.node.findChild('Api') as EcsPrivateLinkApi;
    const cfnService = api.endpointService.node.children.find(CfnResource.isCfnResource)!;
    cfnService.overrideLogicalId('ApiRenamedEndpointService');
    // THEN
    const findings = comparePins(pinnedDefault(), pinsOf([stack]));
    const serviceFinding = findings.find(f => f.message.startsWith('AWS::EC2::VPCEndpointService'));
    expect(serviceFinding).toEqual({
      breaking: true,
      message: expect.stringMatching(/^AWS::EC2::VPCEndpointService ApiEndpointService\w+ \(the endpoint service, Provider\/Api\/EndpointService\/EndpointService\) changed logical ID \(to ApiRenamedEndpointService\): CloudFormation will create a new endpoint service with a NEW service name and delete the old one — every consumer endpoint breaks\./),
    });
    expect(serviceFinding!.message).toContain(BREAKING_ADVICE);
    expect(BREAKING_ADVICE).toContain('see README \'Upgrades and changes that replace the service\' and bump the major version (feat!: / BREAKING CHANGE:)');
  });

  test('an API moved into a construct of the user\'s: every resource of the chain changes logical ID', () => {
    // GIVEN the default configuration, WHEN the user wraps the API in a construct of theirs
    const app = new App();
    const stack = new Stack(app, 'Provider');
    new EcsPrivateLinkApi(new Construct(stack, 'Apis'), 'Api', { image: IMAGE });
    // THEN every pinned resource is reported, each with its own consequence
    const findings = comparePins(pinnedDefault(), pinsOf([stack]));
    const breakingFindings = findings.filter(f => f.breaking).map(f => f.message);
    const pinned = Object.values(pinnedDefault().Provider);
    expect(breakingFindings).toHaveLength(pinned.length);
    expect(breakingFindings).toEqual(expect.arrayContaining([
      expect.stringMatching(/^AWS::EC2::VPCEndpointService .* NEW service name/),
      expect.stringMatching(/^AWS::ElasticLoadBalancingV2::LoadBalancer .*the NLB behind the endpoint service.* open connections drop/),
      expect.stringMatching(/^AWS::ElasticLoadBalancingV2::Listener .*an NLB listener.*\(DuplicateListener\)/),
      expect.stringMatching(/^AWS::ECS::Service .* twice the tasks/),
    ]));
    // each paired with its new logical ID, so nothing is left over as merely "not pinned"
    expect(breakingFindings.every(m => / changed logical ID \(to ApisApi\w+\)/.test(m))).toBe(true);
    expect(findings.filter(f => !f.breaking)).toEqual([]);
  });

  test('a changed loadBalancerPort: the alb-type target group\'s Port is create-only, so it is replaced', () => {
    // GIVEN the default configuration WHEN only loadBalancerPort changes
    const app = new App();
    const stack = new Stack(app, 'Provider');
    new EcsPrivateLinkApi(stack, 'Api', { image: IMAGE, loadBalancerPort: 8888 });
    // THEN
    const messages = comparePins(pinnedDefault(), pinsOf([stack])).map(f => f.message);
    expect(messages).toEqual(expect.arrayContaining([
      expect.stringMatching(/^AWS::ElasticLoadBalancingV2::TargetGroup \w+ \(the NLB's alb-type target group, .*\): Port changed from 80 to 8888, and Port is create-only \("Update requires: Replacement", https:\/\/docs\.aws\.amazon\.com\/AWSCloudFormation\/latest\/TemplateReference\/aws-resource-elasticloadbalancingv2-targetgroup\.html\)/),
    ]));
  });

  test('an unchanged app has no findings', () => {
    const [stack] = CONFIGURATIONS[DEFAULT](new App());
    expect(comparePins(pinnedDefault(), pinsOf([stack]))).toEqual([]);
  });

  test('a certificate added without ports: the ports default to 443, so the alb-type target group is replaced', () => {
    // GIVEN the default configuration (HTTP on 80) WHEN a certificate is added and the ports are left to their defaults
    const app = new App();
    const stack = new Stack(app, 'Provider');
    new EcsPrivateLinkApi(stack, 'Api', {
      image: IMAGE,
      certificate: acm.Certificate.fromCertificateArn(stack, 'Certificate', CERTIFICATE_ARN),
    });
    // THEN the only create-only change is the alb-type target group's port (the listeners' ports are updated in place)
    const findings = comparePins(pinnedDefault(), pinsOf([stack]));
    expect(findings.map(f => f.message)).toEqual([
      expect.stringMatching(/^AWS::ElasticLoadBalancingV2::TargetGroup ApiNetworkTargetGroup\w+ \(the NLB's alb-type target group, .*\): Port changed from 80 to 443/),
    ]);
  });
});
