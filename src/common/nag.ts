import * as cdk from 'aws-cdk-lib';
import type * as cr from 'aws-cdk-lib/custom-resources';
import { Construct, type IConstruct } from 'constructs';

/**
 * A cdk-nag finding left in place on purpose, and why.
 *
 * `id` is the rule, with the finding in brackets where the rule reports several
 * (`AwsSolutions-IAM5[Resource::*]`), as cdk-nag v3 writes it.
 */
export interface NagAcknowledgement {
  readonly id: string;
  readonly reason: string;
}

/** The rule packs of cdk-nag, by the prefix of their rule IDs. */
export const NAG_PACKS = {
  NIST: 'NIST.800.53.R5',
  HIPAA: 'HIPAA.Security',
  PCI: 'PCI.DSS.321',
  SERVERLESS: 'Serverless',
} as const;
const COMPLIANCE_PACKS = [NAG_PACKS.NIST, NAG_PACKS.HIPAA, NAG_PACKS.PCI];

/**
 * The same acknowledgement for one rule in several packs (`rule` without its pack prefix):
 * NIST 800-53 R5, HIPAA Security and PCI DSS 3.2.1 unless `packs` says otherwise.
 */
export function inPacks(rule: string, reason: string, packs: readonly string[] = COMPLIANCE_PACKS): NagAcknowledgement[] {
  return packs.map(pack => ({ id: `${pack}-${rule}`, reason }));
}

/**
 * The first aws-cdk-lib whose `Validations.acknowledge` (cdk-nag v3's mechanism) accepts
 * finding IDs with `::` inside the brackets (`...[Policy::arn:<AWS::Partition>:...]`); older
 * ones throw InvalidValidationId for them, and a thrown construct error is also written to the
 * CLI's error file (`cdk.out/error.txt`) even when caught.
 */
const BRACKETED_IDS_SINCE = [2, 269, 0];

/**
 * Records acknowledgements on `scope` and the CloudFormation resources below it, for both
 * cdk-nag majors, without depending on cdk-nag:
 * - v2 reads `cdk_nag.rules_to_suppress` from each resource's template metadata;
 * - v3 reads `Validations.of(scope).acknowledge()` (aws-cdk-lib 2.257.0 and later); it is
 *   called only with IDs the installed aws-cdk-lib accepts, so nothing throws.
 */
export function acknowledgeNagFindings(scope: IConstruct, acknowledgements: NagAcknowledgement[]): void {
  const rules = acknowledgements.map(({ id, reason }) => {
    const [, rule, finding] = /^([^[]+)(?:\[(.+)\])?$/.exec(id)!;
    return finding ? { reason, id: rule, applies_to: [finding] } : { reason, id: rule };
  });
  for (const child of scope.node.findAll()) {
    if (cdk.CfnResource.isCfnResource(child)) {
      // Once each: a resource several constructs share (the stack's AwsCustomResource function)
      // must not change when a second one acknowledges the same findings.
      const existing: object[] = child.getMetadata('cdk_nag')?.rules_to_suppress ?? [];
      const known = new Set(existing.map(r => JSON.stringify(r)));
      const added = rules.filter(r => !known.has(JSON.stringify(r)));
      if (added.length > 0) {
        child.addMetadata('cdk_nag', { rules_to_suppress: [...existing, ...added] });
      }
    }
  }
  const validations = (cdk as unknown as { Validations?: { of(s: IConstruct): { acknowledge(a: NagAcknowledgement): void } } }).Validations;
  if (!validations) {
    return;
  }
  const bracketedIdsAccepted = acceptsBracketedIds();
  for (const acknowledgement of acknowledgements) {
    if (!acknowledgement.id.includes('::') || bracketedIdsAccepted) {
      validations.of(scope).acknowledge(acknowledgement);
    }
  }
}

/** Whether the installed aws-cdk-lib parses `::` inside brackets of a validation ID. */
function acceptsBracketedIds(): boolean {
  let version: number[];
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    version = (require('aws-cdk-lib/package.json').version as string).split('.').map(Number);
  } catch {
    return false;
  }
  for (let i = 0; i < BRACKETED_IDS_SINCE.length; i++) {
    if (version[i] !== BRACKETED_IDS_SINCE[i]) {
      return version[i] > BRACKETED_IDS_SINCE[i];
    }
  }
  return true;
}

/**
 * Acknowledges the findings on aws-cdk-lib's `AwsCustomResource` provider function (shared by
 * every AwsCustomResource of the stack): its runtime, role and invocation are aws-cdk-lib's.
 */
export function acknowledgeCustomResourceProvider(resource: cr.AwsCustomResource): void {
  const provider = resource.grantPrincipal instanceof Construct ? resource.grantPrincipal.node.scope : undefined;
  const ours = 'aws-cdk-lib\'s AwsCustomResource provider function';
  acknowledgeNagFindings(provider ?? resource, [
    { id: 'AwsSolutions-L1', reason: `The runtime of ${ours} is chosen, and updated, by aws-cdk-lib.` },
    { id: `${NAG_PACKS.SERVERLESS}-LambdaLatestVersion`, reason: `The runtime of ${ours} is chosen, and updated, by aws-cdk-lib.` },
    {
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: `${ours} writes its logs with the AWS managed AWSLambdaBasicExecutionRole.`,
    },
    ...customResourceFunctionAcknowledgements(ours),
    { id: `${NAG_PACKS.SERVERLESS}-LambdaTracing`, reason: `${ours} offers no tracing setting; its calls are in CloudTrail.` },
  ]);
}

/**
 * The Lambda rules that don't fit a function CloudFormation invokes for a custom resource.
 * @param what names the function in the reasons
 */
export function customResourceFunctionAcknowledgements(what: string): NagAcknowledgement[] {
  return [
    // CloudFormation waits for the function's own answer to the pre-signed URL; an event a
    // dead-letter queue could keep is a stack operation that already failed (and rolled back).
    ...inPacks('LambdaDLQ', `${what} answers CloudFormation's custom-resource requests itself; a failed invocation fails the ` +
      'stack operation, which CloudFormation rolls back, so a dead-letter queue would keep nothing to act on.',
    [NAG_PACKS.NIST, NAG_PACKS.HIPAA, NAG_PACKS.SERVERLESS]),
    // "You can reserve up to the Unreserved account concurrency value that is shown, minus 100
    // for functions that don't have reserved concurrency": in accounts with a low quota (new
    // ones), reserving any fails the deploy.
    // https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html
    ...inPacks('LambdaConcurrency', `${what} runs once per deployment; reserving concurrency for it would take from the ` +
      'account\'s unreserved pool, which Lambda keeps at 100 or more, and fails the deploy in accounts with a low quota.',
    [NAG_PACKS.NIST, NAG_PACKS.HIPAA]),
    ...inPacks('LambdaInsideVPC', `${what} only calls AWS APIs (EC2) and reaches no resource in a VPC; inside one it would ` +
      'need a NAT gateway or an EC2 interface endpoint.'),
  ];
}
