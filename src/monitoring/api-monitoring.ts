import { Duration, Names } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { ApiServiceAlarms, EcsPrivateLinkApiMonitoringProps } from './api-monitoring-props';
import { ApplicationTargetGroupMetrics, EndpointServiceMetrics, FargateServiceMetrics, LoadBalancerMetrics, TargetGroupHealthMetrics } from './metrics';
import { type AlarmSettings, validateMonitoringProps } from './validation';
import { alarmTopicFor, notifyOnAlarm, Validator } from '../common';
import type { ApiService } from '../provider/api-service';
import type { EcsPrivateLinkApi } from '../provider/ecs-privatelink-api';

const GT = cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD;
const GTE = cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD;
const LT = cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD;
const WIDTH = 24;
const HEIGHT = 6;

/**
 * CloudWatch alarms and a dashboard over the whole PrivateLink chain of an `EcsPrivateLinkApi`:
 * the endpoint service (connections, resets, bytes, endpoints), the NLB's view of the ALB, the
 * ALB's own 5XX responses, and for each service its unhealthy targets, 5XX responses, response
 * time and (with Container Insights) running against desired tasks. Alarms notify one SNS topic.
 *
 * Every alarm treats missing data as OK: the load balancers and PrivateLink report most metrics
 * only while there is traffic, so a healthy API without requests never alarms. The defaults
 * follow AWS's recommended alarms (one-minute periods, five in a row).
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Best_Practice_Recommended_Alarms_AWS_Services.html
 *
 * Services added to the API after this construct: call `monitorService` for them (synth fails
 * otherwise, rather than leave a service unwatched).
 *
 * @example
 * declare const api: EcsPrivateLinkApi;
 * declare const onCall: sns.ITopic;
 *
 * new EcsPrivateLinkApiMonitoring(this, 'Monitoring', {
 *   api,
 *   alarmTopic: onCall,
 *   responseTimeThreshold: Duration.millis(500),
 * });
 */
export class EcsPrivateLinkApiMonitoring extends Construct {
  /** The topic every alarm notifies. */
  public readonly alarmTopic: sns.ITopic;
  /** The NLB reports the ALB (its target, through the health-check path) unhealthy. */
  public readonly albUnhealthyAlarm: cloudwatch.Alarm;
  /** The NLB has no healthy ALB target: it then fails open, and requests fail. */
  public readonly albNotHealthyAlarm: cloudwatch.Alarm;
  /** The ALB itself returns 5XX responses (no healthy target, a target it can't reach). */
  public readonly loadBalancerServerErrorsAlarm: cloudwatch.Alarm;
  /** The endpoint service sends TCP resets to consumers' endpoints. */
  public readonly connectionResetsAlarm: cloudwatch.Alarm;
  /**
   * The dashboard of the chain.
   *
   * @default - none, with `dashboard: false`
   */
  public readonly dashboard?: cloudwatch.Dashboard;
  /** Whether services get task-count alarms (Container Insights). */
  public readonly taskCountAlarms: boolean;

  private readonly api: EcsPrivateLinkApi;
  private readonly props: EcsPrivateLinkApiMonitoringProps;
  private readonly settings: AlarmSettings;
  private readonly allAlarms: cloudwatch.Alarm[] = [];
  private readonly byService = new Map<ApiService, ApiServiceAlarms>();

