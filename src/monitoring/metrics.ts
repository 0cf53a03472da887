/**
 * The CloudWatch metrics of the PrivateLink chain, each with its namespace, name and dimensions
 * as AWS documents them, in one place. Alarms and the dashboard are built from these factories.
 *
 * - AWS/PrivateLinkServices (the endpoint service): ActiveConnections, NewConnections,
 *   BytesProcessed, RstPacketsSent, EndpointsCount, dimension "Service Id" (with a space).
 *   https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-cloudwatch-metrics.html
 *   The alarm uses the dimensions of AWS's recommended alarm for endpoint services,
 *   RstPacketsSent by "Service Id, Load Balancer Arn, Az" (Sum, 60 s), summed over the NLB's AZs.
 *   https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Best_Practice_Recommended_Alarms_AWS_Services.html#PrivateLinkServices
 * - AWS/NetworkELB (the NLB's view of the ALB, a target group of type alb): HealthyHostCount,
 *   UnHealthyHostCount, dimensions LoadBalancer (net/name/id) and TargetGroup (targetgroup/name/id).
 *   https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-cloudwatch-metrics.html
 * - AWS/ApplicationELB (the ALB and each service's target group): HTTPCode_ELB_5XX_Count
 *   (LoadBalancer), RequestCount, HTTPCode_Target_5XX_Count, TargetResponseTime, HealthyHostCount,
 *   UnHealthyHostCount (LoadBalancer and TargetGroup).
 *   https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html
 * - AWS/ECS (every cluster): CPUUtilization, MemoryUtilization, dimensions ClusterName, ServiceName.
 *   https://docs.aws.amazon.com/AmazonECS/latest/developerguide/available-metrics.html
 * - ECS/ContainerInsights (only clusters with Container Insights): RunningTaskCount,
 *   DesiredTaskCount, dimensions ClusterName, ServiceName.
 *   https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Container-Insights-metrics-ECS.html
 */
import type { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';

export const NAMESPACES = {
  privateLinkServices: 'AWS/PrivateLinkServices',
  networkElb: 'AWS/NetworkELB',
  applicationElb: 'AWS/ApplicationELB',
  ecs: 'AWS/ECS',
  containerInsights: 'ECS/ContainerInsights',
} as const;

/** What a metric is aggregated over, and how. */
interface Aggregation {
  readonly period: Duration;
  readonly statistic: string;
  readonly label?: string;
}

/** The endpoint service's own metrics (AWS/PrivateLinkServices), for the whole service. */
export class EndpointServiceMetrics {
  constructor(private readonly serviceId: string) {}

  public activeConnections(a: Aggregation) {
    return this.metric('ActiveConnections', a);
  }
  public newConnections(a: Aggregation) {
    return this.metric('NewConnections', a);
  }
  public bytesProcessed(a: Aggregation) {
    return this.metric('BytesProcessed', a);
  }
  /** Resets the service sent to endpoints: what AWS's recommended alarm for endpoint services watches. */
  public rstPacketsSent(a: Aggregation) {
    return this.metric('RstPacketsSent', a);
  }
  public endpointsCount(a: Aggregation) {
    return this.metric('EndpointsCount', a);
  }
  /**
   * RstPacketsSent with the dimensions of AWS's recommended alarm (Service Id, Load Balancer
   * Arn, Az), one metric per AZ of the NLB, summed: at most 10 AZs, the metrics an alarm's math
   * expression may hold.
   */
  public rstPacketsSentInAzs(loadBalancerArn: string, availabilityZones: string[], a: Aggregation): cloudwatch.IMetric {
    const usingMetrics: Record<string, cloudwatch.IMetric> = {};
    availabilityZones.slice(0, 10).forEach((az, i) => {
      usingMetrics[`az${i}`] = new cloudwatch.Metric({
        namespace: NAMESPACES.privateLinkServices,
        metricName: 'RstPacketsSent',
        dimensionsMap: { 'Service Id': this.serviceId, 'Load Balancer Arn': loadBalancerArn, 'Az': az },
        period: a.period,
        statistic: a.statistic,
      });
    });
    // An AZ without traffic publishes no data point; a plain sum would then have none either, so
    // each AZ's gap counts as 0 (FILL).
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html#metric-math-syntax
    return new cloudwatch.MathExpression({
      expression: Object.keys(usingMetrics).map(id => `FILL(${id}, 0)`).join(' + '),
      usingMetrics,
      period: a.period,
      label: a.label ?? 'RstPacketsSent',
    });
  }

  private metric(metricName: string, a: Aggregation): cloudwatch.Metric {
    return new cloudwatch.Metric({ namespace: NAMESPACES.privateLinkServices, metricName, dimensionsMap: { 'Service Id': this.serviceId }, ...a });
  }
}

/** A target group as its load balancer reports it: healthy and unhealthy targets. */
export class TargetGroupHealthMetrics {
  /** For the NLB's target group of type alb: its target is the ALB. */
  public static ofNetworkTargetGroup(nlb: elbv2.NetworkLoadBalancer, targetGroup: elbv2.NetworkTargetGroup): TargetGroupHealthMetrics {
    return new TargetGroupHealthMetrics(NAMESPACES.networkElb, nlb.loadBalancerFullName, targetGroup.targetGroupFullName);
  }

  constructor(
    private readonly namespace: string,
    private readonly loadBalancerFullName: string,
    private readonly targetGroupFullName: string,
  ) {}

  public healthyHostCount(a: Aggregation) {
    return this.metric('HealthyHostCount', a);
  }
  public unhealthyHostCount(a: Aggregation) {
    return this.metric('UnHealthyHostCount', a);
  }

  protected metric(metricName: string, a: Aggregation): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: this.namespace,
      metricName,
      dimensionsMap: { LoadBalancer: this.loadBalancerFullName, TargetGroup: this.targetGroupFullName },
      ...a,
    });
  }
}

