import { App, Aws, CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
// In your own app: import { ... } from 'cdk-ecs-privatelink';
import { EcsPrivateLinkApi, EcsPrivateLinkApiMonitoring, PrivateLinkConsumer, PrivateLinkProbe } from '../../src';

/** The blog's API provider: the task API on Fargate, offered through PrivateLink. */
export class ProviderStack extends Stack {
  public readonly api: EcsPrivateLinkApi;
  public readonly monitoring: EcsPrivateLinkApiMonitoring;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    // Like the blog's network module: 2 AZs, public + private subnets, 1 NAT gateway
    // (the tasks pull their image from Docker Hub).
    const vpc = new ec2.Vpc(this, 'ProviderVpc', {
      ipAddresses: ec2.IpAddresses.cidr('10.0.0.0/16'),
      maxAzs: 2,
      natGateways: 1,
    });
    addFlowLog(vpc);

    this.api = new EcsPrivateLinkApi(this, 'TaskApi', {
      vpc,
      image: ecs.ContainerImage.fromRegistry('lvthillo/python-flask-api'),
      containerPort: 8080,
      desiredCount: 2,
      cpu: 256,
      memoryLimitMiB: 512,
      port: 80, // the NLB listener: what consumers connect to
      loadBalancerPort: 8888, // the ALB listener, as in the blog
      healthCheck: { path: '/api/tasks' }, // the API answers 404 on /
      // The demo's consumer is in this same account. Connections still need acceptance
      // (acceptanceRequired stays on, the default); this account's are accepted automatically.
      allowedPrincipals: [Aws.ACCOUNT_ID],
      autoAcceptAccounts: [Aws.ACCOUNT_ID],
    });

    // Alarms over the whole chain (to a new encrypted topic) and a dashboard.
    this.monitoring = new EcsPrivateLinkApiMonitoring(this, 'Monitoring', { api: this.api });
    new CfnOutput(this, 'AlarmTopicArn', {
      description: 'Alarms of the chain go here: aws sns subscribe --protocol email --notification-endpoint <you> --topic-arn <this>',
      value: this.monitoring.alarmTopic.topicArn,
    });
    new CfnOutput(this, 'DashboardName', {
      description: 'The CloudWatch dashboard of the chain',
      value: this.monitoring.dashboard!.dashboardName,
    });
  }
}

export interface ConsumerStackProps extends StackProps {
  /** The provider's API (same app). A consumer in another app uses its serviceName instead. */
  readonly api: EcsPrivateLinkApi;
}

/** The blog's customer: a VPC reaching the task API through an interface endpoint. */
export class ConsumerStack extends Stack {
  public readonly consumer: PrivateLinkConsumer;
  public readonly probe: PrivateLinkProbe;

  constructor(scope: Construct, id: string, props: ConsumerStackProps) {
    super(scope, id, props);

    // The consumer needs no NAT gateway: PrivateLink traffic stays inside AWS.
    const vpc = new ec2.Vpc(this, 'ConsumerVpc', {
      ipAddresses: ec2.IpAddresses.cidr('10.1.0.0/16'),
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
    });
    addFlowLog(vpc);

    this.consumer = new PrivateLinkConsumer(this, 'TaskApiEndpoint', {
      vpc,
      api: props.api,
      allowedPeers: [], // only the probe, which allows itself
    });

    // Instead of the blog's EC2 instance with an SSH key: a canary in the consumer's private
    // subnets that calls the API through the endpoint every 5 minutes, publishes Success and
    // Latency metrics, and alarms when the API is unreachable. It can also be invoked on demand.
    this.probe = new PrivateLinkProbe(this, 'Probe', {
      consumer: this.consumer,
      paths: ['/api/tasks', '/api/task/2'],
    });

    new CfnOutput(this, 'ProbeFunctionName', {
      description: 'The probe: a function in the consumer VPC that calls the API through PrivateLink',
      value: this.probe.lambdaFunction.functionName,
    });
    new CfnOutput(this, 'TestCommand', {
      description: 'Run after deploy: GET /api/task/2 through PrivateLink',
      value: `aws lambda invoke --function-name ${this.probe.lambdaFunction.functionName} --cli-binary-format raw-in-base64-out ` +
        '--payload \'{"path":"/api/task/2"}\' /dev/stdout',
    });
  }
}

/** VPC flow logs to CloudWatch Logs, kept one week. */
function addFlowLog(vpc: ec2.Vpc): void {
  vpc.addFlowLog('FlowLog', {
    destination: ec2.FlowLogDestination.toCloudWatchLogs(new logs.LogGroup(vpc, 'FlowLogs', { retention: logs.RetentionDays.ONE_WEEK })),
  });
}

/** The demo topology: a provider stack and a consumer stack. */
export function buildDemo(app: App, props: StackProps = {}): { provider: ProviderStack; consumer: ConsumerStack } {
  const provider = new ProviderStack(app, 'PrivateLinkDemo-Provider', {
    ...props,
    description: 'cdk-ecs-privatelink demo: the API provider (Fargate, ALB, NLB, endpoint service, monitoring)',
  });
  const consumer = new ConsumerStack(app, 'PrivateLinkDemo-Consumer', {
    ...props,
    api: provider.api,
    description: 'cdk-ecs-privatelink demo: the API consumer (interface endpoint and a probe)',
  });
  return { provider, consumer };
}
