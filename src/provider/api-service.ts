import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';
import { acknowledgeTaskDefinitionFindings } from './acknowledgements';
import type { ApiServiceProps } from './api-service-options';
import { resolveHealthCheck, SERVICE_DEFAULTS } from './defaults';
import { routesOf } from './routing';
import { validateCapacityPlacement, validateRouteOverlap, validateServiceOptions } from './validation';
import { ec2Description, Validator } from '../common';

/** Default quota of rules per direction of a security group; the ALB SG has one egress rule per service. */
const SECURITY_GROUP_RULES_QUOTA = 60;

/**
 * One Fargate service behind an API's ALB: its task definition, its tasks' security group
 * (admitting only the ALB, on the container port), its target group and listener rule, and
 * its autoscaling.
 *
 * Usually created with `api.addService(id, options)`; create it directly to place it in
 * another stack than the API.
 */
export class ApiService extends Construct implements ec2.IConnectable {
  /** The Fargate service. */
  public readonly service: ecs.FargateService;
  /** The task definition of `service`. */
  public readonly taskDefinition: ecs.FargateTaskDefinition;
  /** The ALB target group of the tasks. */
  public readonly targetGroup: elbv2.ApplicationTargetGroup;
  /** The tasks' security group: ingress only from the ALB, on `containerPort`. */
  public readonly securityGroup: ec2.SecurityGroup;
  /** The port the container listens on. */
  public readonly containerPort: number;
  /** The network connections of the tasks. */
  public readonly connections: ec2.Connections;
  /** The listener rule that routes to this service; none for the API's default service. */
  public readonly listenerRule?: elbv2.ApplicationListenerRule;
  /** The priority of `listenerRule`. */
  public readonly priority?: number;
  /** The task-count scaling, when `autoScaling` is given. */
  public readonly scaling?: ecs.ScalableTaskCount;

