import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { ApiHealthCheck } from './api-service-options';

/** Defaults shared by every service of an API (documented on `ApiServiceOptions`). */
export const SERVICE_DEFAULTS = {
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

/** Defaults of the API's load balancers (documented on `EcsPrivateLinkApiProps`). */
export const API_DEFAULTS = {
  loadBalancerIdleTimeout: Duration.seconds(60),
  networkLoadBalancerIdleTimeout: Duration.seconds(350),
  httpPort: 80,
  httpsPort: 443,
  /** Where the tasks and the load balancers go unless told otherwise. */
  subnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS } as ec2.SubnetSelection,
};

/** The resolved health check with its defaults filled in. */
export function resolveHealthCheck(hc: ApiHealthCheck | undefined): Required<ApiHealthCheck> {
  return { ...SERVICE_DEFAULTS.healthCheck, ...definedOnly(hc ?? {}) };
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, value]) => value !== undefined)) as Partial<T>;
}
