import { Duration, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { ApiHealthCheck, ApiServiceOptions } from './api-service-options';
import { acknowledgeNagFindings, Validator, validateFargateSize } from '../common';

/** Defaults shared by every service of an API (documented on `ApiServiceOptions`). */
export const SERVICE_DEFAULTS = {
  containerName: 'api',
  containerPort: 80,
  cpu: 256,
  memoryLimitMiB: 512,
  desiredCount: 2,
  logRetention: logs.RetentionDays.ONE_MONTH,
  minHealthyPercent: 100,
  maxHealthyPercent: 200,
  healthCheckGracePeriod: Duration.seconds(60),
  healthCheck: {
    path: '/',
    healthyHttpCodes: '200',
    interval: Duration.seconds(30),
    timeout: Duration.seconds(5),
  },
};

/** Props only used when `taskDefinition` is not given. */
const TASK_DEFINITION_PROPS: ReadonlyArray<keyof ApiServiceOptions> = [
  'image', 'containerName', 'cpu', 'memoryLimitMiB', 'environment', 'secrets', 'logRetention',
];

/**
 * Checks the options of one service; throws before anything is created.
 */
export function validateServiceOptions(v: Validator, options: ApiServiceOptions): void {
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
}

const HTTP_CODES = /^\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*$/;

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

/**
 * The resolved health check with its defaults filled in.
 */
export function resolveHealthCheck(hc: ApiHealthCheck | undefined): Required<ApiHealthCheck> {
  return { ...SERVICE_DEFAULTS.healthCheck, ...definedOnly(hc ?? {}) };
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/**
 * Where a service runs: what the API gives each of its services.
 */
export interface ServicePlacement {
  readonly cluster: ecs.ICluster;
  readonly taskSubnets: ec2.SubnetSelection;
}

/**
 * One Fargate service of the API: its task definition, its tasks' security
 * group and the ALB target group that reaches them on the container port.
 */
export class ApiServiceResources extends Construct implements ec2.IConnectable {
  public readonly service: ecs.FargateService;
  public readonly taskDefinition: ecs.FargateTaskDefinition;
  public readonly targetGroup: elbv2.ApplicationTargetGroup;
  public readonly securityGroup: ec2.SecurityGroup;
  public readonly containerPort: number;
  public readonly connections: ec2.Connections;
  public readonly logGroup?: logs.LogGroup;

  constructor(scope: Construct, id: string, options: ApiServiceOptions, placement: ServicePlacement) {
    super(scope, id);
    validateServiceOptions(new Validator(this), options);

    const vpc = placement.cluster.vpc;
    let container: ecs.ContainerDefinition;
    if (options.taskDefinition) {
      this.taskDefinition = options.taskDefinition;
      container = options.taskDefinition.defaultContainer!;
      this.containerPort = options.containerPort ?? container.containerPort;
    } else {
      this.containerPort = options.containerPort ?? SERVICE_DEFAULTS.containerPort;
      this.taskDefinition = new ecs.FargateTaskDefinition(this, 'TaskDefinition', {
        cpu: options.cpu ?? SERVICE_DEFAULTS.cpu,
        memoryLimitMiB: options.memoryLimitMiB ?? SERVICE_DEFAULTS.memoryLimitMiB,
      });
      this.logGroup = new logs.LogGroup(this, 'LogGroup', {
        retention: options.logRetention ?? SERVICE_DEFAULTS.logRetention,
      });
      const containerName = options.containerName ?? SERVICE_DEFAULTS.containerName;
      container = this.taskDefinition.addContainer(containerName, {
        image: options.image!,
        portMappings: [{ containerPort: this.containerPort }],
        environment: options.environment,
        secrets: options.secrets,
        logging: ecs.LogDrivers.awsLogs({ streamPrefix: containerName, logGroup: this.logGroup }),
      });
      if (options.environment) {
        acknowledgeNagFindings(this.taskDefinition, [{
          id: 'AwsSolutions-ECS2',
          reason: 'environment carries the plain configuration the app passes; secret values belong in secrets (Secrets Manager or SSM), which the task reads at start.',
        }]);
      }
    }

    // Ingress is added by the target group registration below: the ALB's
    // security group, on the container port, and nothing else.
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc,
      description: `Tasks of ${this.node.path}: only the ALB may connect, on the container port`,
      allowAllOutbound: true,
    });

    this.service = new ecs.FargateService(this, 'Service', {
      cluster: placement.cluster,
      taskDefinition: this.taskDefinition,
      desiredCount: options.desiredCount ?? SERVICE_DEFAULTS.desiredCount,
      vpcSubnets: placement.taskSubnets,
      securityGroups: [this.securityGroup],
      assignPublicIp: false,
      circuitBreaker: options.circuitBreaker ?? { enable: true, rollback: true },
      minHealthyPercent: options.minHealthyPercent ?? SERVICE_DEFAULTS.minHealthyPercent,
      maxHealthyPercent: options.maxHealthyPercent ?? SERVICE_DEFAULTS.maxHealthyPercent,
      healthCheckGracePeriod: options.healthCheckGracePeriod ?? SERVICE_DEFAULTS.healthCheckGracePeriod,
      propagateTags: ecs.PropagatedTagSource.SERVICE,
    });
    this.connections = this.service.connections;

    const hc = resolveHealthCheck(options.healthCheck);
    this.targetGroup = new elbv2.ApplicationTargetGroup(this, 'TargetGroup', {
      vpc,
      port: this.containerPort,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targetType: elbv2.TargetType.IP,
      targets: [this.service.loadBalancerTarget({ containerName: container.containerName, containerPort: this.containerPort })],
      healthCheck: {
        path: hc.path,
        healthyHttpCodes: hc.healthyHttpCodes,
        interval: hc.interval,
        timeout: hc.timeout,
      },
    });
  }
}
