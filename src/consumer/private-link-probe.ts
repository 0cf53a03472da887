import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { PrivateLinkProbeProps } from './private-link-probe-props';
import { clientIdentity, emfRecord, getWithCertificate, probeHandler, probePath } from './private-link-probe.handler';
import { probeTimeout, validateProbeProps } from './probe-validation';
import {
  acknowledgeNagFindings, alarmTopicFor, allowLogsToUseKey, ec2Description, inlineHandler, inPacks, LibraryFunction,
  NAG_PACKS, notifyOnAlarm, Validator,
} from '../common';

const DEFAULT_NAMESPACE = 'PrivateLinkProbe';

/**
 * A canary in the consumer's VPC: a function that GETs given paths of the API through the
 * PrivateLink endpoint on a schedule, publishes `Success` and `Latency` metrics, and alarms when
 * the API is unreachable. It can also be invoked on demand with `{"path": "/api/task/2"}`, and
 * then returns the API's answer (and fails on an unexpected status).
 *
 * Metrics are written in CloudWatch embedded metric format to the function's logs, which
 * Lambda delivers itself: the probe needs no route out of the VPC. Its security group may only
 * reach the endpoint, on the service's port. The alarm treats missing data as failing: a probe
 * that didn't run, or couldn't report, is as bad as an API that didn't answer.
 *
 * @example
 * declare const consumer: PrivateLinkConsumer;
 *
 * const probe = new PrivateLinkProbe(this, 'Probe', {
 *   consumer,
 *   paths: ['/api/tasks', '/api/task/2'],
 *   schedule: Duration.minutes(5),
 * });
 * // aws lambda invoke --function-name <probe.lambdaFunction.functionName> --payload '{"path":"/api/task/2"}' out.json
 */
export class PrivateLinkProbe extends Construct implements ec2.IConnectable {
  /** The probe's function. */
  public readonly lambdaFunction: lambda.IFunction;
  /** The function's log group: one EMF line per path and run. */
  public readonly logGroup: logs.ILogGroup;
  /** The rule that runs the probe on its schedule. */
  public readonly rule: events.Rule;
  /** Fires when runs fail (or don't report) `alarmEvaluationPeriods` times in a row. */
  public readonly unreachableAlarm: cloudwatch.Alarm;
  /** The topic the alarm notifies: `alarmTopic`, or one the probe created. */
  public readonly alarmTopic: sns.ITopic;
  /** The probe's name: the value of its metrics' `Probe` dimension. */
  public readonly probeName: string;
  /** The namespace of its metrics. */
  public readonly metricNamespace: string;
  /** The paths it GETs on every run. */
  public readonly paths: string[];
  /** The network connections of the function (egress only to the endpoint). */
  public readonly connections: ec2.Connections;

  private readonly schedule: Duration;

