import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { IConstruct } from 'constructs';

/**
 * An API offered through PrivateLink: what its services and its consumers build on.
 *
 * `EcsPrivateLinkApi` implements it. `ApiService` and `PrivateLinkConsumer` take this
 * interface, so a service or a consumer can live in another stack than the API.
 */
export interface IEcsPrivateLinkApi extends IConstruct {
  /** The VPC the API runs in. */
  readonly vpc: ec2.IVpc;
  /** The ECS cluster of the services. */
  readonly cluster: ecs.ICluster;
  /** The ALB's listener, on `loadBalancerPort`: services add their routing rules to it. */
  readonly listener: elbv2.ApplicationListener;
  /** The security group of the ALB: services admit it on their container ports. */
  readonly loadBalancerSecurityGroup: ec2.SecurityGroup;
  /** Subnets of the services' tasks. */
  readonly taskSubnets: ec2.SubnetSelection;
  /** How long the services' logs are kept. */
  readonly logRetention: logs.RetentionDays;
  /** The port consumers connect to (the NLB listener and the endpoint service). */
  readonly port: number;
  /** The ALB listener's protocol. */
  readonly protocol: elbv2.ApplicationProtocol;
  /** Whether the NLB and the endpoint service take IPv4 only or IPv4 and IPv6. */
  readonly ipAddressType: elbv2.IpAddressType;
  /** The internal Network Load Balancer behind the endpoint service. */
  readonly networkLoadBalancer: elbv2.NetworkLoadBalancer;
  /** The VPC endpoint service consumers connect to. */
  readonly endpointService: ec2.VpcEndpointService;
  /**
   * The endpoint service name, `com.amazonaws.vpce.<region>.vpce-svc-<id>`, with the
   * region of the API's stack (correct in a consumer stack of any region).
   */
  readonly endpointServiceName: string;
  /**
   * The AZs of the load balancers (names, as the API's account sees them): a consumer's
   * endpoint can only use these.
   */
  readonly availabilityZones: string[];
  /** The region the endpoint service is in: the API stack's region (a token when it is environment-agnostic). */
  readonly serviceRegion: string;
  /**
   * Who may create endpoints to the service, as given (`allowedPrincipals`).
   *
   * @default - nobody
   */
  readonly allowedPrincipals?: string[];
  /**
   * Regions other than the service's from which consumers may connect.
   *
   * @default - the service's region only
   */
  readonly allowedRegions?: string[];
  /**
   * The endpoint service's private DNS name.
   *
   * @default - none
   */
  readonly privateDnsName?: string;
  /** How the HTTPS listener handles client certificates: `OFF` without mutual TLS. */
  readonly mutualTlsMode: elbv2.MutualAuthenticationMode;
}
