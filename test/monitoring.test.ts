import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { FLAG_SETTINGS, IMAGE, logicalIdOf, newStack, newVpc, warnings } from './helpers';
import { EcsPrivateLinkApi, EcsPrivateLinkApiMonitoring, EcsPrivateLinkApiMonitoringProps } from '../src';

type Json = Record<string, any>;

describe.each(FLAG_SETTINGS)('EcsPrivateLinkApiMonitoring with $name', ({ context }) => {
  let lastStack: Stack | undefined;
  function monitored(props: Partial<EcsPrivateLinkApiMonitoringProps> = {}, apiProps: Json = {}) {
    const stack = newStack(context);
    lastStack = stack;
    const api = new EcsPrivateLinkApi(stack, 'Api', { image: IMAGE, ...apiProps });
    const monitoring = new EcsPrivateLinkApiMonitoring(stack, 'Monitoring', { api, ...props });
    return { stack, api, monitoring, template: Template.fromStack(stack) };
  }
  /** The alarm at `path` (below the monitoring construct of the last stack built), as synthesized. */
  const alarmAt = (t: Template, path: string): Json => {
    const stack = lastStack!;
    const alarm = stack.node.findAll().find(c => c.node.path === `Test/Monitoring/${path}`);
    expect(alarm).toBeDefined();
    const logicalId = stack.resolve((alarm!.node.defaultChild as cloudwatch.CfnAlarm).logicalId);
    return t.toJSON().Resources[logicalId].Properties;
  };
  const ref = (t: Template, type: string, props: Json = {}) => ({ Ref: logicalIdOf(t, type, props) });
  const fullName = (t: Template, type: string, props: Json, attr: string) => ({ 'Fn::GetAtt': [logicalIdOf(t, type, props), attr] });

  /** What every alarm shares: 5 of 5 one-minute periods, and missing data is OK (an idle API). */
  const WINDOW = { Period: 60, EvaluationPeriods: 5, DatapointsToAlarm: 5, TreatMissingData: 'notBreaching' };

  const nlb = (t: Template) => fullName(t, 'AWS::ElasticLoadBalancingV2::LoadBalancer', { Type: 'network' }, 'LoadBalancerFullName');
  const alb = (t: Template) => fullName(t, 'AWS::ElasticLoadBalancingV2::LoadBalancer', { Type: 'application' }, 'LoadBalancerFullName');
  const targetGroup = (t: Template, type: string) => fullName(t, 'AWS::ElasticLoadBalancingV2::TargetGroup', { TargetType: type }, 'TargetGroupFullName');
  const albTargets = (t: Template) => [{ Name: 'LoadBalancer', Value: alb(t) }, { Name: 'TargetGroup', Value: targetGroup(t, 'ip') }];
  const nlbTargets = (t: Template) => [{ Name: 'LoadBalancer', Value: nlb(t) }, { Name: 'TargetGroup', Value: targetGroup(t, 'alb') }];

  /** Each alarm: where, its metric (namespace, name, statistic, dimensions) and threshold, as AWS documents the metrics. */
  test.each([
    ['the NLB sees the ALB unhealthy', 'AlbUnhealthy', 'AWS/NetworkELB', 'UnHealthyHostCount', { Statistic: 'Maximum' }, nlbTargets, 'GreaterThanThreshold', 0],
    ['the NLB has no healthy ALB', 'AlbNotHealthy', 'AWS/NetworkELB', 'HealthyHostCount', { Statistic: 'Minimum' }, nlbTargets, 'LessThanThreshold', 1],
    ['the ALB\'s own 5XX', 'AlbServerErrors', 'AWS/ApplicationELB', 'HTTPCode_ELB_5XX_Count', { Statistic: 'Sum' },
      (t: Template) => [{ Name: 'LoadBalancer', Value: alb(t) }], 'GreaterThanOrEqualToThreshold', 1],
    ['a service\'s unhealthy targets', 'Service/UnhealthyTargets', 'AWS/ApplicationELB', 'UnHealthyHostCount', { Statistic: 'Maximum' }, albTargets, 'GreaterThanThreshold', 0],
    ['a service\'s 5XX', 'Service/ServerErrors', 'AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count', { Statistic: 'Sum' }, albTargets, 'GreaterThanOrEqualToThreshold', 1],
    ['a service\'s response time', 'Service/ResponseTime', 'AWS/ApplicationELB', 'TargetResponseTime', { ExtendedStatistic: 'p90' }, albTargets, 'GreaterThanThreshold', 2],
  ])('%s: %s on %s %s', (_what, path, namespace, metricName, statistic, dimensions, comparison, threshold) => {
    const { template } = monitored();
    expect(alarmAt(template, path)).toEqual(expect.objectContaining({
      Namespace: namespace,
      MetricName: metricName,
      ...statistic,
      Dimensions: dimensions(template),
      ComparisonOperator: comparison,
      Threshold: threshold,
      ...WINDOW,
    }));
  });

  test('the endpoint service\'s resets: RstPacketsSent by Service Id, Load Balancer Arn and Az (AWS\'s recommended alarm), summed over the NLB\'s AZs', () => {
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Best_Practice_Recommended_Alarms_AWS_Services.html#PrivateLinkServices
    const { template, api, stack } = monitored();
    const resets = alarmAt(template, 'ConnectionResets');
    expect(resets).toEqual(expect.objectContaining({ ComparisonOperator: 'GreaterThanThreshold', Threshold: 10, EvaluationPeriods: 5, DatapointsToAlarm: 5 }));
    const azs = api.availabilityZones.map(az => stack.resolve(az));
    expect(azs.length).toBeGreaterThanOrEqual(2);
    expect(resets.Metrics).toEqual([
      // an AZ without traffic has no data point: it counts as 0, not as a gap in the sum
      expect.objectContaining({ Expression: azs.map((_, i) => `FILL(az${i}, 0)`).join(' + '), ReturnData: true }),
      ...azs.map((az, i) => expect.objectContaining({
        Id: `az${i}`,
        ReturnData: false,
        MetricStat: {
          Metric: {
            Namespace: 'AWS/PrivateLinkServices',
            MetricName: 'RstPacketsSent',
            Dimensions: expect.arrayContaining([
              { Name: 'Service Id', Value: ref(template, 'AWS::EC2::VPCEndpointService') },
              { Name: 'Load Balancer Arn', Value: ref(template, 'AWS::ElasticLoadBalancingV2::LoadBalancer', { Type: 'network' }) },
              { Name: 'Az', Value: az },
            ]),
          },
          Period: 60,
          Stat: 'Sum',
        },
      })),
    ]);
  });

  test('an API with consumers in other regions: a warning that PrivateLink publishes no metrics for them', () => {
    const { stack } = monitored({}, { allowedRegions: ['us-east-1'] });
    expect(warnings(stack, /crossRegionMetrics/)).toHaveLength(1);
    const { stack: sameRegion } = monitored();
    expect(warnings(sameRegion, /crossRegionMetrics/)).toHaveLength(0);
  });

  test('a service\'s running tasks: desired - running > 0 (ECS/ContainerInsights), with Container Insights', () => {
    const { template } = monitored();
    const running = alarmAt(template, 'Service/RunningTasks');
    expect(running).toEqual(expect.objectContaining({
      ComparisonOperator: 'GreaterThanThreshold', Threshold: 0, EvaluationPeriods: 5, DatapointsToAlarm: 5, TreatMissingData: 'notBreaching',
    }));
    const taskDimensions = [
      { Name: 'ClusterName', Value: ref(template, 'AWS::ECS::Cluster') },
      { Name: 'ServiceName', Value: fullName(template, 'AWS::ECS::Service', {}, 'Name') },
    ];
    expect(running.Metrics).toEqual(expect.arrayContaining([
      expect.objectContaining({ Expression: 'desired - running', ReturnData: true }),
      expect.objectContaining({
        Id: 'desired',
        ReturnData: false,
        MetricStat: expect.objectContaining({ Metric: { Namespace: 'ECS/ContainerInsights', MetricName: 'DesiredTaskCount', Dimensions: taskDimensions }, Period: 60, Stat: 'Average' }),
      }),
      expect.objectContaining({
        Id: 'running',
        ReturnData: false,
        MetricStat: expect.objectContaining({ Metric: { Namespace: 'ECS/ContainerInsights', MetricName: 'RunningTaskCount', Dimensions: taskDimensions }, Period: 60, Stat: 'Average' }),
      }),
    ]));
  });

  test('nothing alarms on a healthy idle API: every alarm treats missing data as OK and needs 5 breaching minutes in a row', () => {
    const { template } = monitored();
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map(r => r.Properties);
    expect(alarms).toHaveLength(8);
    for (const alarm of alarms) {
      expect(alarm).toEqual(expect.objectContaining({ TreatMissingData: 'notBreaching', EvaluationPeriods: 5, DatapointsToAlarm: 5 }));
    }
  });

  test('every alarm notifies the topic on ALARM and on OK; the new topic is KMS-encrypted, TLS-only, and CloudWatch may publish and use the key', () => {
    const { template, monitoring } = monitored();
    const topic = ref(template, 'AWS::SNS::Topic');
    for (const alarm of Object.values(template.findResources('AWS::CloudWatch::Alarm')).map(r => r.Properties)) {
      expect(alarm.AlarmActions).toEqual([topic]);
      expect(alarm.OKActions).toEqual([topic]);
    }
    expect(monitoring.alarms).toHaveLength(8);
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    const conditions = {
      ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudwatch:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':alarm:*']] } },
      StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
    };
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Effect: 'Allow', Action: 'sns:Publish', Principal: { Service: 'cloudwatch.amazonaws.com' }, Resource: topic, Condition: conditions }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Principal: { Service: 'cloudwatch.amazonaws.com' }, Resource: '*', Condition: conditions,
        })]),
      },
    });
  });

  test('a given topic: no new topic or key; its policy (and its key\'s) get the statements', () => {
    const stack = newStack(context);
    const key = new kms.Key(stack, 'OnCallKey');
    const onCall = new sns.Topic(stack, 'OnCall', { masterKey: key });
    const api = new EcsPrivateLinkApi(stack, 'Api', { image: IMAGE });
    new EcsPrivateLinkApiMonitoring(stack, 'Monitoring', { api, alarmTopic: onCall });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'sns:Publish', Principal: { Service: 'cloudwatch.amazonaws.com' } })]) },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' } })]) },
    });
  });

  test('an imported topic: a warning with the statement its owner must add', () => {
    const stack = newStack(context);
    const api = new EcsPrivateLinkApi(stack, 'Api', { image: IMAGE });
    const topic = sns.Topic.fromTopicArn(stack, 'Imported', 'arn:aws:sns:eu-west-1:111122223333:on-call');
    new EcsPrivateLinkApiMonitoring(stack, 'Monitoring', { api, alarmTopic: topic });
    expect(warnings(stack, /alarmTopic is imported.*"Service":"cloudwatch.amazonaws.com".*"Action":"sns:Publish"/)).toHaveLength(1);
  });

  test('overrides: thresholds, window and dashboard name', () => {
    const { template } = monitored({
      period: Duration.minutes(5),
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      serverErrorThreshold: 10,
      responseTimeThreshold: Duration.millis(500),
      connectionResetThreshold: 100,
      dashboardName: 'task-api',
    });
    expect(alarmAt(template, 'ConnectionResets')).toEqual(expect.objectContaining({ Threshold: 100, EvaluationPeriods: 3, DatapointsToAlarm: 2 }));
    expect(alarmAt(template, 'ConnectionResets').Metrics[1].MetricStat.Period).toBe(300);
    expect(alarmAt(template, 'AlbServerErrors').Threshold).toBe(10);
    expect(alarmAt(template, 'Service/ServerErrors').Threshold).toBe(10);
    expect(alarmAt(template, 'Service/ResponseTime').Threshold).toBe(0.5);
    template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'task-api' });
  });

  test('the dashboard: the chain, then a row per service; none with dashboard: false', () => {
    const { template } = monitored();
    const body = JSON.stringify(template.findResources('AWS::CloudWatch::Dashboard'));
    for (const metric of ['RstPacketsSent', 'ActiveConnections', 'NewConnections', 'BytesProcessed', 'EndpointsCount',
      'UnHealthyHostCount', 'HealthyHostCount', 'HTTPCode_ELB_5XX_Count', 'HTTPCode_Target_5XX_Count', 'TargetResponseTime',
      'RunningTaskCount', 'DesiredTaskCount']) {
      expect(body).toContain(metric);
    }
    expect(body).toContain('Service Id');
    monitored({ dashboard: false }).template.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
  });

  test('every service added before the monitoring has its alarms; one added after needs monitorService, or synth fails', () => {
    // GIVEN an API with two services
    const stack = newStack(context);
    const api = new EcsPrivateLinkApi(stack, 'Api', { image: IMAGE });
    const orders = api.addService('Orders', { image: IMAGE, pathPatterns: ['/orders*'] });
    const monitoring = new EcsPrivateLinkApiMonitoring(stack, 'Monitoring', { api });
    expect(monitoring.alarmsOf(orders)?.unhealthyTargets).toBeDefined();
    // WHEN a third is added afterwards
    const users = api.addService('Users', { image: IMAGE, pathPatterns: ['/users*'] });
    // THEN synthesis fails, naming it
    expect(() => Template.fromStack(stack)).toThrow(/Test\/Api\/Users was added to Test\/Api after its monitoring Test\/Monitoring: call monitoring.monitorService/);
    // WHEN it is monitored
    const alarms = monitoring.monitorService(users);
    expect(monitoring.monitorService(users)).toBe(alarms);
    const template = Template.fromStack(stack);
    expect(Object.keys(template.findResources('AWS::CloudWatch::Alarm'))).toHaveLength(4 + 3 * 4);
  });

  test('a service of another API cannot be monitored here', () => {
    const { stack, monitoring } = monitored();
    const other = new EcsPrivateLinkApi(stack, 'Other', { image: IMAGE, vpc: newVpc(stack, 'OtherVpc') });
    expect(() => monitoring.monitorService(other.services[0])).toThrow(/invalid service 'Test\/Other\/Service': is not a service of Test\/Api/);
  });

  test('task-count alarms: on with a cluster the API creates (Container Insights), off when it is off; for a given cluster, only when told', () => {
    expect(monitored().monitoring.taskCountAlarms).toBe(true);
    const off = monitored({}, { containerInsights: false });
    expect(off.monitoring.taskCountAlarms).toBe(false);
    expect(Object.keys(off.template.findResources('AWS::CloudWatch::Alarm'))).toHaveLength(7);
    expect(JSON.stringify(off.template.findResources('AWS::CloudWatch::Dashboard'))).toContain('CPUUtilization');

    const stack = newStack(context);
    const vpc = newVpc(stack);
    const imported = ecs.Cluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'shared', vpc, securityGroups: [] });
    const api = new EcsPrivateLinkApi(stack, 'Api', { image: IMAGE, cluster: imported });
    expect(new EcsPrivateLinkApiMonitoring(stack, 'Default', { api }).taskCountAlarms).toBe(false);
    expect(new EcsPrivateLinkApiMonitoring(stack, 'Told', { api, taskCountAlarms: true }).taskCountAlarms).toBe(true);
  });

  test.each([
    ['period 45 s', { period: Duration.seconds(45) }, /invalid period 45 seconds: must be 10 seconds, 30 seconds or a whole number of minutes/],
    ['datapoints above evaluation periods', { evaluationPeriods: 2, datapointsToAlarm: 3 }, /invalid datapointsToAlarm 3: must not be more than evaluationPeriods \(2\)/],
    ['a window over a day', { period: Duration.hours(1), evaluationPeriods: 25 }, /invalid evaluationPeriods 25: times period \(3600 seconds\) must be at most one day/],
    ['0 server errors', { serverErrorThreshold: 0 }, /invalid serverErrorThreshold 0: must be an integer from 1/],
    ['a negative reset threshold', { connectionResetThreshold: -1 }, /invalid connectionResetThreshold -1/],
    ['a response time of 0', { responseTimeThreshold: Duration.seconds(0) }, /invalid responseTimeThreshold 0 seconds: must be above 0/],
    ['a dashboard name with spaces', { dashboardName: 'task api' }, /invalid dashboardName 'task api': must be 1 to 255 letters, digits, - and _/],
    ['a dashboard name without a dashboard', { dashboard: false, dashboardName: 'x' }, /invalid dashboardName 'x': was given with dashboard: false/],
  ])('bad input: %s', (_name, props, error) => {
    expect(() => monitored(props as Partial<EcsPrivateLinkApiMonitoringProps>)).toThrow(error);
  });

  test('bad input: task-count alarms on a cluster with Container Insights off', () => {
    expect(() => monitored({ taskCountAlarms: true }, { containerInsights: false }))
      .toThrow(/invalid taskCountAlarms true: needs Container Insights, which the cluster Test\/Api\/Cluster has off/);
  });

  test('a stack of its own: the monitoring may live apart from the API', () => {
    const stack = newStack(context);
    const api = new EcsPrivateLinkApi(stack, 'Api', { image: IMAGE, vpc: new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 }) });
    const ops = new Stack(stack.node.scope as any, 'Ops');
    new EcsPrivateLinkApiMonitoring(ops, 'Monitoring', { api });
    Template.fromStack(ops).resourceCountIs('AWS::CloudWatch::Alarm', 8);
  });
});
