import { App, Aws, CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
// In your own app: import { ... } from 'cdk-ecs-privatelink';
import { EcsPrivateLinkApi, PrivateLinkConsumer, PrivateLinkProbe } from '../../src';
import { acknowledgeNoWebAcl, exampleVpc } from '../common/example-vpc';

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

    const logsKey = new kms.Key(this, 'LogsKey', { enableKeyRotation: true, description: 'Logs of the https example\'s provider' });
    this.api = new EcsPrivateLinkApi(this, 'TaskApi', {
      vpc: exampleVpc(this, 'ProviderVpc', { natGateways: 1, logsKey }),
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
      // The example's other choices, made explicitly.
      accessLogs: false, // ALB access logs need a stack with a region
      deletionProtection: false, // so that `cdk destroy` removes the example
      logsEncryptionKey: logsKey,
    });
    acknowledgeNoWebAcl(this.api);

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
 * certificate: its probe reads it from Secrets Manager and presents it.
 */
export class HttpsConsumerStack extends Stack {
  public readonly consumer: PrivateLinkConsumer;
  public readonly probe: PrivateLinkProbe;

  constructor(scope: Construct, id: string, props: HttpsConsumerStackProps) {
    super(scope, id, props);
    const logsKey = new kms.Key(this, 'LogsKey', { enableKeyRotation: true, description: 'Logs of the https example\'s consumer' });
    const vpc = exampleVpc(this, 'ConsumerVpc', { natGateways: 0, logsKey });
    // Deploy this stack once the provider's name is verified (CheckVerification output) and
    // the connection accepted: an endpoint with private DNS fails on an unverified name.
    this.consumer = new PrivateLinkConsumer(this, 'TaskApiEndpoint', { vpc, api: props.api, privateDnsEnabled: true, allowedPeers: [] });

    // The probe presents the client certificate it reads from Secrets Manager; with no NAT
    // gateway it reaches Secrets Manager through an interface endpoint only it may use.
    this.probe = new PrivateLinkProbe(this, 'Probe', {
      consumer: this.consumer,
      paths: ['/api/tasks', '/api/task/2'],
      clientCertificate: secretsmanager.Secret.fromSecretNameV2(this, 'ClientCertificate', props.clientCertificateSecretName),
      logsEncryptionKey: logsKey,
    });
    const secretsEndpoint = vpc.addInterfaceEndpoint('SecretsManager', {
      service: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
      open: false,
    });
    secretsEndpoint.connections.allowDefaultPortFrom(this.probe, 'The probe reads its client certificate');

    new CfnOutput(this, 'ProbeAlarmTopicArn', {
      description: 'The probe\'s alarm goes here: aws sns subscribe --protocol email --notification-endpoint <you> --topic-arn <this>',
      value: this.probe.alarmTopic.topicArn,
    });
    new CfnOutput(this, 'TestCommand', {
      description: 'Run after deploy: GET /api/task/2 through PrivateLink with the client certificate',
      value: `aws lambda invoke --function-name ${this.probe.lambdaFunction.functionName} --cli-binary-format raw-in-base64-out ` +
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
