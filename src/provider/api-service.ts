import { Duration, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';
import type { ApiHealthCheck, ApiServiceAutoScaling, ApiServiceOptions, ApiServiceProps, ApiServiceRouteOptions } from './api-service-options';
import { acknowledgeNagFindings, Validator, validateFargateSize } from '../common';

/** Defaults shared by every service of an API (documented on `ApiServiceOptions`). */
const SERVICE_DEFAULTS = {
  containerName: 'api',
  containerPort: 80,
  cpu: 256,
  memoryLimitMiB: 512,
  desiredCount: 2,
  minHealthyPercent: 100,
  maxHealthyPercent: 200,
  healthCheckGracePeriod: Duration.seconds(60),
  healthCheck: {
    path: '/',
    healthyHttpCodes: '200',
    interval: Duration.seconds(30),
    timeout: Duration.seconds(5),
  },
  scaleInCooldown: Duration.seconds(300),
  scaleOutCooldown: Duration.seconds(60),
};

/** Props only used when `taskDefinition` is not given. */
const TASK_DEFINITION_PROPS: ReadonlyArray<keyof ApiServiceOptions> = [
  'image', 'containerName', 'cpu', 'memoryLimitMiB', 'environment', 'secrets',
];

const HTTP_CODES = /^\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*$/;
const PATH_PATTERN = /^\/[A-Za-z0-9_\-.$/~"'@:+*?&%=]*$/;
const HOST_HEADER = /^[A-Za-z0-9*?.-]+(:\d+)?$/;
const FARGATE_CAPACITY_PROVIDERS = ['FARGATE', 'FARGATE_SPOT'];

/** Checks the options of one service; throws before anything is created. */
export function validateServiceOptions(v: Validator, options: ApiServiceRouteOptions): void {
  if (options.taskDefinition) {
    for (const prop of TASK_DEFINITION_PROPS) {
      if (options[prop] !== undefined) {
        v.error(`${prop} was given together with taskDefinition: set it on your task definition instead, or drop taskDefinition`);
      }
    }
    const container = options.taskDefinition.defaultContainer;
    if (!container || container.portMappings.length === 0) {
      v.fail('taskDefinition', options.taskDefinition.node.path,
        'needs a default container (an essential container) with at least one port mapping');
    }
  } else {
    if (!options.image) {
      v.error('image is required: give image (and containerPort), or your own taskDefinition');
    }
    validateFargateSize(v, options.cpu ?? SERVICE_DEFAULTS.cpu, options.memoryLimitMiB ?? SERVICE_DEFAULTS.memoryLimitMiB);
  }
  v.port('containerPort', options.containerPort);
  v.integer('desiredCount', options.desiredCount, 0, 5000);
  v.integer('minHealthyPercent', options.minHealthyPercent, 0, 100);
  v.integer('maxHealthyPercent', options.maxHealthyPercent, 100, 200);
  v.seconds('healthCheckGracePeriod', options.healthCheckGracePeriod, 0, 2147483647);
  validateHealthCheck(v, options.healthCheck);
  validateRoute(v, options);
  validateCapacityProviders(v, options.capacityProviderStrategies);
  validateAutoScaling(v, options.autoScaling, options.desiredCount);
}

function validateHealthCheck(v: Validator, hc: ApiHealthCheck | undefined): void {
  if (!hc) {
    return;
  }
  if (hc.path !== undefined && !Token.isUnresolved(hc.path)) {
    v.check(hc.path.startsWith('/') && hc.path.length <= 1024, 'healthCheck.path', hc.path,
      'must start with / (for example /health), at most 1024 characters');
  }
  const codes = hc.healthyHttpCodes;
  if (codes !== undefined && !Token.isUnresolved(codes)) {
    const inRange = HTTP_CODES.test(codes) && codes.split(/[,-]/).every(c => Number(c) >= 200 && Number(c) <= 499);
    v.check(inRange, 'healthCheck.healthyHttpCodes', codes,
      'must be HTTP codes or ranges from 200 to 499, comma separated (for example 200,204 or 200-299)');
  }
  v.seconds('healthCheck.interval', hc.interval, 5, 300);
  v.seconds('healthCheck.timeout', hc.timeout, 2, 120);
  const interval = hc.interval ?? SERVICE_DEFAULTS.healthCheck.interval;
  const timeout = hc.timeout ?? SERVICE_DEFAULTS.healthCheck.timeout;
  if (!interval.isUnresolved() && !timeout.isUnresolved()) {
    v.check(timeout.toSeconds() < interval.toSeconds(), 'healthCheck.timeout', timeout,
      `must be shorter than healthCheck.interval (${interval.toHumanString()})`);
  }
}

function validateRoute(v: Validator, route: ApiServiceRouteOptions): void {
  const paths = route.pathPatterns ?? [];
  const hosts = route.hostHeaders ?? [];
  for (const path of paths.filter(p => !Token.isUnresolved(p))) {
    v.check(PATH_PATTERN.test(path) && path.length <= 128, 'pathPatterns', path,
      'each must start with / and have at most 128 characters: letters, digits, * ? and _-.$/~"\'@:+&%=');
  }
  for (const host of hosts.filter(h => !Token.isUnresolved(h))) {
    v.check(HOST_HEADER.test(host) && host.length <= 128, 'hostHeaders', host,
      'each must be a host name of at most 128 characters, with * and ? wildcards (for example *.example.com)');
  }
  if (route.pathPatterns?.length === 0 || route.hostHeaders?.length === 0) {
    v.fail(route.pathPatterns?.length === 0 ? 'pathPatterns' : 'hostHeaders', [], 'give at least one value, or leave it out');
  }
  v.check(paths.length + hosts.length <= 5, 'pathPatterns + hostHeaders', [...paths, ...hosts],
    'an ALB rule takes at most 5 values in all');
  v.integer('priority', route.priority, 1, 50000);
}

function validateCapacityProviders(v: Validator, strategies: ecs.CapacityProviderStrategy[] | undefined): void {
  if (!strategies) {
    return;
  }
  for (const s of strategies) {
    v.check(FARGATE_CAPACITY_PROVIDERS.includes(s.capacityProvider), 'capacityProviderStrategies', s.capacityProvider,
      'each capacityProvider must be FARGATE or FARGATE_SPOT');
    v.integer('capacityProviderStrategies.weight', s.weight, 0, 1000);
    v.integer('capacityProviderStrategies.base', s.base, 0, 100000);
  }
  v.check(strategies.some(s => (s.weight ?? 0) > 0), 'capacityProviderStrategies', strategies,
    'at least one capacity provider needs a weight above 0');
  v.check(strategies.filter(s => (s.base ?? 0) > 0).length <= 1, 'capacityProviderStrategies', strategies,
    'only one capacity provider may have a base');
}

function validateAutoScaling(v: Validator, scaling: ApiServiceAutoScaling | undefined, desiredCount: number | undefined): void {
  if (!scaling) {
    return;
  }
  v.integer('autoScaling.maxCapacity', scaling.maxCapacity, 1, 5000);
  v.integer('autoScaling.minCapacity', scaling.minCapacity, 0, 5000);
  const min = scaling.minCapacity ?? desiredCount ?? SERVICE_DEFAULTS.desiredCount;
  if (!Token.isUnresolved(min) && !Token.isUnresolved(scaling.maxCapacity)) {
    v.check(min <= scaling.maxCapacity, scaling.minCapacity !== undefined ? 'autoScaling.minCapacity' : 'desiredCount', min,
      `must not be above autoScaling.maxCapacity (${scaling.maxCapacity})`);
  }
  for (const prop of ['targetCpuUtilizationPercent', 'targetMemoryUtilizationPercent'] as const) {
    const value = scaling[prop];
    if (value !== undefined && !Token.isUnresolved(value)) {
      v.check(value >= 1 && value <= 100, `autoScaling.${prop}`, value, 'must be a percentage from 1 to 100');
    }
  }
  v.integer('autoScaling.targetRequestsPerTarget', scaling.targetRequestsPerTarget, 1, 1000000);
  v.seconds('autoScaling.scaleInCooldown', scaling.scaleInCooldown, 0, 86400);
  v.seconds('autoScaling.scaleOutCooldown', scaling.scaleOutCooldown, 0, 86400);
  if (scaling.targetCpuUtilizationPercent === undefined && scaling.targetMemoryUtilizationPercent === undefined &&
    scaling.targetRequestsPerTarget === undefined) {
    v.error('autoScaling needs a target: targetCpuUtilizationPercent, targetMemoryUtilizationPercent or targetRequestsPerTarget');
  }
}

/** The resolved health check with its defaults filled in. */
export function resolveHealthCheck(hc: ApiHealthCheck | undefined): Required<ApiHealthCheck> {
  return { ...SERVICE_DEFAULTS.healthCheck, ...definedOnly(hc ?? {}) };
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, value]) => value !== undefined)) as Partial<T>;
}

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

    // ---- validate everything before any child is created ----
    const v = new Validator(this);
    validateServiceOptions(v, props);
    const routed = props.pathPatterns !== undefined || props.hostHeaders !== undefined;
    if (props.priority !== undefined && !routed) {
      v.error('priority was given without pathPatterns or hostHeaders: a priority orders routing rules');
    }
    const defaultRoute = api._defaultRoute();
    if (!routed && defaultRoute) {
      v.error(`pathPatterns or hostHeaders is required: requests no rule matches already go to ${defaultRoute}`);
    }
    const priority = routed ? api._claimPriority(this.node.path, props.priority) : undefined;
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
        logging: ecs.LogDrivers.awsLogs({ streamPrefix: id, logGroup: api._serviceLogGroup() }),
      });
      if (props.environment) {
        acknowledgeNagFindings(this.taskDefinition, [{
          id: 'AwsSolutions-ECS2',
          reason: 'environment carries the plain configuration the app passes; secret values belong in secrets (Secrets Manager or SSM), which the task reads at start.',
        }]);
      }
    }

    // ---- the tasks: ingress is added by the target group registration below ----
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc,
      description: `Tasks of ${this.node.path}: only the ALB may connect, on the container port`,
      allowAllOutbound: true,
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
    if (routed) {
      // In this construct's scope (not the listener's), so the service may live in another stack.
      this.listenerRule = new elbv2.ApplicationListenerRule(this, 'Rule', {
        listener: api.listener,
        priority: priority!,
        conditions: [
          ...(props.pathPatterns ? [elbv2.ListenerCondition.pathPatterns(props.pathPatterns)] : []),
          ...(props.hostHeaders ? [elbv2.ListenerCondition.hostHeaders(props.hostHeaders)] : []),
        ],
        targetGroups: [this.targetGroup],
      });
    } else {
      api._setDefaultRoute(this.node.path, this.targetGroup);
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
    api._registerService(this);
  }
}
