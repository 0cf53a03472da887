import { App, Aws, CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
// In your own app: import { ... } from 'cdk-ecs-privatelink';
import { EcsPrivateLinkApi, EcsPrivateLinkApiMonitoring, PrivateLinkConsumer, PrivateLinkProbe } from '../../src';
import { acknowledgeNoWebAcl, exampleVpc } from '../common/example-vpc';

/** The blog's API provider: the task API on Fargate, offered through PrivateLink. */
export class ProviderStack extends Stack {
  public readonly api: EcsPrivateLinkApi;
  public readonly monitoring: EcsPrivateLinkApiMonitoring;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    // Like the blog's network module: 2 AZs, public + private subnets, 1 NAT gateway
    // (the tasks pull their image from Docker Hub); flow logs and every log group encrypted.
    const logsKey = new kms.Key(this, 'LogsKey', { enableKeyRotation: true, description: 'Logs of the demo provider' });
    const vpc = exampleVpc(this, 'ProviderVpc', { cidr: '10.0.0.0/16', natGateways: 1, logsKey });

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
      // The demo's choices, made explicitly (examples/https shows HTTPS and mutual TLS).
      protocol: elbv2.ApplicationProtocol.HTTP,
      accessLogs: false, // ALB access logs need a stack with a region
      deletionProtection: false, // so that `cdk destroy` removes the demo
      logsEncryptionKey: logsKey,
    });
    acknowledgeNoWebAcl(this.api);

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
    const logsKey = new kms.Key(this, 'LogsKey', { enableKeyRotation: true, description: 'Logs of the demo consumer' });
    const vpc = exampleVpc(this, 'ConsumerVpc', { cidr: '10.1.0.0/16', natGateways: 0, logsKey });

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
      logsEncryptionKey: logsKey,
    });

    new CfnOutput(this, 'ProbeFunctionName', {
      description: 'The probe: a function in the consumer VPC that calls the API through PrivateLink',
      value: this.probe.lambdaFunction.functionName,
    });
    new CfnOutput(this, 'ProbeAlarmTopicArn', {
      description: 'The probe\'s alarm goes here: aws sns subscribe --protocol email --notification-endpoint <you> --topic-arn <this>',
      value: this.probe.alarmTopic.topicArn,
    });
    new CfnOutput(this, 'TestCommand', {
      description: 'Run after deploy: GET /api/task/2 through PrivateLink',
      value: `aws lambda invoke --function-name ${this.probe.lambdaFunction.functionName} --cli-binary-format raw-in-base64-out ` +
        '--payload \'{"path":"/api/task/2"}\' /dev/stdout',
    });
  }
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
