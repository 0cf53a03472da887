import { CfnOutput, Fn } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import type { PrivateLinkConsumerProps } from './private-link-consumer-props';
import { validateConsumerProps } from './validation';
import { acknowledgeCustomResourceProvider, acknowledgeNagFindings, Validator } from '../common';

const DEFAULT_PORT = 80;

/**
 * The customer's side of the PrivateLink connection: an interface VPC endpoint to
 * the provider's endpoint service, with its own security group.
 *
 * It is `IConnectable`: let a client in the VPC reach the endpoint with
 * `consumer.connections.allowDefaultPortFrom(client)`, then call `consumer.url`.
 *
 * @example
 * declare const vpc: ec2.IVpc;
 *
 * const consumer = new PrivateLinkConsumer(this, 'TaskApi', {
 *   vpc,
 *   serviceName: 'com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0',
 *   port: 80,
 * });
 */
export class PrivateLinkConsumer extends Construct implements ec2.IConnectable {
  /** The interface VPC endpoint. */
  public readonly endpoint: ec2.InterfaceVpcEndpoint;
  /** The endpoint's ID (`vpce-…`). */
  public readonly endpointId: string;
  /** The endpoint's regional DNS name, which resolves to its addresses in every AZ. */
  public readonly dnsName: string;
  /**
   * A ready URL: `<http|https>://<dnsName>:<port>`, or the provider's private DNS name
   * when private DNS is enabled with `api`.
   */
  public readonly url: string;
  /** The port of the service. */
  public readonly port: number;
  /** The endpoint service name the endpoint connects to. */
  public readonly serviceName: string;
  /** The endpoint's security group: ingress only from `allowedPeers` and `connections`. */
  public readonly securityGroup: ec2.SecurityGroup;
  /** The endpoint's connections; the default port is the service's port. */
  public readonly connections: ec2.Connections;

  constructor(scope: Construct, id: string, props: PrivateLinkConsumerProps) {
    super(scope, id);

    // ---- validate everything before any child is created ----
    const subnets = validateConsumerProps(new Validator(this), props);

    this.port = props.port ?? props.api?.port ?? DEFAULT_PORT;
    this.serviceName = props.api?.endpointServiceName ?? props.serviceName!;
    const protocol = props.protocol ?? props.api?.protocol ??
      (this.port === 443 ? elbv2.ApplicationProtocol.HTTPS : elbv2.ApplicationProtocol.HTTP);

    // ---- the endpoint and its security group ----
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: `PrivateLink endpoint ${this.node.path}: only the named peers may connect`,
      allowAllOutbound: false,
    });
    for (const peer of props.allowedPeers ?? [ec2.Peer.ipv4(props.vpc.vpcCidrBlock)]) {
      this.securityGroup.addIngressRule(peer, ec2.Port.tcp(this.port), `Clients of ${this.node.path}`);
    }
    if (!props.allowedPeers) {
      acknowledgeNagFindings(this.securityGroup, [{
        id: 'CdkNagValidationFailure[AwsSolutions-EC23]',
        reason: 'The default ingress rule admits the VPC\'s own CIDR block, a deploy-time value the rule cannot read; it is never 0.0.0.0/0.',
      }]);
    }

    this.endpoint = new ec2.InterfaceVpcEndpoint(this, 'Endpoint', {
      vpc: props.vpc,
      service: new ec2.InterfaceVpcEndpointService(this.serviceName, this.port),
      subnets: { subnets: subnets.subnets },
      securityGroups: [this.securityGroup],
      // `open` would admit the whole VPC CIDR; the peers are named above.
      open: false,
      privateDnsEnabled: props.privateDnsEnabled ?? false,
      serviceRegion: props.serviceRegion,
      ipAddressType: props.ipAddressType,
      dnsRecordIpType: props.dnsRecordIpType,
    });
    if (props.availabilityZoneIds) {
      // The L2 takes subnets known at synth time; these are only known at deploy time.
      (this.endpoint.node.defaultChild as ec2.CfnVPCEndpoint).subnetIds = this.subnetIdsInAzIds(props.availabilityZoneIds, subnets);
    }
    this.connections = this.endpoint.connections;
    this.endpointId = this.endpoint.vpcEndpointId;
    // Each DNS entry is "<hosted zone id>:<dns name>"; the first is the regional name.
    this.dnsName = Fn.select(1, Fn.split(':', Fn.select(0, this.endpoint.vpcEndpointDnsEntries)));
    const host = props.privateDnsEnabled && props.api?.privateDnsName ? props.api.privateDnsName : this.dnsName;
    this.url = `${protocol.toLowerCase()}://${host}:${this.port}`;

    if (props.urlOutput ?? true) {
      new CfnOutput(this, 'Url', {
        value: this.url,
        description: `URL of ${this.node.path}, the PrivateLink endpoint (reachable from inside the VPC)`,
      });
    }
  }

  /**
   * The IDs of the selected subnets that are in the given AZ IDs, looked up at deploy time
   * (AZ IDs are not known at synth time without credentials).
   */
  private subnetIdsInAzIds(azIds: string[], selection: ec2.SelectedSubnets): string[] {
    const sdkCall: cr.AwsSdkCall = {
      service: 'EC2',
      action: 'describeSubnets',
      parameters: {
        Filters: [
          { Name: 'subnet-id', Values: selection.subnetIds },
          { Name: 'availability-zone-id', Values: azIds },
        ],
      },
      physicalResourceId: cr.PhysicalResourceId.of(`${azIds.join(',')}`),
      outputPaths: azIds.map((_, i) => `Subnets.${i}.SubnetId`),
    };
    const lookup = new cr.AwsCustomResource(this, 'SubnetsByAzId', {
      onCreate: sdkCall,
      onUpdate: sdkCall,
      policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: cr.AwsCustomResourcePolicy.ANY_RESOURCE }),
      installLatestAwsSdk: false,
    });
    acknowledgeNagFindings(lookup, [{
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'ec2:DescribeSubnets cannot be scoped to resources; the call only reads subnets to find those in the given AZ IDs.',
    }]);
    acknowledgeCustomResourceProvider(lookup);
    return azIds.map((_, i) => lookup.getResponseField(`Subnets.${i}.SubnetId`));
  }
}