  constructor(scope: Construct, id: string, props: ApiServiceProps) {
    super(scope, id);
    const api = props.api;
    const routes = routesOf(api);

    // ---- validate everything before any child is created ----
    const v = new Validator(this);
    validateServiceOptions(v, props);
    const routed = props.pathPatterns !== undefined || props.hostHeaders !== undefined;
    if (props.priority !== undefined && !routed) {
      v.error('priority was given without pathPatterns or hostHeaders: a priority orders routing rules');
    }
    if (!routed && routes.defaultRoute) {
      v.error(`pathPatterns or hostHeaders is required: requests no rule matches already go to ${routes.defaultRoute}`);
    }
    const priority = routed ? routes.nextPriority(props.priority) : undefined;
    const route = priority !== undefined
      ? { path: this.node.path, pathPatterns: props.pathPatterns, hostHeaders: props.hostHeaders, priority }
      : undefined;
    if (route) {
      const owner = routes.priorityOwner(route.priority);
      if (owner) {
        v.fail('priority', route.priority, `already used by ${owner}; priorities must be unique in the API (leave priority out to get a free one)`);
      }
      validateRouteOverlap(v, route, routes.routes);
    }
    validateCapacityPlacement(v, api.cluster, props.capacityProviderStrategies);
    this.priority = priority;

    // ---- the task definition ----
    const vpc = api.vpc;
    let container: ecs.ContainerDefinition;
    if (props.taskDefinition) {
      this.taskDefinition = props.taskDefinition;
      container = props.taskDefinition.defaultContainer!;
      this.containerPort = props.containerPort ?? container.containerPort;
    } else {
      this.containerPort = props.containerPort ?? SERVICE_DEFAULTS.containerPort;
      this.taskDefinition = new ecs.FargateTaskDefinition(this, 'TaskDefinition', {
        cpu: props.cpu ?? SERVICE_DEFAULTS.cpu,
        memoryLimitMiB: props.memoryLimitMiB ?? SERVICE_DEFAULTS.memoryLimitMiB,
      });
      const containerName = props.containerName ?? SERVICE_DEFAULTS.containerName;
      container = this.taskDefinition.addContainer(containerName, {
        image: props.image!,
        portMappings: [{ containerPort: this.containerPort }],
        environment: props.environment,
        secrets: props.secrets,
        // One log group per API, one stream prefix per service.
        logging: ecs.LogDrivers.awsLogs({ streamPrefix: id, logGroup: routes.serviceLogGroup() }),
      });
      acknowledgeTaskDefinitionFindings(this.taskDefinition);
    }

    // ---- the tasks: ingress is added by the target group registration below ----
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc,
      description: ec2Description(`Tasks of ${this.node.path}: only the ALB may connect, on the container port`),
      allowAllOutbound: props.allowAllOutbound ?? true,
    });
    if (props.capacityProviderStrategies && api.cluster instanceof ecs.Cluster) {
      api.cluster.enableFargateCapacityProviders();
    }
    this.service = new ecs.FargateService(this, 'Service', {
      cluster: api.cluster,
      taskDefinition: this.taskDefinition,
      desiredCount: props.desiredCount ?? SERVICE_DEFAULTS.desiredCount,
      vpcSubnets: api.taskSubnets,
      securityGroups: [this.securityGroup],
      assignPublicIp: false,
      circuitBreaker: props.circuitBreaker ?? { enable: true, rollback: true },
      minHealthyPercent: props.minHealthyPercent ?? SERVICE_DEFAULTS.minHealthyPercent,
      maxHealthyPercent: props.maxHealthyPercent ?? SERVICE_DEFAULTS.maxHealthyPercent,
      healthCheckGracePeriod: props.healthCheckGracePeriod ?? SERVICE_DEFAULTS.healthCheckGracePeriod,
      capacityProviderStrategies: props.capacityProviderStrategies,
      propagateTags: ecs.PropagatedTagSource.SERVICE,
    });
    this.connections = this.service.connections;
    if (props.capacityProviderStrategies && api.cluster instanceof ecs.Cluster) {
      // ECS rejects a strategy naming a provider the cluster isn't associated with yet, and
      // aws-cdk-lib adds the association (AWS::ECS::ClusterCapacityProviderAssociations, created
      // at synthesis inside the cluster) without a dependency from the service
      // (aws/containers-roadmap#631). Depending on the cluster construct covers everything in it.
      this.service.node.addDependency(api.cluster);
    }

    // ---- the target group and the route to it ----
    const hc = resolveHealthCheck(props.healthCheck);
    this.targetGroup = new elbv2.ApplicationTargetGroup(this, 'TargetGroup', {
      vpc,
      port: this.containerPort,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targetType: elbv2.TargetType.IP,
      targets: [this.service.loadBalancerTarget({ containerName: container.containerName, containerPort: this.containerPort })],
      healthCheck: { path: hc.path, healthyHttpCodes: hc.healthyHttpCodes, interval: hc.interval, timeout: hc.timeout },
    });
    if (route) {
      routes.addRoute(route);
      // In this construct's scope (not the listener's), so the service may live in another stack.
      this.listenerRule = new elbv2.ApplicationListenerRule(this, 'Rule', {
        listener: api.listener,
        priority: route.priority,
        conditions: [
          ...(props.pathPatterns ? [elbv2.ListenerCondition.pathPatterns(props.pathPatterns)] : []),
          ...(props.hostHeaders ? [elbv2.ListenerCondition.hostHeaders(props.hostHeaders)] : []),
        ],
        targetGroups: [this.targetGroup],
      });
    } else {
      routes.defaultRoute = this.node.path;
      api.listener.addTargetGroups('DefaultService', { targetGroups: [this.targetGroup] });
    }

    // ---- autoscaling ----
    const scaling = props.autoScaling;
    if (scaling) {
      this.scaling = this.service.autoScaleTaskCount({
        minCapacity: scaling.minCapacity ?? props.desiredCount ?? SERVICE_DEFAULTS.desiredCount,
        maxCapacity: scaling.maxCapacity,
      });
      const cooldowns = {
        scaleInCooldown: scaling.scaleInCooldown ?? SERVICE_DEFAULTS.scaleInCooldown,
        scaleOutCooldown: scaling.scaleOutCooldown ?? SERVICE_DEFAULTS.scaleOutCooldown,
      };
      if (scaling.targetCpuUtilizationPercent !== undefined) {
        this.scaling.scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: scaling.targetCpuUtilizationPercent, ...cooldowns });
      }
      if (scaling.targetMemoryUtilizationPercent !== undefined) {
        this.scaling.scaleOnMemoryUtilization('Memory', { targetUtilizationPercent: scaling.targetMemoryUtilizationPercent, ...cooldowns });
      }
      if (scaling.targetRequestsPerTarget !== undefined) {
        this.scaling.scaleOnRequestCount('Requests', { requestsPerTarget: scaling.targetRequestsPerTarget, targetGroup: this.targetGroup, ...cooldowns });
      }
    }
    routes.services.push(this);
    if (routes.services.length === SECURITY_GROUP_RULES_QUOTA + 1) {
      new Validator(api).warn('securityGroupRuleQuota',
        `More than ${SECURITY_GROUP_RULES_QUOTA} services: the ALB security group has an egress rule per service, and ` +
        `the default quota is ${SECURITY_GROUP_RULES_QUOTA} rules per direction. Raise it before deploying.`);
    }
  }
}