  constructor(scope: Construct, id: string, props: PrivateLinkProbeProps) {
    super(scope, id);

    // ---- validate everything before any child is created ----
    const settings = validateProbeProps(new Validator(this), props);
    this.paths = settings.paths;
    this.schedule = settings.schedule;
    this.probeName = props.probeName ?? this.node.path;
    this.metricNamespace = props.metricNamespace ?? DEFAULT_NAMESPACE;
    const consumer = props.consumer;
    if (props.logsEncryptionKey) {
      allowLogsToUseKey(this, 'logsEncryptionKey', props.logsEncryptionKey);
    }

    // ---- the function, in the consumer's VPC, allowed only to the endpoint ----
    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: consumer.vpc,
      description: ec2Description(`Probe ${this.node.path}: may only reach the PrivateLink endpoint`),
      allowAllOutbound: false,
    });
    const probe = new LibraryFunction(this, 'Function', {
      code: inlineHandler(probeHandler, clientIdentity, getWithCertificate, probePath, emfRecord),
      description: `cdk-ecs-privatelink: calls ${consumer.node.path} through PrivateLink and publishes Success and Latency`.slice(0, 256),
      timeout: probeTimeout(settings),
      statements: [],
      environment: {
        API_URL: consumer.url,
        PATHS: Stack.of(this).toJsonString(settings.paths),
        EXPECTED_STATUS: String(props.expectedStatus ?? 200),
        REQUEST_TIMEOUT_MS: String(settings.requestTimeout.toMilliseconds()),
        METRIC_NAMESPACE: this.metricNamespace,
        PROBE_NAME: this.probeName,
        ...(props.clientCertificate ? { CLIENT_CERTIFICATE_SECRET: secretId(this, props.clientCertificate) } : {}),
      },
      vpcProps: { vpc: consumer.vpc, vpcSubnets: settings.subnets, securityGroups: [securityGroup] },
      logRetention: props.logRetention,
      logsEncryptionKey: props.logsEncryptionKey,
      removalPolicy: props.removalPolicy,
    });
    this.lambdaFunction = probe.function;
    this.logGroup = probe.logGroup;
    this.connections = probe.function.connections;
    props.clientCertificate?.grantRead(probe);
    consumer.connections.allowDefaultPortFrom(probe.function, ec2Description(`The probe ${this.node.path} calls the API`));

    // ---- the schedule: a run that fails is a data point, not an error to retry ----
    this.rule = new events.Rule(this, 'Schedule', {
      schedule: events.Schedule.rate(settings.schedule),
      description: `Runs the probe ${this.node.path}`.slice(0, 512),
      targets: [new targets.LambdaFunction(probe.function, { retryAttempts: 0 })],
    });
    probe.function.configureAsyncInvoke({ retryAttempts: 0 });

    // ---- the alarm: unreachable, or not reporting ----
    this.unreachableAlarm = new cloudwatch.Alarm(this, 'Unreachable', {
      metric: this.successMetric(),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: settings.alarmEvaluationPeriods,
      datapointsToAlarm: settings.alarmEvaluationPeriods,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      alarmDescription: `The API is unreachable through ${consumer.node.path}: ${settings.alarmEvaluationPeriods} runs of the probe ` +
        `${this.node.path} in a row failed or did not report. Its log group has each run's status and error.`,
    });
    this.alarmTopic = alarmTopicFor(this, 'alarmTopic', props.alarmTopic, props.removalPolicy);
    notifyOnAlarm(this.alarmTopic, [this.unreachableAlarm]);

    const nothingToKeep = 'A failed run of the probe is a missing data point, which its alarm counts as a failure; the next run ' +
      'comes on schedule, so a dead-letter queue or failure destination would keep nothing to act on (retries are off).';
    acknowledgeNagFindings(this.rule, [{ id: `${NAG_PACKS.SERVERLESS}-EventBusDLQ`, reason: nothingToKeep }]);
    acknowledgeNagFindings(probe.function, [
      ...inPacks('LambdaDLQ', nothingToKeep, [NAG_PACKS.NIST, NAG_PACKS.HIPAA, NAG_PACKS.SERVERLESS]),
      { id: `${NAG_PACKS.SERVERLESS}-LambdaAsyncFailureDestination`, reason: nothingToKeep },
      ...inPacks('LambdaConcurrency', 'The probe runs once per schedule period; reserving concurrency for it would take from the ' +
        'account\'s unreserved pool, which Lambda keeps at 100 or more, and fails the deploy in accounts with a low quota.',
      [NAG_PACKS.NIST, NAG_PACKS.HIPAA]),
    ]);
  }

  /**
   * 1 for a run in which every path answered as expected, else 0 (`Minimum` over the schedule).
   *
   * @param path one path's metric
   * @default - every path
   */
  public successMetric(path?: string): cloudwatch.Metric {
    return this.metric('Success', 'Minimum', path);
  }

  /**
   * Milliseconds from the request to the whole answer, for successful requests (`p90` over the schedule).
   *
   * @param path one path's metric
   * @default - every path
   */
  public latencyMetric(path?: string): cloudwatch.Metric {
    return this.metric('Latency', 'p90', path);
  }

  private metric(metricName: string, statistic: string, path?: string): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: this.metricNamespace,
      metricName,
      dimensionsMap: { Probe: this.probeName, ...(path !== undefined ? { Path: path } : {}) },
      period: this.schedule,
      statistic,
    });
  }
}

/**
 * How the function asks for the secret: its full ARN when known; else its name in the probe's own
 * account and region, and its partial ARN in another (a name alone is looked up in the caller's
 * account and region).
 * https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html#API_GetSecretValue_RequestSyntax
 */
function secretId(scope: Construct, secret: secretsmanager.ISecret): string {
  if (secret.secretFullArn) {
    return secret.secretFullArn;
  }
  const stack = Stack.of(scope);
  const here = secret.env.account === stack.account && secret.env.region === stack.region;
  return here ? secret.secretName : secret.secretArn;
}
