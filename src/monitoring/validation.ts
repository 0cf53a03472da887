/**
 * The monitoring's synth-time checks: alarm settings CloudWatch accepts, and task-count alarms
 * only where the metrics exist.
 */
import { Duration, Token } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type { EcsPrivateLinkApiMonitoringProps } from './api-monitoring-props';
import { validateAlarmWindow, type Validator } from '../common';

/** "Can contain only alphanumerics, dash (-), and underscore (_)", at most 255 characters. */
const DASHBOARD_NAME = /^[A-Za-z0-9_-]{1,255}$/;

/** The alarm settings, checked and with their defaults. */
export interface AlarmSettings {
  readonly period: Duration;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly taskCountAlarms: boolean;
}

export function validateMonitoringProps(v: Validator, props: EcsPrivateLinkApiMonitoringProps): AlarmSettings {
  const period = props.period ?? Duration.minutes(1);
  const evaluationPeriods = props.evaluationPeriods ?? 5;
  const datapointsToAlarm = props.datapointsToAlarm ?? evaluationPeriods;
  validateAlarmWindow(v, { period: ['period', period], evaluationPeriods: ['evaluationPeriods', evaluationPeriods], datapointsToAlarm: ['datapointsToAlarm', datapointsToAlarm] });
  v.integer('serverErrorThreshold', props.serverErrorThreshold, 1, 1_000_000_000);
  v.integer('connectionResetThreshold', props.connectionResetThreshold, 0, 1_000_000_000);
  const responseTime = props.responseTimeThreshold;
  if (responseTime && !responseTime.isUnresolved()) {
    const ms = responseTime.toMilliseconds({ integral: false });
    v.check(ms > 0 && ms <= 4000 * 1000, 'responseTimeThreshold', responseTime,
      'must be above 0 and at most 4000 seconds (the ALB\'s longest idle timeout)');
  }
  if (props.dashboardName !== undefined && !Token.isUnresolved(props.dashboardName)) {
    v.check(DASHBOARD_NAME.test(props.dashboardName), 'dashboardName', props.dashboardName,
      'must be 1 to 255 letters, digits, - and _ (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutDashboard.html)');
  }
  // "[Metrics] are not published ... for endpoint service consumers that use cross-Region access."
  // https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-cloudwatch-metrics.html
  if (props.api.allowedRegions && props.api.allowedRegions.length > 0) {
    v.warn('crossRegionMetrics', `${props.api.node.path} admits consumers from other regions (allowedRegions): AWS/PrivateLinkServices ` +
      'publishes no metrics for them, so the connection-reset alarm and the endpoint-service widgets see only same-region consumers. ' +
      'Watch them with a PrivateLinkProbe in their region.');
  }
  if (props.dashboard === false && props.dashboardName !== undefined) {
    v.fail('dashboardName', props.dashboardName, 'was given with dashboard: false: drop one of them');
  }
  const insights = containerInsightsOf(props.api.cluster);
  if (props.taskCountAlarms && insights === false) {
    v.fail('taskCountAlarms', true, `needs Container Insights, which the cluster ${props.api.cluster.node.path} has off: ` +
      'RunningTaskCount and DesiredTaskCount exist only with it (turn containerInsights on, or leave taskCountAlarms out)');
  }
  const taskCountAlarms = props.taskCountAlarms ?? insights === true;
  if (props.taskCountAlarms === undefined && insights === undefined) {
    v.info('No task-count alarms: the API\'s cluster is not one of this app, so whether it has Container Insights is unknown. ' +
      'Set taskCountAlarms: true if it has.');
  }
  return { period, evaluationPeriods, datapointsToAlarm, taskCountAlarms };
}

/**
 * Whether a cluster has Container Insights: known for a cluster of this app whose setting is
 * explicit, unknown (undefined) for an imported one or one that follows the account's setting.
 */
export function containerInsightsOf(cluster: ecs.ICluster): boolean | undefined {
  if (!(cluster instanceof ecs.Cluster)) {
    return undefined;
  }
  const settings = (cluster.node.defaultChild as ecs.CfnCluster).clusterSettings;
  if (!Array.isArray(settings)) {
    return undefined;
  }
  const setting = settings.find((s): s is ecs.CfnCluster.ClusterSettingsProperty => !Token.isUnresolved(s) && (s as ecs.CfnCluster.ClusterSettingsProperty).name === 'containerInsights');
  if (!setting || setting.value === undefined || Token.isUnresolved(setting.value)) {
    return undefined;
  }
  return setting.value !== 'disabled';
}
