import type { Duration } from 'aws-cdk-lib';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import type { IEcsPrivateLinkApi } from './api-interface';

/**
 * The HTTP health check of an API service.
 *
 * The same check is used twice: by the ALB on the tasks, and by the NLB on the
 * ALB (an ALB-type target group only takes HTTP/HTTPS checks, and they pass
 * through the ALB listener to the service). So the path must be one the service
 * answers; `/` is often a 404 on APIs.
 */
export interface ApiHealthCheck {
  /**
   * The path requested by the health checks. Must start with `/`.
   *
   * @default '/'
   */
  readonly path?: string;

  /**
   * HTTP codes that mean healthy: single codes and ranges from 200 to 499,
   * comma separated (for example `200,204` or `200-299`).
   *
   * @default '200'
   */
  readonly healthyHttpCodes?: string;

  /**
   * Time between two checks, 5 to 300 seconds.
   *
   * @default Duration.seconds(30)
   */
  readonly interval?: Duration;

  /**
   * Time without an answer after which a check fails, 2 to 120 seconds and
   * shorter than `interval`.
   *
   * @default Duration.seconds(5)
   */
  readonly timeout?: Duration;
}

/**
 * What runs in one Fargate service behind the API's load balancers, and how it deploys.
 *
 * Give either `image` (the library builds the task definition) or
 * `taskDefinition` (your own, with a default container that maps a port).
 */
export interface ApiServiceOptions {
  /**
   * The container image to run, for example
   * `ecs.ContainerImage.fromRegistry('lvthillo/python-flask-api')`.
   *
   * @default - none; required unless `taskDefinition` is given
   */
  readonly image?: ecs.ContainerImage;

  /**
   * Your own Fargate task definition. Its default container (the first
   * essential one) receives the traffic, on `containerPort`.
   *
   * @default - a task definition is created from `image`, `cpu`, `memoryLimitMiB`,
   * `environment` and `secrets`, logging to the API's log group
   */
  readonly taskDefinition?: ecs.FargateTaskDefinition;

  /**
   * Name of the container created from `image`.
   *
   * @default 'api'
   */
  readonly containerName?: string;

  /**
   * The port the container listens on. Only the ALB's security group may reach it.
   *
   * @default - 80, or the first port mapping of the default container of `taskDefinition`
   */
  readonly containerPort?: number;

  /**
   * vCPU units of the task (256 = 0.25 vCPU). Must form a valid Fargate size with `memoryLimitMiB`.
   *
   * @default 256
   */
  readonly cpu?: number;

  /**
   * Memory of the task in MiB. Must form a valid Fargate size with `cpu`.
   *
   * @default 512
   */
  readonly memoryLimitMiB?: number;

  /**
   * Number of tasks to keep running. The tasks are spread over the AZs of the task subnets.
   *
   * @default 2
   */
  readonly desiredCount?: number;

  /**
   * Environment variables of the container.
   *
   * @default - none
   */
  readonly environment?: { [name: string]: string };

  /**
   * Secrets from Secrets Manager or SSM Parameter Store, exposed to the container as
   * environment variables. The task's execution role is granted read access.
   *
   * @default - none
   */
  readonly secrets?: { [name: string]: ecs.Secret };

  /**
   * Whether the tasks may open connections anywhere. With `false` they may reach nothing
   * until you allow it through `connections` (the API's `connections` for its first service,
   * `ApiService.connections` for others), for example HTTPS to the VPC endpoints of ECR, S3,
   * CloudWatch Logs and Secrets Manager, or to `0.0.0.0/0` through a NAT gateway: without a way
   * to ECR (or the image's registry) and CloudWatch Logs, tasks cannot start.
   *
   * @default true
   */
  readonly allowAllOutbound?: boolean;

  /**
   * The health check of the service, used by the ALB (and, for the API's
   * default service, by the NLB on the ALB).
   *
   * @default - `GET /` every 30 seconds, healthy on HTTP 200
   */
  readonly healthCheck?: ApiHealthCheck;

