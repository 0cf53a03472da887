import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as cxapi from 'aws-cdk-lib/cx-api';

/** The flag this library must behave the same under, on or off. */
export const NLB_SG_FLAG = '@aws-cdk/aws-elasticloadbalancingv2:networkLoadBalancerWithSecurityGroupByDefault';

/**
 * Every suite runs twice: with no feature flags (an old app), and with every flag
 * the tested aws-cdk-lib recommends for new projects (`cdk init`).
 */
export const FLAG_SETTINGS: Array<{ name: string; context: Record<string, unknown> }> = [
  { name: 'no feature flags', context: {} },
  { name: 'recommended feature flags', context: { ...cxapi.CURRENTLY_RECOMMENDED_FLAGS } },
];

/** A new app and stack. Environment-agnostic unless an env is given. */
export function newStack(context: Record<string, unknown>, env?: { account: string; region: string }): Stack {
  const app = new App({ context });
  return new Stack(app, 'Test', { env });
}

/** A VPC with 2 AZs, public and private subnets, no lookups. */
export function newVpc(stack: Stack, id = 'Vpc'): ec2.Vpc {
  return new ec2.Vpc(stack, id, { maxAzs: 2, natGateways: 1 });
}

export const IMAGE = ecs.ContainerImage.fromRegistry('lvthillo/python-flask-api');

/** The logical ID of the only resource of `type` whose properties match `props`. */
export function logicalIdOf(template: Template, type: string, props: Record<string, unknown> = {}): string {
  const found = Object.keys(template.findResources(type, { Properties: Match.objectLike(props) }));
  if (found.length !== 1) {
    throw new Error(`expected 1 ${type} matching ${JSON.stringify(props)}, found ${found.length}`);
  }
  return found[0];
}

/** `{ 'Fn::GetAtt': [id, 'GroupId'] }`, the way rules reference a security group. */
export function groupIdOf(logicalId: string): Record<string, unknown> {
  return { 'Fn::GetAtt': [logicalId, 'GroupId'] };
}

/** Warnings of the stack whose text matches `pattern`. */
export function warnings(stack: Stack, pattern: RegExp): unknown[] {
  return Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(pattern.source));
}
