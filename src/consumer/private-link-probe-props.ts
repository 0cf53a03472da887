import type { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { PrivateLinkConsumer } from './private-link-consumer';

/** Properties of a `PrivateLinkProbe`: what it calls, how often, and who hears when it fails. */
export interface PrivateLinkProbeProps {
  /** The consumer endpoint to call the API through; the probe runs in its VPC and may reach it. */
  readonly consumer: PrivateLinkConsumer;

  /**
   * The paths to GET on every run, each starting with `/` (for example a health route and one
   * real resource).
   *
   * @default ['/']
   */
  readonly paths?: string[];

  /**
   * The HTTP status a healthy answer has.
   *
   * @default 200
   */
  readonly expectedStatus?: number;

  /**
   * How often the probe runs: a whole number of minutes, 1 to 60. Each run is a period of the alarm.
   *
   * @default Duration.minutes(5)
   */
  readonly schedule?: Duration;

  /**
   * How long one GET may take before it counts as a failure, 1 to 60 seconds.
   *
   * @default Duration.seconds(5)
   */
  readonly requestTimeout?: Duration;

  /**
   * How many runs in a row must fail (or not report) before the alarm fires.
   *
   * @default 2
   */
  readonly alarmEvaluationPeriods?: number;

  /**
   * The client certificate the probe presents, for a provider whose ALB verifies them (mutual
   * TLS): a secret whose value is JSON `{"certificate": "<PEM>", "privateKey": "<PEM>"}` (the
   * certificate may be followed by its intermediate CAs; the key unencrypted). The probe may read
   * it (and decrypt it with its KMS key); it reads it once per execution environment. Its
   * VPC must reach Secrets Manager: through an interface endpoint the probe may use
   * (`endpoint.connections.allowDefaultPortFrom(probe)`), or a NAT gateway and
   * `probe.connections.allowToAnyIpv4(ec2.Port.tcp(443))`.
   *
   * @default - no client certificate
   */
  readonly clientCertificate?: secretsmanager.ISecret;

  /**
   * The topic the alarm notifies, on ALARM and on OK. The library lets CloudWatch publish to it
   * (and use its KMS key) for this account's alarms; for an imported topic you get a warning
   * with the statements its owner must add.
   *
   * @default - a new topic, encrypted with a new KMS key (about 1 USD a month) that CloudWatch
   * may use: subscribe to `probe.alarmTopic`
   */
  readonly alarmTopic?: sns.ITopic;

  /**
   * The value of the `Probe` dimension of the probe's metrics.
   *
   * @default - the construct's path
   */
  readonly probeName?: string;

  /**
   * The CloudWatch namespace of the probe's metrics (not starting with `AWS/`).
   *
   * @default 'PrivateLinkProbe'
   */
  readonly metricNamespace?: string;

  /**
   * Subnets of the probe's function, in the consumer's VPC.
   *
   * @default - the VPC's private subnets (with egress, else isolated)
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * How long the function's logs (one line per path and run) are kept.
   *
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * A KMS key for the function's log group. The library adds the key-policy statement
   * CloudWatch Logs needs to a key of this app.
   *
   * @default - CloudWatch Logs' own encryption
   */
  readonly logsEncryptionKey?: kms.IKey;

  /**
   * What happens to the function's log group, and to the KMS key of the alarm topic the probe
   * creates, when they leave the stack (a retained key costs about 1 USD a month).
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}
