import { Aws, Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
// In your own app: import { ... } from 'cdk-ecs-privatelink';
import { ApiService, ApiServiceAutoScaling, EcsPrivateLinkApi } from '../../src';

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

    const vpc = new ec2.Vpc(this, 'Vpc', { maxAzs: 2, natGateways: 1 });
    vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(new logs.LogGroup(vpc, 'FlowLogs', { retention: logs.RetentionDays.ONE_WEEK })),
    });

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
    });

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
