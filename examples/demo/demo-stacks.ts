import { readFileSync } from 'fs';
import * as path from 'path';
import { App, Aws, CfnOutput, Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
// In your own app: import { EcsPrivateLinkApi, PrivateLinkConsumer } from 'cdk-ecs-privatelink';
import { EcsPrivateLinkApi, PrivateLinkConsumer } from '../../src';

/** The blog's API provider: the task API on Fargate, offered through PrivateLink. */
export class ProviderStack extends Stack {
  public readonly api: EcsPrivateLinkApi;

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
      // The demo's consumer is in this same account, so its endpoint is accepted
      // automatically; a real provider names its customers' accounts and keeps
      // acceptanceRequired on.
      allowedPrincipals: [Aws.ACCOUNT_ID],
      acceptanceRequired: false,
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
  public readonly probe: lambda.Function;

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
      allowedPeers: [], // only the probe, allowed below
    });

    // Instead of the blog's EC2 instance with an SSH key: a function in the
    // consumer's private subnets that calls the API through the endpoint.
    this.probe = new lambda.Function(this, 'Probe', {
      // The newest Node.js runtime (Runtime.NODEJS_24_X in aws-cdk-lib 2.2xx and later).
      runtime: new lambda.Runtime('nodejs24.x', lambda.RuntimeFamily.NODEJS, { supportsInlineCode: true }),
      handler: 'index.handler',
      code: lambda.Code.fromInline(readFileSync(path.join(__dirname, 'probe', 'index.js'), 'utf8')),
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      timeout: Duration.seconds(15),
      environment: { API_URL: this.consumer.url },
      logGroup: new logs.LogGroup(this, 'ProbeLogs', { retention: logs.RetentionDays.ONE_WEEK }),
      description: 'Calls the task API through the PrivateLink endpoint',
    });
    this.consumer.connections.allowDefaultPortFrom(this.probe, 'The probe calls the API');
    // cdk-nag AwsSolutions-IAM4, acknowledged with the metadata cdk-nag reads (what its
    // NagSuppressions writes), so the demo doesn't depend on cdk-nag.
    (this.probe.role!.node.defaultChild as iam.CfnRole).addMetadata('cdk_nag', {
      rules_to_suppress: [{
        id: 'AwsSolutions-IAM4',
        reason: 'AWSLambdaBasicExecutionRole and AWSLambdaVPCAccessExecutionRole are the minimal AWS managed policies of a function in a VPC',
        applies_to: [
          'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
          'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole',
        ],
      }],
    });

    new CfnOutput(this, 'ProbeFunctionName', {
      description: 'The probe: a function in the consumer VPC that calls the API through PrivateLink',
      value: this.probe.functionName,
    });
    new CfnOutput(this, 'TestCommand', {
      description: 'Run after deploy: GET /api/task/2 through PrivateLink',
      value: `aws lambda invoke --function-name ${this.probe.functionName} --cli-binary-format raw-in-base64-out ` +
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
    description: 'cdk-ecs-privatelink demo: the API provider (Fargate, ALB, NLB, endpoint service)',
  });
  const consumer = new ConsumerStack(app, 'PrivateLinkDemo-Consumer', {
    ...props,
    api: provider.api,
    description: 'cdk-ecs-privatelink demo: the API consumer (interface endpoint and a probe function)',
  });
  return { provider, consumer };
}
