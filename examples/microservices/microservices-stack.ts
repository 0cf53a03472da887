import { Aws, Stack, StackProps } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
// In your own app: import { ... } from 'cdk-ecs-privatelink';
import { ApiService, ApiServiceAutoScaling, EcsPrivateLinkApi } from '../../src';
import { acknowledgeNoWebAcl, exampleVpc } from '../common/example-vpc';

/** Every service scales between 2 and 10 tasks on CPU and on requests per task. */
const SCALING: ApiServiceAutoScaling = {
  minCapacity: 2,
  maxCapacity: 10,
  targetCpuUtilizationPercent: 60,
  targetRequestsPerTarget: 1000,
};

/** The provider: one VPC, one API with three services behind one endpoint service. */
export class MicroservicesStack extends Stack {
  public readonly api: EcsPrivateLinkApi;
  public readonly orders: ApiService;
  public readonly users: ApiService;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    // One key for every log group of the example (the API adds the statement CloudWatch Logs needs).
    const logsKey = new kms.Key(this, 'LogsKey', { enableKeyRotation: true, description: 'Logs of the microservices example' });
    const vpc = exampleVpc(this, 'Vpc', { natGateways: 1, logsKey });

    // The first service: the blog's task API. With notFoundResponse, requests no service's rule
    // matches get a 404 instead of reaching it.
    this.api = new EcsPrivateLinkApi(this, 'Api', {
      vpc,
      image: ecs.ContainerImage.fromRegistry('lvthillo/python-flask-api'),
      containerPort: 8080,
      pathPatterns: ['/api/tasks*', '/api/task/*'],
      healthCheck: { path: '/api/tasks' },
      notFoundResponse: true,
      autoScaling: SCALING,
      allowedPrincipals: [Aws.ACCOUNT_ID], // add your customers' accounts
      // The example's choices, made explicitly (see examples/https for HTTPS and a private DNS name).
      protocol: elbv2.ApplicationProtocol.HTTP,
      accessLogs: false, // ALB access logs need a stack with a region
      deletionProtection: false, // so that `cdk destroy` removes the example
      logsEncryptionKey: logsKey,
    });
    acknowledgeNoWebAcl(this.api);

    // Replace the images with your services'; these public ones answer their health checks on /.
    this.orders = this.api.addService('Orders', {
      image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:stable'),
      containerPort: 80,
      pathPatterns: ['/orders', '/orders/*'],
      autoScaling: SCALING,
    });
    this.users = this.api.addService('Users', {
      image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/httpd:2.4'),
      containerPort: 80,
      pathPatterns: ['/users', '/users/*'],
      // A base of one on-demand task, then three Spot tasks for every on-demand one.
      capacityProviderStrategies: [
        { capacityProvider: 'FARGATE', base: 1, weight: 1 },
        { capacityProvider: 'FARGATE_SPOT', weight: 3 },
      ],
      autoScaling: SCALING,
    });
  }
}
