import type { IConstruct } from 'constructs';
import { acknowledgeNagFindings } from '../common/nag';

/**
 * A cdk-nag finding you leave in place on purpose, and why.
 */
export interface NagFindingAcknowledgement {
  /**
   * The rule, with the finding in brackets where the rule reports several, as cdk-nag v3
   * writes it: `AwsSolutions-IAM4`, `NIST.800.53.R5-ALBWAFEnabled`,
   * `AwsSolutions-IAM5[Resource::*]`.
   */
  readonly id: string;

  /** Why the finding is acceptable here: it is kept with the resource, for auditors. */
  readonly reason: string;
}

/**
 * Acknowledges cdk-nag findings the way both cdk-nag majors read them, without a dependency
 * on cdk-nag: v2's `cdk_nag` metadata on every CloudFormation resource below `scope`, and v3's
 * `Validations.of(scope).acknowledge()` where the installed aws-cdk-lib has it.
 *
 * The library uses it for the findings its design makes false positives and for choices you
 * made explicitly; use it for your own choices, on exactly the resources they are about.
 *
 * @example
 * declare const api: EcsPrivateLinkApi;
 *
 * NagFindings.acknowledge(api.loadBalancer, [{
 *   id: 'NIST.800.53.R5-ALBWAFEnabled',
 *   reason: 'Only two partner accounts can reach this internal ALB; their requests are authenticated by mutual TLS.',
 * }]);
 */
export class NagFindings {
  /**
   * Records the acknowledgements on `scope` and every CloudFormation resource below it.
   *
   * @param scope the resource, or the construct whose resources the findings are about
   * @param acknowledgements the findings, each with its reason
   */
  public static acknowledge(scope: IConstruct, acknowledgements: NagFindingAcknowledgement[]): void {
    acknowledgeNagFindings(scope, acknowledgements);
  }

  private constructor() {}
}
