import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { IEcsPrivateLinkApi } from '../provider/api-interface';

/**
 * Properties of a `PrivateLinkConsumer`: the customer's side of the PrivateLink connection.
 *
 * Give the service either as `api` (the provider construct, in the same CDK app) or as
 * `serviceName` (the usual case: the provider is another account, app or team and sent you
 * its endpoint service name).
 */
export interface PrivateLinkConsumerProps {
  /** The consumer's VPC, in which the interface endpoint is created. */
  readonly vpc: ec2.IVpc;

  /**
   * The provider construct, when it is in the same CDK app and the same account. Its endpoint
   * service name (with its region), port, protocol and region are used; a consumer in
   * another region of the same account gets `serviceRegion` from it. For a provider in another
   * account, use `serviceName`.
   *
   * @default - none; give `serviceName`
   */
  readonly api?: IEcsPrivateLinkApi;

  /**
   * The endpoint service name the provider gave you:
   * `com.amazonaws.vpce.<region>.vpce-svc-<id>`.
   *
   * @default - none; give `api`
   */
  readonly serviceName?: string;

  /**
   * The port the service listens on (the provider's NLB listener).
   *
   * @default - the `port` of `api`, else 443 with `protocol` HTTPS, else 80
   */
  readonly port?: number;

  /**
   * Subnets for the endpoint's network interfaces, one per AZ. They must be in AZs the
   * provider's NLB serves.
   *
   * @default - the VPC's private subnets (with egress, else isolated), one per AZ
   */
  readonly subnets?: ec2.SubnetSelection;

  /**
   * Keep only the subnets in these AZ IDs (for example `euw1-az1`). AZ names
   * (`eu-west-1a`) map to different physical zones in different accounts; AZ IDs
   * don't, so AZ IDs are how a provider tells you where its NLB is. The subnets
   * are resolved at deploy time (an `ec2:DescribeSubnets` call), and the deploy
   * fails if the VPC has no selected subnet in one of them.
   *
   * @default - every selected subnet is used, whatever its AZ ID
   */
  readonly availabilityZoneIds?: string[];

  /**
   * Who may reach the endpoint, on `port`. More can be allowed through
   * `connections`, for example `consumer.connections.allowDefaultPortFrom(fn)`.
   *
   * @default - the VPC's CIDR block
   */
  readonly allowedPeers?: ec2.IPeer[];

  /**
   * Whether the endpoint answers for the service's private DNS name (then `url` uses
   * that name). Only works when the provider has a verified private DNS name; a plain
   * PrivateLink service has none and the deploy fails.
   *
   * @default false
   */
  readonly privateDnsEnabled?: boolean;

  /**
   * The service's protocol, for `url`.
   *
   * @default - the `protocol` of `api`; else HTTPS on port 443, HTTP otherwise
   */
  readonly protocol?: elbv2.ApplicationProtocol;

  /**
   * The IP addresses of the endpoint's network interfaces: IPv4, IPv6 or both. IPv6 needs
   * a dual-stack provider and subnets with IPv6 CIDRs.
   *
   * @default - IPv4
   */
  readonly ipAddressType?: ec2.VpcEndpointIpAddressType;

  /**
   * Which address records the endpoint's DNS names hold.
   *
   * @default - set by AWS from `ipAddressType`
   */
  readonly dnsRecordIpType?: ec2.VpcEndpointDnsRecordIpType;

  /**
   * The region of the endpoint service, when it is not the consumer's region
   * (cross-region PrivateLink; the provider must allow this region in its `allowedRegions`).
   * It must be the region named in `serviceName`. Not with `api`, which gives it.
   *
   * @default - the region of `api`; else the consumer stack's region
   */
  readonly serviceRegion?: string;

  /**
   * The provider's private DNS name (a host name under it, when the provider's is a wildcard),
   * for `url`: the name its TLS certificate covers. Needs `privateDnsEnabled`, so that the name
   * resolves to this endpoint in the VPC. With `api`, its name is used unless this is given.
   *
   * @default - `api`'s private DNS name with `privateDnsEnabled`; else the endpoint's own DNS name
   */
  readonly privateDnsName?: string;

  /**
   * A KMS key for the log group the consumer creates: the logs of its AZ-ID lookup function
   * (`availabilityZoneIds`). The library adds the key-policy statement CloudWatch Logs needs to
   * a key of this app.
   *
   * @default - CloudWatch Logs' own encryption
   */
  readonly logsEncryptionKey?: kms.IKey;

  /**
   * Whether to add a stack output with the endpoint's URL.
   *
   * @default true
   */
  readonly urlOutput?: boolean;
}