  constructor(scope: Construct, id: string, props: EcsPrivateLinkApiMonitoringProps) {
    super(scope, id);

    // ---- validate everything before any child is created ----
    this.settings = validateMonitoringProps(new Validator(this), props);
    this.api = props.api;
    this.props = props;
    this.taskCountAlarms = this.settings.taskCountAlarms;
    this.alarmTopic = alarmTopicFor(this, 'alarmTopic', props.alarmTopic, props.removalPolicy);
    const api = props.api;
    const { period } = this.settings;

    // ---- the chain: endpoint service, NLB -> ALB, ALB ----
    const endpointService = new EndpointServiceMetrics(api.endpointService.vpcEndpointServiceId);
    const nlbView = TargetGroupHealthMetrics.ofNetworkTargetGroup(api.networkLoadBalancer, api.networkTargetGroup);
    const alb = new LoadBalancerMetrics(api.loadBalancer);
    const resets = (a: { period: Duration; statistic: string; label?: string }) =>
      endpointService.rstPacketsSentInAzs(api.networkLoadBalancer.loadBalancerArn, api.availabilityZones, a);
    this.connectionResetsAlarm = this.alarm(this, 'ConnectionResets', resets({ period, statistic: 'Sum' }),
      GT, props.connectionResetThreshold ?? 10,
      'The endpoint service sends TCP resets to consumers: targets are unhealthy or connections idle past the NLB\'s timeout. ' +
      'See RstPacketsSent by Az and Load Balancer Arn in AWS/PrivateLinkServices.');
    this.albUnhealthyAlarm = this.alarm(this, 'AlbUnhealthy', nlbView.unhealthyHostCount({ period, statistic: 'Maximum' }), GT, 0,
      'The NLB reports the ALB unhealthy: its health check through the ALB to the first service fails. Check that service\'s targets and healthCheck.path.');
    this.albNotHealthyAlarm = this.alarm(this, 'AlbNotHealthy', nlbView.healthyHostCount({ period, statistic: 'Minimum' }), LT, 1,
      'The NLB has no healthy ALB target: it fails open and consumers\' requests fail. Check the ALB and the first service.');
    this.loadBalancerServerErrorsAlarm = this.alarm(this, 'AlbServerErrors', alb.elb5xxCount({ period, statistic: 'Sum' }), GTE,
      props.serverErrorThreshold ?? 1,
      'The ALB itself returns 5XX responses: no healthy target for a route, or targets it cannot reach.');

    // ---- the dashboard ----
    if (props.dashboard ?? true) {
      this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
        dashboardName: props.dashboardName,
        start: '-PT6H',
      });
      const graph = (title: string, left: cloudwatch.IMetric[], right: cloudwatch.IMetric[] = []) =>
        new cloudwatch.GraphWidget({ title, left, right, width: WIDTH / 4, height: HEIGHT });
      const minute = Duration.minutes(1);
      this.dashboard.addWidgets(new cloudwatch.TextWidget({
        markdown: `# ${api.node.path}\nconsumer endpoint → **endpoint service** → **NLB** (TCP ${api.port}) → **ALB** → services`,
        width: WIDTH,
        height: 2,
      }));
      this.dashboard.addWidgets(
        graph('Endpoint service: connections', [
          endpointService.activeConnections({ period: minute, statistic: 'Average', label: 'active' }),
          endpointService.newConnections({ period: minute, statistic: 'Sum', label: 'new' }),
        ]),
        graph('Endpoint service: resets sent', [resets({ period: minute, statistic: 'Sum', label: 'RST packets' })]),
        graph('Endpoint service: bytes', [endpointService.bytesProcessed({ period: minute, statistic: 'Sum', label: 'bytes' })]),
        graph('Endpoint service: consumer endpoints', [endpointService.endpointsCount({ period: minute, statistic: 'Maximum', label: 'endpoints' })]),
      );
      this.dashboard.addWidgets(
        new cloudwatch.GraphWidget({
          title: 'NLB view of the ALB',
          width: WIDTH / 3,
          height: HEIGHT,
          left: [nlbView.healthyHostCount({ period: minute, statistic: 'Minimum', label: 'healthy' }),
            nlbView.unhealthyHostCount({ period: minute, statistic: 'Maximum', label: 'unhealthy' })],
        }),
        new cloudwatch.GraphWidget({
          title: 'ALB: requests and its own 5XX',
          width: WIDTH / 3,
          height: HEIGHT,
          left: [alb.requestCount({ period: minute, statistic: 'Sum', label: 'requests' })],
          right: [alb.elb5xxCount({ period: minute, statistic: 'Sum', label: 'ELB 5XX' })],
        }),
        new cloudwatch.AlarmStatusWidget({
          title: 'Chain alarms',
          width: WIDTH / 3,
          height: HEIGHT,
          alarms: [this.connectionResetsAlarm, this.albUnhealthyAlarm, this.albNotHealthyAlarm, this.loadBalancerServerErrorsAlarm],
        }),
      );
    }

    // ---- every service the API has so far ----
    for (const service of api.services) {
      this.monitorService(service);
    }
    this.node.addValidation({ validate: () => this.unmonitoredServices() });
  }

  /** Every alarm, the chain's first, then each service's. */
  public get alarms(): cloudwatch.Alarm[] {
    return [...this.allAlarms];
  }

  /**
   * Adds the alarms (and a dashboard row) of a service added to the API after this construct.
   * Services the API had when this construct was created are monitored already.
   *
   * @param service a service of the monitored API
   */
  public monitorService(service: ApiService): ApiServiceAlarms {
    const existing = this.byService.get(service);
    if (existing) {
      return existing;
    }
    const v = new Validator(this);
    if (!this.api.services.includes(service)) {
      v.fail('service', service.node.path, `is not a service of ${this.api.node.path}, the API this construct monitors`);
    }
    const id = this.node.tryFindChild(service.node.id) ? Names.uniqueId(service) : service.node.id;
    const scope = new Construct(this, id);
    const { period } = this.settings;
    const targets = new ApplicationTargetGroupMetrics(this.api.loadBalancer, service.targetGroup);
    const tasks = new FargateServiceMetrics(service.service, this.api.cluster);
    const name = service.node.path;
    const unhealthyTargets = this.alarm(scope, 'UnhealthyTargets', targets.unhealthyHostCount({ period, statistic: 'Maximum' }), GT, 0,
      `Tasks of ${name} fail the ALB's health check. Check the service's events and logs.`);
    const serverErrors = this.alarm(scope, 'ServerErrors', targets.target5xxCount({ period, statistic: 'Sum' }), GTE,
      this.props.serverErrorThreshold ?? 1, `Tasks of ${name} answer with 5XX responses. Check the service's logs.`);
    const threshold = this.props.responseTimeThreshold ?? Duration.seconds(2);
    const responseTime = this.alarm(scope, 'ResponseTime', targets.targetResponseTime({ period, statistic: 'p90' }), GT,
      threshold.toSeconds({ integral: false }), `The 90th percentile of ${name}'s response time is above ${threshold.toHumanString()}.`);
    let runningTasks: cloudwatch.Alarm | undefined;
    if (this.taskCountAlarms) {
      const missing = new cloudwatch.MathExpression({
        expression: 'desired - running',
        usingMetrics: {
          desired: tasks.desiredTaskCount({ period, statistic: 'Average' }),
          running: tasks.runningTaskCount({ period, statistic: 'Average' }),
        },
        period,
        label: 'tasks missing',
      });
      runningTasks = this.alarm(scope, 'RunningTasks', missing, GT, 0,
        `Fewer tasks of ${name} run than it wants: tasks fail to start or keep stopping. Check the service's events.`);
    }
    const alarms: ApiServiceAlarms = { unhealthyTargets, serverErrors, responseTime, runningTasks };
    this.byService.set(service, alarms);
    this.addServiceRow(service, targets, tasks, alarms);
    return alarms;
  }

  /**
   * The alarms of a monitored service.
   *
   * @param service a service of the monitored API
   */
  public alarmsOf(service: ApiService): ApiServiceAlarms | undefined {
    return this.byService.get(service);
  }

  private addServiceRow(service: ApiService, targets: ApplicationTargetGroupMetrics, tasks: FargateServiceMetrics, alarms: ApiServiceAlarms): void {
    if (!this.dashboard) {
      return;
    }
    const minute = Duration.minutes(1);
    const graph = (title: string, left: cloudwatch.IMetric[], right: cloudwatch.IMetric[] = []) =>
      new cloudwatch.GraphWidget({ title, left, right, width: WIDTH / 4, height: HEIGHT });
    this.dashboard.addWidgets(new cloudwatch.TextWidget({ markdown: `## ${service.node.path}`, width: WIDTH, height: 1 }));
    this.dashboard.addWidgets(
      graph('Targets', [
        targets.healthyHostCount({ period: minute, statistic: 'Minimum', label: 'healthy' }),
        targets.unhealthyHostCount({ period: minute, statistic: 'Maximum', label: 'unhealthy' }),
      ]),
      graph('Requests and 5XX', [targets.requestCount({ period: minute, statistic: 'Sum', label: 'requests' })],
        [targets.target5xxCount({ period: minute, statistic: 'Sum', label: 'target 5XX' })]),
      graph('Response time (s)', ['p50', 'p90', 'p99'].map(statistic => targets.targetResponseTime({ period: minute, statistic, label: statistic }))),
      alarms.runningTasks
        ? graph('Tasks', [
          tasks.runningTaskCount({ period: minute, statistic: 'Average', label: 'running' }),
          tasks.desiredTaskCount({ period: minute, statistic: 'Average', label: 'desired' }),
        ])
        : graph('CPU and memory (%)', [
          tasks.cpuUtilization({ period: minute, statistic: 'Average', label: 'CPU' }),
          tasks.memoryUtilization({ period: minute, statistic: 'Average', label: 'memory' }),
        ]),
    );
  }

  /** An alarm with the monitoring's window, OK on missing data, notifying the topic. */
  private alarm(scope: Construct, id: string, metric: cloudwatch.IMetric, comparisonOperator: cloudwatch.ComparisonOperator,
    threshold: number, alarmDescription: string): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(scope, id, {
      metric,
      threshold,
      comparisonOperator,
      evaluationPeriods: this.settings.evaluationPeriods,
      datapointsToAlarm: this.settings.datapointsToAlarm,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription,
    });
    notifyOnAlarm(this.alarmTopic, [alarm]);
    this.allAlarms.push(alarm);
    return alarm;
  }

  private unmonitoredServices(): string[] {
    return this.api.services.filter(s => !this.byService.has(s)).map(s =>
      `${s.node.path} was added to ${this.api.node.path} after its monitoring ${this.node.path}: ` +
      'call monitoring.monitorService(service) for it, or create the monitoring after adding every service');
  }
}
