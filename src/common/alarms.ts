import { ArnFormat, type Duration, type RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { showDuration, Validator } from './validation';

const CLOUDWATCH = 'cloudwatch.amazonaws.com';
/** The longest an alarm may look back: EvaluationPeriods × Period ≤ 86,400 seconds. */
const ONE_DAY = 86400;
const KMS_ACTIONS = ['kms:Decrypt', 'kms:GenerateDataKey*'];

/**
 * The topic alarms notify: `topic`, or a new one encrypted with a key of its own. Either way
 * CloudWatch may publish to it, for this account's alarms only, and use its key: CloudWatch
 * can't publish to a topic encrypted with the AWS managed key, and a customer managed key must
 * let `cloudwatch.amazonaws.com` decrypt and generate data keys.
 * https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
 * The `aws:SourceArn` / `aws:SourceAccount` conditions (confused deputy) are those of AWS's own
 * alarm-topic grants (aws/modern-data-architecture-accelerator, grantCloudWatchAlarmsTopicAccess).
 */
export function alarmTopicFor(scope: Construct, prop: string, topic: sns.ITopic | undefined, removalPolicy?: RemovalPolicy): sns.ITopic {
  const conditions = alarmSourceConditions(scope);
  if (!topic) {
    const key = new kms.Key(scope, 'AlarmTopicKey', {
      description: `Alarm notifications of ${scope.node.path}`,
      enableKeyRotation: true,
      removalPolicy,
    });
    key.addToResourcePolicy(new iam.PolicyStatement({
      actions: KMS_ACTIONS, principals: [new iam.ServicePrincipal(CLOUDWATCH)], resources: ['*'], conditions,
    }));
    topic = new sns.Topic(scope, 'AlarmTopic', { masterKey: key, enforceSSL: true });
  } else if (topic.masterKey) {
    // The user's key: CloudWatch needs the same statement in its policy.
    const added = topic.masterKey.addToResourcePolicy(new iam.PolicyStatement({
      actions: KMS_ACTIONS, principals: [new iam.ServicePrincipal(CLOUDWATCH)], resources: ['*'], conditions,
    }), /* allowNoOp */ true).statementAdded;
    if (!added) {
      warnImported(scope, prop, `its KMS key's policy needs {"Effect":"Allow","Principal":{"Service":"${CLOUDWATCH}"},` +
        `"Action":${JSON.stringify(KMS_ACTIONS)},"Resource":"*","Condition":${JSON.stringify(readableConditions(scope))}}`);
    }
  }
  const publish = new iam.PolicyStatement({
    actions: ['sns:Publish'], principals: [new iam.ServicePrincipal(CLOUDWATCH)], resources: [topic.topicArn], conditions,
  });
  if (!topic.addToResourcePolicy(publish).statementAdded) {
    warnImported(scope, prop, `its topic policy needs {"Effect":"Allow","Principal":{"Service":"${CLOUDWATCH}"},` +
      `"Action":"sns:Publish","Resource":"<topic ARN>","Condition":${JSON.stringify(readableConditions(scope))}}`);
  }
  return topic;
}

/** Notify `topic` when each alarm goes into ALARM and back to OK. */
export function notifyOnAlarm(topic: sns.ITopic, alarms: cloudwatch.Alarm[]): void {
  const action = new cwActions.SnsAction(topic);
  for (const alarm of alarms) {
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
  }
}

/** This stack's alarms only. */
function alarmSourceConditions(scope: Construct): Record<string, Record<string, string>> {
  const stack = Stack.of(scope);
  return {
    ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
    StringEquals: { 'aws:SourceAccount': stack.account },
  };
}

/** The same conditions, with placeholders for what is only known at deploy time. */
function readableConditions(scope: Construct): Record<string, Record<string, string>> {
  const stack = Stack.of(scope);
  const known = (value: string, placeholder: string) => Token.isUnresolved(value) ? placeholder : value;
  const account = known(stack.account, '<account>');
  return {
    ArnLike: { 'aws:SourceArn': `arn:${known(stack.partition, 'aws')}:cloudwatch:${known(stack.region, '<region>')}:${account}:alarm:*` },
    StringEquals: { 'aws:SourceAccount': account },
  };
}

function warnImported(scope: Construct, prop: string, what: string): void {
  new Validator(scope).warn('alarmTopicPolicy', `${prop} is imported into the app: the library cannot change its policies, and ` +
    `CloudWatch publishes no alarm to it unless its owner adds the statement: ${what}. ` +
    'See https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services');
}

/** An alarm's window, each setting as `[prop name, value]` for the error messages. */
export interface AlarmWindowProps {
  readonly period: [string, Duration];
  readonly evaluationPeriods: [string, number];
  readonly datapointsToAlarm: [string, number];
}

/**
 * A period CloudWatch accepts (10, 30 or a multiple of 60 seconds) and an evaluation window of
 * at most a day ("EvaluationPeriods multiplied by Period cannot be more than 86,400 seconds").
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
 */
export function validateAlarmWindow(v: Validator, props: AlarmWindowProps): void {
  const [periodProp, period] = props.period;
  const [evaluationProp, evaluationPeriods] = props.evaluationPeriods;
  const [datapointsProp, datapointsToAlarm] = props.datapointsToAlarm;
  v.integer(evaluationProp, evaluationPeriods, 1, ONE_DAY / 10);
  v.integer(datapointsProp, datapointsToAlarm, 1, ONE_DAY / 10);
  if (!Token.isUnresolved(evaluationPeriods) && !Token.isUnresolved(datapointsToAlarm)) {
    v.check(datapointsToAlarm <= evaluationPeriods, datapointsProp, datapointsToAlarm, `must not be more than ${evaluationProp} (${evaluationPeriods})`);
  }
  if (period.isUnresolved()) {
    return;
  }
  const seconds = period.toSeconds({ integral: false });
  v.check([10, 30].includes(seconds) || (Number.isInteger(seconds) && seconds > 0 && seconds % 60 === 0), periodProp, period,
    'must be 10 seconds, 30 seconds or a whole number of minutes');
  if (!Token.isUnresolved(evaluationPeriods)) {
    v.check(seconds * evaluationPeriods <= ONE_DAY, evaluationProp, evaluationPeriods,
      `times ${periodProp} (${showDuration(period)}) must be at most one day: CloudWatch evaluates no longer window`);
  }
}
