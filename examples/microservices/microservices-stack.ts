import { Aws, Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
// In your own app: import { ... } from 'cdk-ecs-privatelink';
import { ApiService, ApiServiceAutoScaling, EcsPrivateLinkApi, NagFindings } from '../../src';

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
    const vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 1,
      subnetConfiguration: [
        { name: 'Public', subnetType: ec2.SubnetType.PUBLIC, mapPublicIpOnLaunch: false }, // only the NAT gateway lives here
        { name: 'Private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      ],
      restrictDefaultSecurityGroup: true,
    });
    const flowLog = vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(new logs.LogGroup(vpc, 'FlowLogs', {
        retention: logs.RetentionDays.ONE_WEEK,
        encryptionKey: logsKey,
      })),
    });
    acknowledgeVpcChoices(vpc, flowLog);

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
    NagFindings.acknowledge(this.api.loadBalancer, ['NIST.800.53.R5', 'PCI.DSS.321'].map(pack => ({
      id: `${pack}-ALBWAFEnabled`,
      reason: 'The example\'s internal ALB is reachable only through PrivateLink, from the accounts it allows; a web ACL (webAclArn) costs about 5 USD a month.',
    })));

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

/** The example VPC's findings that are its design: a NAT gateway needs public subnets routed to the internet gateway. */
function acknowledgeVpcChoices(vpc: ec2.Vpc, flowLog: ec2.FlowLog): void {
  for (const subnet of vpc.publicSubnets) {
    NagFindings.acknowledge(subnet.node.findChild('DefaultRoute'), ['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321'].map(pack => ({
      id: `${pack}-VPCNoUnrestrictedRouteToIGW`,
      reason: 'The public subnets hold only the NAT gateway the tasks pull their images through.',
    })));
  }
  NagFindings.acknowledge(flowLog.node.findChild('IAMRole'), ['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321'].map(pack => ({
    id: `${pack}-IAMNoInlinePolicy`,
    reason: 'aws-cdk-lib writes the flow log role\'s grant (its log group) as the role\'s own policy.',
  })));
}
