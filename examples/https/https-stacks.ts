import { readFileSync } from 'fs';
import * as path from 'path';
import { App, Aws, CfnOutput, Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
// In your own app: import { EcsPrivateLinkApi, PrivateLinkConsumer } from 'cdk-ecs-privatelink';
import { EcsPrivateLinkApi, PrivateLinkConsumer } from '../../src';

/** What the example needs from your account; placeholders let it synthesize without one. */
export interface HttpsSettings {
  /** An ACM certificate covering `privateDnsName`, in the provider's region. */
  readonly certificateArn: string;
  /** The private DNS name consumers call. */
  readonly privateDnsName: string;
  /** The Route 53 public hosted zone of the name's domain. */
  readonly hostedZoneId: string;
  readonly zoneName: string;
  /** The S3 bucket and key of the PEM bundle of the CAs that issue your consumers' client certificates. */
  readonly caBundleBucket: string;
  readonly caBundleKey: string;
  /**
   * The Secrets Manager secret (name) with the probe's client certificate, issued by one of those
   * CAs: `{"certificate": "<PEM>", "privateKey": "<PEM>"}`.
   */
  readonly clientCertificateSecretName: string;
}

export const PLACEHOLDERS: HttpsSettings = {
  certificateArn: 'arn:aws:acm:eu-west-1:111122223333:certificate/00000000-0000-0000-0000-000000000000',
  privateDnsName: 'api.example.com',
  hostedZoneId: 'Z0123456789ABCDEFGHIJ',
  zoneName: 'example.com',
  caBundleBucket: 'example-privatelink-ca-bundles',
  caBundleKey: 'privatelink/ca-bundle.pem',
  clientCertificateSecretName: 'privatelink-https/client-certificate',
};

/** Reads the settings from context (`-c certificateArn=...`), falling back to the placeholders. */
export function settingsFrom(app: App): HttpsSettings {
  const get = (key: keyof HttpsSettings) => (app.node.tryGetContext(key) as string | undefined) ?? PLACEHOLDERS[key];
  return Object.fromEntries(Object.keys(PLACEHOLDERS).map(key => [key, get(key as keyof HttpsSettings)])) as unknown as HttpsSettings;
}

function vpcWithFlowLog(scope: Construct, id: string, props: ec2.VpcProps): ec2.Vpc {
  const vpc = new ec2.Vpc(scope, id, props);
  vpc.addFlowLog('FlowLog', {
    destination: ec2.FlowLogDestination.toCloudWatchLogs(new logs.LogGroup(vpc, 'FlowLogs', { retention: logs.RetentionDays.ONE_WEEK })),
  });
  return vpc;
}

export interface HttpsProviderStackProps extends StackProps {
  readonly settings: HttpsSettings;
}

/**
 * The provider: HTTPS at the ALB with mutual TLS (consumers present client certificates), a
 * verified private DNS name, and connection notifications.
 */
export class HttpsProviderStack extends Stack {
  public readonly api: EcsPrivateLinkApi;

  constructor(scope: Construct, id: string, props: HttpsProviderStackProps) {
    super(scope, id, props);
    const { settings } = props;

    this.api = new EcsPrivateLinkApi(this, 'TaskApi', {
      vpc: vpcWithFlowLog(this, 'ProviderVpc', { maxAzs: 2, natGateways: 1 }),
      image: ecs.ContainerImage.fromRegistry('lvthillo/python-flask-api'),
      containerPort: 8080,
      healthCheck: { path: '/api/tasks' },
      // HTTPS: TLS terminates at the ALB (port 443), the NLB forwards TCP 443 to it; port 80 redirects.
      certificate: acm.Certificate.fromCertificateArn(this, 'Certificate', settings.certificateArn),
      redirectHttp: true,
      // Mutual TLS, VERIFY: the ALB admits only clients whose certificate chains to a CA of this
      // bundle, and tells the tasks who called (X-Amzn-Mtls-Clientcert-Subject, -Serial-Number...).
      mutualTls: {
        caCertificatesBundle: {
          bucket: s3.Bucket.fromBucketName(this, 'CaBundles', settings.caBundleBucket),
          key: settings.caBundleKey,
        },
      },
      // The certificate covers this name; consumers with private DNS call https://api.example.com.
      privateDnsName: settings.privateDnsName,
      publicHostedZone: route53.PublicHostedZone.fromPublicHostedZoneAttributes(this, 'Zone', {
        hostedZoneId: settings.hostedZoneId,
        zoneName: settings.zoneName,
      }),
      // Every connection waits for acceptance; the topic tells you someone is waiting.
      allowedPrincipals: [Aws.ACCOUNT_ID],
      acceptanceRequired: true,
      connectionNotifications: true,
    });

    new CfnOutput(this, 'NotificationTopic', {
      description: 'Subscribe to learn of endpoint connections waiting for acceptance',
      value: this.api.notificationTopic!.topicArn,
    });
    new CfnOutput(this, 'CheckVerification', {
      description: 'The private DNS name must be verified before consumers enable private DNS',
      value: `aws ec2 describe-vpc-endpoint-service-configurations --service-ids ${this.api.endpointService.vpcEndpointServiceId} ` +
        '--query "ServiceConfigurations[0].PrivateDnsNameConfiguration.State"',
    });
  }
}

export interface HttpsConsumerStackProps extends StackProps {
  readonly api: EcsPrivateLinkApi;
  /** The secret with the probe's client certificate (`HttpsSettings.clientCertificateSecretName`). */
  readonly clientCertificateSecretName: string;
}

/**
 * A consumer that calls the provider by its private DNS name, over HTTPS, with a client
 * certificate: a probe function reads it from Secrets Manager and presents it.
 */
export class HttpsConsumerStack extends Stack {
  public readonly consumer: PrivateLinkConsumer;
  public readonly probe: lambda.Function;

  constructor(scope: Construct, id: string, props: HttpsConsumerStackProps) {
    super(scope, id, props);
    const vpc = vpcWithFlowLog(this, 'ConsumerVpc', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
    });
    // Deploy this stack once the provider's name is verified (CheckVerification output) and
    // the connection accepted: an endpoint with private DNS fails on an unverified name.
    this.consumer = new PrivateLinkConsumer(this, 'TaskApiEndpoint', { vpc, api: props.api, privateDnsEnabled: true, allowedPeers: [] });

    // The probe presents the client certificate it reads from Secrets Manager; with no NAT
    // gateway it reaches Secrets Manager through an interface endpoint of its own.
    const clientCertificate = secretsmanager.Secret.fromSecretNameV2(this, 'ClientCertificate', props.clientCertificateSecretName);
    const secretsEndpoint = vpc.addInterfaceEndpoint('SecretsManager', {
      service: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
      open: false, // only the probe, allowed below
    });
    this.probe = new lambda.Function(this, 'Probe', {
      runtime: new lambda.Runtime('nodejs24.x', lambda.RuntimeFamily.NODEJS, { supportsInlineCode: true }),
      handler: 'index.handler',
      code: lambda.Code.fromInline(readFileSync(path.join(__dirname, 'probe', 'index.js'), 'utf8')),
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      timeout: Duration.seconds(15),
      environment: { API_URL: this.consumer.url, CLIENT_CERTIFICATE_SECRET: props.clientCertificateSecretName },
      logGroup: new logs.LogGroup(this, 'ProbeLogs', { retention: logs.RetentionDays.ONE_WEEK }),
      description: 'Calls the task API through the PrivateLink endpoint with a client certificate (mutual TLS)',
    });
    clientCertificate.grantRead(this.probe);
    this.consumer.connections.allowDefaultPortFrom(this.probe, 'The probe calls the API');
    secretsEndpoint.connections.allowDefaultPortFrom(this.probe, 'The probe reads its client certificate');
    // cdk-nag AwsSolutions-IAM4, acknowledged with the metadata cdk-nag reads (as in examples/demo).
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

    new CfnOutput(this, 'TestCommand', {
      description: 'Run after deploy: GET /api/task/2 through PrivateLink with the client certificate',
      value: `aws lambda invoke --function-name ${this.probe.functionName} --cli-binary-format raw-in-base64-out ` +
        '--payload \'{"path":"/api/task/2"}\' /dev/stdout',
    });
  }
}

/** The example: a provider stack and a consumer stack. */
export function buildHttpsExample(app: App): { provider: HttpsProviderStack; consumer: HttpsConsumerStack } {
  const settings = settingsFrom(app);
  const provider = new HttpsProviderStack(app, 'PrivateLinkHttps-Provider', { settings });
  const consumer = new HttpsConsumerStack(app, 'PrivateLinkHttps-Consumer', {
    api: provider.api,
    clientCertificateSecretName: settings.clientCertificateSecretName,
  });
  return { provider, consumer };
}
