import type { RemovalPolicy } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';

/**
 * What the library's functions that act on an endpoint service's connections share: whether
 * the service is multi-region, and their logs.
 */
export interface EndpointServiceFunctionProps {
  /**
   * Whether the endpoint service takes consumers in other regions (`allowedRegions`): the
   * function then also has `vpce:AllowMultiRegion` on it.
   *
   * @default false
   */
  readonly multiRegion?: boolean;

  /**
   * How long the function's logs are kept.
   *
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * A KMS key for the function's log group.
   *
   * @default - CloudWatch Logs' own encryption
   */
  readonly logsEncryptionKey?: kms.IKey;

  /**
   * What happens to the function's log group when it leaves the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}
