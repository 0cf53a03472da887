import { App, Aws, CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
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
}

export const PLACEHOLDERS: HttpsSettings = {
  certificateArn: 'arn:aws:acm:eu-west-1:111122223333:certificate/00000000-0000-0000-0000-000000000000',
  privateDnsName: 'api.example.com',
  hostedZoneId: 'Z0123456789ABCDEFGHIJ',
  zoneName: 'example.com',
};

/** Reads the settings from context (`-c certificateArn=...`), falling back to the placeholders. */
export function settingsFrom(app: App): HttpsSettings {
  const get = (key: keyof HttpsSettings) => (app.node.tryGetContext(key) as string | undefined) ?? PLACEHOLDERS[key];
  return { certificateArn: get('certificateArn'), privateDnsName: get('privateDnsName'), hostedZoneId: get('hostedZoneId'), zoneName: get('zoneName') };
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

/** The provider: HTTPS at the ALB, a verified private DNS name, and connection notifications. */
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
}

/** A consumer that calls the provider by its private DNS name, over HTTPS. */
export class HttpsConsumerStack extends Stack {
  public readonly consumer: PrivateLinkConsumer;

  constructor(scope: Construct, id: string, props: HttpsConsumerStackProps) {
    super(scope, id, props);
    const vpc = vpcWithFlowLog(this, 'ConsumerVpc', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
    });
    // Deploy this stack once the provider's name is verified (CheckVerification output) and
    // the connection accepted: an endpoint with private DNS fails on an unverified name.
    this.consumer = new PrivateLinkConsumer(this, 'TaskApiEndpoint', { vpc, api: props.api, privateDnsEnabled: true });
  }
}

/** The example: a provider stack and a consumer stack. */
export function buildHttpsExample(app: App): { provider: HttpsProviderStack; consumer: HttpsConsumerStack } {
  const settings = settingsFrom(app);
  const provider = new HttpsProviderStack(app, 'PrivateLinkHttps-Provider', { settings });
  const consumer = new HttpsConsumerStack(app, 'PrivateLinkHttps-Consumer', { api: provider.api });
  return { provider, consumer };
}
