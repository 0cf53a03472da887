import { CfnOutput, Fn } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';
import type { PrivateLinkConsumerProps } from './private-link-consumer-props';
import { SubnetsByAzId } from './subnets-by-az-id';
import { validateConsumerProps } from './validation';
import { acknowledgeNagFindings, allowLogsToUseKey, ec2Description, inPacks, ipv6Support, Validator } from '../common';
import type { IEcsPrivateLinkApi } from '../provider/api-interface';


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
  /** The consumer's VPC, in which the endpoint is. */
  public readonly vpc: ec2.IVpc;
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
  /**
   * The private DNS name `url` calls (private DNS enabled).
   *
   * @default - none: `url` calls the endpoint's own DNS name
   */
  public readonly privateDnsName?: string;
  /**
   * The provider's API, when the consumer was given one.
   *
   * @default - none, with `serviceName`
   */
  public readonly api?: IEcsPrivateLinkApi;
  /** The endpoint service name the endpoint connects to. */
  public readonly serviceName: string;
  /** The endpoint's security group: ingress only from `allowedPeers` and `connections`. */
  public readonly securityGroup: ec2.SecurityGroup;
  /** The endpoint's connections; the default port is the service's port. */
  public readonly connections: ec2.Connections;

  constructor(scope: Construct, id: string, props: PrivateLinkConsumerProps) {
    super(scope, id);

    // ---- validate everything before any child is created ----
    const plan = validateConsumerProps(new Validator(this), this, props);
    this.vpc = props.vpc;
    this.api = props.api;
    this.port = props.port ?? props.api?.port ?? (props.protocol === elbv2.ApplicationProtocol.HTTPS ? 443 : 80);
    this.serviceName = props.api?.endpointServiceName ?? props.serviceName!;
    const protocol = props.protocol ?? props.api?.protocol ??
      (this.port === 443 ? elbv2.ApplicationProtocol.HTTPS : elbv2.ApplicationProtocol.HTTP);

    // ---- the endpoint's security group: the named peers, on the service's port ----
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: ec2Description(`PrivateLink endpoint ${this.node.path}: only the named peers may connect`),
      allowAllOutbound: false,
    });
    if (props.allowedPeers) {
      for (const peer of props.allowedPeers) {
        this.securityGroup.addIngressRule(peer, ec2.Port.tcp(this.port), ec2Description(`Clients of ${this.node.path}`));
      }
    } else {
      this.admitTheVpc(props.vpc, plan.ipv6 ? plan.subnets.subnets : []);
    }

    // ---- the endpoint ----
    this.endpoint = new ec2.InterfaceVpcEndpoint(this, 'Endpoint', {
      vpc: props.vpc,
      service: new ec2.InterfaceVpcEndpointService(this.serviceName, this.port),
      subnets: { subnets: plan.subnets.subnets },
      securityGroups: [this.securityGroup],
      // `open` would admit the whole VPC CIDR; the peers are named above.
      open: false,
      privateDnsEnabled: props.privateDnsEnabled ?? false,
      serviceRegion: plan.serviceRegion,
      ipAddressType: props.ipAddressType,
      dnsRecordIpType: props.dnsRecordIpType,
    });
    if (props.availabilityZoneIds) {
      // The L2 takes subnets known at synth time; these are only known at deploy time.
      if (props.logsEncryptionKey) {
        allowLogsToUseKey(this, 'logsEncryptionKey', props.logsEncryptionKey);
      }
      const inAzIds = new SubnetsByAzId(this, 'SubnetsByAzId', {
        vpc: props.vpc,
        subnets: plan.subnets.subnets,
        availabilityZoneIds: props.availabilityZoneIds,
        logsEncryptionKey: props.logsEncryptionKey,
      });
      (this.endpoint.node.defaultChild as ec2.CfnVPCEndpoint).subnetIds = inAzIds.subnetIds;
    }
    this.connections = this.endpoint.connections;
    this.endpointId = this.endpoint.vpcEndpointId;
    // Each DNS entry is "<hosted zone id>:<dns name>"; the first is the regional name.
    this.dnsName = Fn.select(1, Fn.split(':', Fn.select(0, this.endpoint.vpcEndpointDnsEntries)));
    this.privateDnsName = props.privateDnsName ?? (props.privateDnsEnabled ? props.api?.privateDnsName : undefined);
    this.url = `${protocol.toLowerCase()}://${this.privateDnsName ?? this.dnsName}:${this.port}`;

    if (props.urlOutput ?? true) {
      new CfnOutput(this, 'Url', {
        value: this.url,
        description: `URL of ${this.node.path}, the PrivateLink endpoint (reachable from inside the VPC)`,
      });
    }
  }

  /**
   * The default peers: the VPC's IPv4 CIDR, and its IPv6 CIDR for an endpoint that takes IPv6
   * (`subnets`, when all have IPv6 CIDRs of a VPC built in this app). Each is an ingress rule of
   * its own, so that its acknowledgement (a CIDR cdk-nag can't read) covers only that rule.
   */
  private admitTheVpc(vpc: ec2.IVpc, ipv6Subnets: ec2.ISubnet[]): void {
    const rule = (id: string, cidr: { cidrIp?: string; cidrIpv6?: string }) => {
      const ingress = new ec2.CfnSecurityGroupIngress(this, id, {
        groupId: this.securityGroup.securityGroupId,
        ipProtocol: 'tcp',
        fromPort: this.port,
        toPort: this.port,
        description: ec2Description(`Clients of ${this.node.path} in its VPC`),
        ...cidr,
      });
      const reason = 'This rule admits the VPC\'s own CIDR block, a deploy-time value the rule cannot read; it is never 0.0.0.0/0 or ::/0.';
      acknowledgeNagFindings(ingress, [
        { id: 'CdkNagValidationFailure[AwsSolutions-EC23]', reason },
        ...inPacks('EC2RestrictedSSH', reason).map(a => ({ ...a, id: `CdkNagValidationFailure[${a.id}]` })),
        ...inPacks('EC2RestrictedCommonPorts', reason).map(a => ({ ...a, id: `CdkNagValidationFailure[${a.id}]` })),
      ]);
    };
    rule('VpcIngress', { cidrIp: vpc.vpcCidrBlock });
    const support = ipv6Support(ipv6Subnets);
    if (ipv6Subnets.length > 0 && support.without.length === 0 && support.unknown.length === 0 && vpc instanceof ec2.Vpc) {
      rule('VpcIpv6Ingress', { cidrIpv6: Fn.select(0, vpc.vpcIpv6CidrBlocks) });
    }
  }
}
