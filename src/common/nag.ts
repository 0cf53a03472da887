import * as cdk from 'aws-cdk-lib';
import type * as cr from 'aws-cdk-lib/custom-resources';
import { Construct, type IConstruct } from 'constructs';

/**
 * A cdk-nag finding this library leaves in place on purpose, and why.
 *
 * `id` is the rule, with the finding in brackets where the rule reports several
 * (`AwsSolutions-IAM5[Resource::*]`), as cdk-nag v3 writes it.
 */
export interface NagAcknowledgement {
  readonly id: string;
  readonly reason: string;
}

/**
 * Records acknowledgements on `scope` and the CloudFormation resources below it, for both
 * cdk-nag majors, without depending on cdk-nag:
 * - v2 reads `cdk_nag.rules_to_suppress` from each resource's template metadata;
 * - v3 reads `Validations.of(scope).acknowledge()` (aws-cdk-lib 2.257.0 and later; used
 *   when present).
 */
export function acknowledgeNagFindings(scope: IConstruct, acknowledgements: NagAcknowledgement[]): void {
  const rules = acknowledgements.map(({ id, reason }) => {
    const [, rule, finding] = /^([^[]+)(?:\[(.+)\])?$/.exec(id)!;
    return finding ? { reason, id: rule, applies_to: [finding] } : { reason, id: rule };
  });
  for (const child of scope.node.findAll()) {
    if (cdk.CfnResource.isCfnResource(child)) {
      const existing = child.getMetadata('cdk_nag')?.rules_to_suppress ?? [];
      child.addMetadata('cdk_nag', { rules_to_suppress: [...existing, ...rules] });
    }
  }
  const validations = (cdk as unknown as { Validations?: { of(s: IConstruct): { acknowledge(a: NagAcknowledgement): void } } }).Validations;
  for (const acknowledgement of acknowledgements) {
    try {
      validations?.of(scope).acknowledge(acknowledgement);
    } catch {
      // Some aws-cdk-lib versions reject finding IDs that contain '::' (IAM ARNs); the v2
      // metadata above still carries the acknowledgement.
    }
  }
}

/**
 * Acknowledges the findings on aws-cdk-lib's `AwsCustomResource` provider function (shared by
 * every AwsCustomResource of the stack): its runtime and logging policy are aws-cdk-lib's choice.
 */
export function acknowledgeCustomResourceProvider(resource: cr.AwsCustomResource): void {
  const provider = resource.grantPrincipal instanceof Construct ? resource.grantPrincipal.node.scope : undefined;
  acknowledgeNagFindings(provider ?? resource, [
    { id: 'AwsSolutions-L1', reason: 'The runtime of aws-cdk-lib\'s AwsCustomResource provider is chosen, and updated, by aws-cdk-lib.' },
    {
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: 'aws-cdk-lib\'s AwsCustomResource provider writes its logs with the AWS managed AWSLambdaBasicExecutionRole.',
    },
  ]);
}