  /**
   * The deployment circuit breaker: a deployment whose tasks can't become
   * healthy fails (and rolls back) instead of hanging CloudFormation for hours.
   *
   * @default { enable: true, rollback: true }
   */
  readonly circuitBreaker?: ecs.DeploymentCircuitBreaker;

  /**
   * Lower limit of running tasks during a deployment, in percent of `desiredCount`.
   *
   * @default 100
   */
  readonly minHealthyPercent?: number;

  /**
   * Upper limit of running tasks during a deployment, in percent of `desiredCount`.
   *
   * @default 200
   */
  readonly maxHealthyPercent?: number;

  /**
   * Time after a task starts during which failed load balancer health checks are ignored.
   *
   * @default Duration.seconds(60)
   */
  readonly healthCheckGracePeriod?: Duration;

  /**
   * How the service places its tasks on Fargate capacity, for example
   * `[{ capacityProvider: 'FARGATE', base: 1, weight: 1 }, { capacityProvider: 'FARGATE_SPOT', weight: 3 }]`.
   * The cluster must have the Fargate capacity providers (a cluster the library creates has them).
   *
   * @default - on-demand Fargate (launch type FARGATE)
   */
  readonly capacityProviderStrategies?: ecs.CapacityProviderStrategy[];

  /**
   * Scale the number of tasks with the load.
   *
   * @default - no autoscaling: `desiredCount` tasks
   */
  readonly autoScaling?: ApiServiceAutoScaling;
}

/**
 * Target-tracking autoscaling of a service's task count. Give at least one target.
 */
export interface ApiServiceAutoScaling {
  /**
   * The fewest tasks.
   *
   * @default - the service's `desiredCount`
   */
  readonly minCapacity?: number;

  /** The most tasks. */
  readonly maxCapacity: number;

  /**
   * Keep the service's average CPU utilization near this percentage (1-100).
   *
   * @default - no CPU target
   */
  readonly targetCpuUtilizationPercent?: number;

  /**
   * Keep the service's average memory utilization near this percentage (1-100).
   *
   * @default - no memory target
   */
  readonly targetMemoryUtilizationPercent?: number;

  /**
   * Keep the ALB requests per task per minute near this number.
   *
   * @default - no request-count target
   */
  readonly targetRequestsPerTarget?: number;

  /**
   * Time after a scale-in before another scale-in.
   *
   * @default Duration.seconds(300)
   */
  readonly scaleInCooldown?: Duration;

  /**
   * Time after a scale-out before another scale-out.
   *
   * @default Duration.seconds(60)
   */
  readonly scaleOutCooldown?: Duration;
}

/**
 * Options of a service added to an API with `addService`: what runs, and which
 * requests the ALB routes to it.
 *
 * A request goes to the service whose rule matches first (lowest `priority`);
 * requests no rule matches go to the API's first service, or get a 404 when
 * the API sets `notFoundResponse`.
 */
export interface ApiServiceRouteOptions extends ApiServiceOptions {
  /**
   * Path patterns routed to this service, for example `['/orders', '/orders/*']`
   * (`*` and `?` wildcards, case sensitive). With `hostHeaders`, both must match.
   *
   * @default - any path (give `hostHeaders` then)
   */
  readonly pathPatterns?: string[];

  /**
   * Host headers routed to this service, for example `['orders.example.com']`.
   *
   * @default - any host (give `pathPatterns` then)
   */
  readonly hostHeaders?: string[];

  /**
   * The listener rule's priority, 1-50000, unique in the API; lower wins.
   *
   * @default - 10 times the service's position in the API (the first added service 10,
   * the next 20, ...), skipping priorities already taken
   */
  readonly priority?: number;
}

/** Properties of an `ApiService`: a service of `api`, and how requests reach it. */
export interface ApiServiceProps extends ApiServiceRouteOptions {
  /**
   * The API whose ALB routes to this service. The service may live in another stack
   * than the API (for example when one stack would pass CloudFormation's 500-resource limit).
   */
  readonly api: IEcsPrivateLinkApi;
}
