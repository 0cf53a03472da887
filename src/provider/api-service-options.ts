import type { Duration } from 'aws-cdk-lib';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as logs from 'aws-cdk-lib/aws-logs';

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
   * `environment`, `secrets` and `logRetention`
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
   * How long the container's logs are kept in CloudWatch Logs.
   *
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;

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
}
