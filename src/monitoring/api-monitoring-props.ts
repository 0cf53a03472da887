import type { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { EcsPrivateLinkApi } from '../provider/ecs-privatelink-api';

/**
 * Properties of an `EcsPrivateLinkApiMonitoring`: the API to watch, where alarms go, and the
 * thresholds. Every alarm treats missing data as OK, so an idle, healthy API never alarms
 * (load balancers and PrivateLink report most metrics only while there is traffic).
 */
export interface EcsPrivateLinkApiMonitoringProps {
  /** The API to monitor: its endpoint service, NLB, ALB and every service added so far. */
  readonly api: EcsPrivateLinkApi;

  /**
   * The topic every alarm notifies, on ALARM and on OK. The library lets CloudWatch publish to
   * it (and use its KMS key) for this account's alarms; for an imported topic you get a warning
   * with the statements its owner must add.
   *
   * @default - a new topic, encrypted with a new KMS key (about 1 USD a month) that CloudWatch may use
   */
  readonly alarmTopic?: sns.ITopic;

  /**
   * Whether to create a CloudWatch dashboard of the chain: the endpoint service, the NLB's view
   * of the ALB, the ALB, and a row per service. About 3 USD a month beyond the account's first three.
   *
   * @default true
   */
  readonly dashboard?: boolean;

  /**
   * The dashboard's name: letters, digits, `-` and `_`.
   *
   * @default - a name CloudFormation generates
   */
  readonly dashboardName?: string;

  /**
   * The period each alarm evaluates: 10 or 30 seconds (high-resolution metrics only), or a
   * whole number of minutes. The load balancers and PrivateLink publish one-minute data.
   *
   * @default Duration.minutes(1)
   */
  readonly period?: Duration;

  /**
   * How many periods each alarm looks at.
   *
   * @default 5 (AWS's recommended alarms for these metrics use 5 one-minute periods)
   */
  readonly evaluationPeriods?: number;

  /**
   * How many of those periods must breach for the alarm to fire (`evaluationPeriods` in a row by default).
   *
   * @default - `evaluationPeriods`
   */
  readonly datapointsToAlarm?: number;

  /**
   * 5XX responses per period that breach: those the ALB itself returns (no healthy target, a
   * target that can't be reached) and, per service, those its tasks return.
   *
   * @default 1
   */
  readonly serverErrorThreshold?: number;

  /**
   * The 90th percentile of the services' response time (`TargetResponseTime`) above which a
   * period breaches.
   *
   * @default Duration.seconds(2)
   */
  readonly responseTimeThreshold?: Duration;

  /**
   * TCP resets per period that the endpoint service sends to consumers' endpoints
   * (`RstPacketsSent`) above which a period breaches. Resets come from unhealthy targets and
   * from idle connections the NLB forgot.
   *
   * @default 10
   */
  readonly connectionResetThreshold?: number;

  /**
   * Whether each service gets an alarm when fewer tasks run than it wants (`RunningTaskCount`
   * below `DesiredTaskCount`). These metrics exist only in clusters with CloudWatch Container
   * Insights: a cluster the API creates has it by default; for your own cluster, say whether it has it.
   *
   * @default - true when the API's cluster is one of this app with Container Insights on, else false
   */
  readonly taskCountAlarms?: boolean;

  /**
   * What happens to the KMS key of a topic the library creates when it leaves the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** The alarms of one service of the API. */
export interface ApiServiceAlarms {
  /** Targets (tasks) its target group reports unhealthy. */
  readonly unhealthyTargets: cloudwatch.Alarm;
  /** 5XX responses of its tasks. */
  readonly serverErrors: cloudwatch.Alarm;
  /** The 90th percentile of its response time. */
  readonly responseTime: cloudwatch.Alarm;
  /**
   * Fewer tasks running than desired (Container Insights).
   *
   * @default - none, without `taskCountAlarms`
   */
  readonly runningTasks?: cloudwatch.Alarm;
}