/** The ALB's own metrics (AWS/ApplicationELB, dimension LoadBalancer). */
export class LoadBalancerMetrics {
  constructor(private readonly alb: elbv2.ApplicationLoadBalancer) {}

  /** 5XX responses the ALB itself generated (no healthy target, target unreachable, ...). */
  public elb5xxCount(a: Aggregation) {
    return this.metric('HTTPCode_ELB_5XX_Count', a);
  }
  public requestCount(a: Aggregation) {
    return this.metric('RequestCount', a);
  }

  private metric(metricName: string, a: Aggregation): cloudwatch.Metric {
    const dimensionsMap = { LoadBalancer: this.alb.loadBalancerFullName };
    return new cloudwatch.Metric({ namespace: NAMESPACES.applicationElb, metricName, dimensionsMap, ...a });
  }
}

/** A service's target group on the ALB: its traffic as well as its health. */
export class ApplicationTargetGroupMetrics extends TargetGroupHealthMetrics {
  constructor(alb: elbv2.ApplicationLoadBalancer, targetGroup: elbv2.ApplicationTargetGroup) {
    super(NAMESPACES.applicationElb, alb.loadBalancerFullName, targetGroup.targetGroupFullName);
  }

  /** 5XX responses of the service's tasks. */
  public target5xxCount(a: Aggregation) {
    return this.metric('HTTPCode_Target_5XX_Count', a);
  }
  public requestCount(a: Aggregation) {
    return this.metric('RequestCount', a);
  }
  /** Seconds from the request leaving the ALB to the response headers arriving from a task. */
  public targetResponseTime(a: Aggregation) {
    return this.metric('TargetResponseTime', a);
  }
}

/** A Fargate service's metrics: utilization (every cluster) and task counts (Container Insights). */
export class FargateServiceMetrics {
  private readonly dimensionsMap: Record<string, string>;

  constructor(service: ecs.IBaseService, cluster: ecs.ICluster) {
    this.dimensionsMap = { ClusterName: cluster.clusterName, ServiceName: service.serviceName };
  }

  public cpuUtilization(a: Aggregation) {
    return new cloudwatch.Metric({ namespace: NAMESPACES.ecs, metricName: 'CPUUtilization', dimensionsMap: this.dimensionsMap, ...a });
  }
  public memoryUtilization(a: Aggregation) {
    return new cloudwatch.Metric({ namespace: NAMESPACES.ecs, metricName: 'MemoryUtilization', dimensionsMap: this.dimensionsMap, ...a });
  }
  public runningTaskCount(a: Aggregation) {
    return new cloudwatch.Metric({ namespace: NAMESPACES.containerInsights, metricName: 'RunningTaskCount', dimensionsMap: this.dimensionsMap, ...a });
  }
  public desiredTaskCount(a: Aggregation) {
    return new cloudwatch.Metric({ namespace: NAMESPACES.containerInsights, metricName: 'DesiredTaskCount', dimensionsMap: this.dimensionsMap, ...a });
  }
}
