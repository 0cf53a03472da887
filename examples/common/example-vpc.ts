import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
// In your own app: import { ... } from 'cdk-ecs-privatelink';
import { EcsPrivateLinkApi, NagFindings } from '../../src';

const PACKS_WITH_VPC_RULES = ['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321'];

/** The VPC of an example: what it needs, and what the compliance packs ask of it. */
export interface ExampleVpcProps {
  /** @default - aws-cdk-lib's (10.0.0.0/16) */
  readonly cidr?: string;
  /** 0 for a consumer: PrivateLink traffic needs no route out of the VPC. */
  readonly natGateways: number;
  /** Encrypts the flow logs' log group. */
  readonly logsKey: kms.IKey;
}

/**
 * Two AZs; with NAT gateways, public subnets (that only hold them: no public IPs on launch) and
 * private subnets with egress, else isolated subnets; the default security group closed; flow
 * logs to an encrypted log group, kept one week. The findings that are this design are
 * acknowledged on exactly the resources they are about.
 */
export function exampleVpc(scope: Construct, id: string, props: ExampleVpcProps): ec2.Vpc {
  const vpc = new ec2.Vpc(scope, id, {
    ipAddresses: props.cidr ? ec2.IpAddresses.cidr(props.cidr) : undefined,
    maxAzs: 2,
    natGateways: props.natGateways,
    subnetConfiguration: props.natGateways > 0
      ? [
        { name: 'Public', subnetType: ec2.SubnetType.PUBLIC, mapPublicIpOnLaunch: false },
        { name: 'Private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      ]
      : [{ name: 'private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
    restrictDefaultSecurityGroup: true,
  });
  const flowLog = vpc.addFlowLog('FlowLog', {
    destination: ec2.FlowLogDestination.toCloudWatchLogs(new logs.LogGroup(vpc, 'FlowLogs', {
      retention: logs.RetentionDays.ONE_WEEK,
      encryptionKey: props.logsKey,
    })),
  });
  for (const subnet of vpc.publicSubnets) {
    NagFindings.acknowledge(subnet.node.findChild('DefaultRoute'), PACKS_WITH_VPC_RULES.map(pack => ({
      id: `${pack}-VPCNoUnrestrictedRouteToIGW`,
      reason: 'The public subnets hold only the NAT gateway the tasks pull their images through.',
    })));
  }
  NagFindings.acknowledge(flowLog.node.findChild('IAMRole'), PACKS_WITH_VPC_RULES.map(pack => ({
    id: `${pack}-IAMNoInlinePolicy`,
    reason: 'aws-cdk-lib writes the flow log role\'s grant (its log group) as the role\'s own policy.',
  })));
  return vpc;
}

/** The examples' choice of no web ACL on the internal ALB. */
export function acknowledgeNoWebAcl(api: EcsPrivateLinkApi): void {
  NagFindings.acknowledge(api.loadBalancer, ['NIST.800.53.R5', 'PCI.DSS.321'].map(pack => ({
    id: `${pack}-ALBWAFEnabled`,
    reason: 'The example\'s internal ALB is reachable only through PrivateLink, from the accounts it allows; a web ACL (webAclArn) costs about 5 USD a month.',
  })));
}
