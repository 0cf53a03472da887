import type { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as acm from 'aws-cdk-lib/aws-certificatemanager';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as route53 from 'aws-cdk-lib/aws-route53';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { ApiServiceRouteOptions } from './api-service-options';
import type { MutualTlsOptions } from './mutual-tls-options';

/**
 * Properties of an `EcsPrivateLinkApi`.
 *
 * The props of the API's first service (image, ports, size, health check,
 * deployment, autoscaling) come from `ApiServiceRouteOptions`; the rest say where
 * the API lives, how consumers reach it and who may connect. Add more services
 * with `addService`.
 */
export interface EcsPrivateLinkApiProps extends ApiServiceRouteOptions {
  // ---- where ----

  /**
   * The VPC to run in. Give `vpc` or `cluster`, not both.
   *
   * @default - the VPC of `cluster`; without a cluster, a new VPC with 2 AZs,
   * a public and a private subnet in each, 1 NAT gateway, and a flow log to
   * CloudWatch Logs (kept one month)
   */
  readonly vpc?: ec2.IVpc;

  /**
   * The ECS cluster to run the services in. Its VPC is used.
   *
   * @default - a new cluster in `vpc`
   */
  readonly cluster?: ecs.ICluster;

  /**
   * Whether the cluster the library creates has CloudWatch Container Insights (CPU,
   * memory and network metrics per task; billed as custom metrics). Only applies when
   * no `cluster` is given.
   *
   * @default true
   */
  readonly containerInsights?: boolean;

  /**
   * Subnets for the Fargate tasks. They need a route to the image registry
   * (a NAT gateway, or VPC endpoints for ECR and CloudWatch Logs).
   *
   * @default - the VPC's private subnets with egress
   */
  readonly taskSubnets?: ec2.SubnetSelection;

  /**
   * Subnets for the internal ALB and NLB. The NLB's AZs are the AZs consumers
   * can place their endpoints in; use at least two.
   *
   * @default - the VPC's private subnets with egress
   */
  readonly loadBalancerSubnets?: ec2.SubnetSelection;

  /**
   * How long the services' container logs are kept. All services of the API log to
   * one log group, each under its own stream prefix (the service's id).
   *
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;

  // ---- how it is reached ----

  /**
   * Whether requests that no service's rule matches get a fixed `404` JSON response
   * (`{"message":"Not Found"}`) instead of going to the first service. The first
   * service then needs `pathPatterns` (one of which matches its health-check path:
   * the NLB checks the ALB through it).
   *
   * @default false
   */
  readonly notFoundResponse?: boolean;

  /**
   * The port consumers connect to: the NLB's TCP listener and the endpoint service's port.
   *
   * @default - 443 with HTTPS, else 80
   */
  readonly port?: number;

  /**
   * The port of the ALB's listener. It may differ from `port` (the blog uses 80
   * on the NLB and 8888 on the ALB); the NLB's target group always uses this one,
   * as an ALB-type target group must.
   *
   * @default - the same as `port`
   */
  readonly loadBalancerPort?: number;

  /**
   * Whether the NLB balances across AZs. On keeps every zonal DNS name of the
   * consumer endpoint working when an AZ has no healthy ALB node; off saves
   * cross-AZ data charges.
   *
   * @default true
   */
  readonly crossZoneEnabled?: boolean;

  /**
   * Idle timeout of the ALB, 1 to 4000 seconds. Must not be longer than
   * `networkLoadBalancerIdleTimeout`, so that the ALB closes idle connections
   * cleanly before the NLB forgets them.
   *
   * @default Duration.seconds(60)
   */
  readonly loadBalancerIdleTimeout?: Duration;

  /**
   * TCP idle timeout of the NLB listener, 60 to 6000 seconds.
   *
   * @default Duration.seconds(350)
   */
  readonly networkLoadBalancerIdleTimeout?: Duration;

  /**
   * Whether the NLB, and the endpoint service, take IPv4 only or IPv4 and IPv6
   * (`IpAddressType.DUAL_STACK`; the load-balancer subnets need IPv6 CIDRs, and a VPC
   * the library creates gets them). Consumers choose their endpoint's type.
   *
   * @default elbv2.IpAddressType.IPV4
   */
  readonly ipAddressType?: elbv2.IpAddressType;

  /**
   * Regions other than the service's from which consumers may connect
   * (cross-region PrivateLink), for example `['us-east-1']`.
   *
   * @default - consumers in the service's region only
   */
  readonly allowedRegions?: string[];

  // ---- HTTPS and private DNS ----

  /**
   * An ACM certificate: the ALB listens with HTTPS (TLS terminates at the ALB; the NLB
   * forwards TCP to it, since a TLS listener on an NLB cannot target an ALB). It must cover
   * the name consumers call, which is `privateDnsName`: `vpce-…` hostnames can't match it.
   *
   * @default - no certificate: HTTP
   */
  readonly certificate?: acm.ICertificate;

  /**
   * The ALB listener's protocol.
   *
   * @default - HTTPS with a certificate, else HTTP
   */
  readonly protocol?: elbv2.ApplicationProtocol;

  /**
   * The TLS security policy of the HTTPS listener.
   *
   * @default elbv2.SslPolicy.RECOMMENDED_TLS (TLS 1.3 and 1.2)
   */
  readonly sslPolicy?: elbv2.SslPolicy;

  /**
   * Also listen with HTTP on port 80 (NLB and ALB) and redirect to HTTPS. Needs HTTPS.
   *
   * @default false
   */
  readonly redirectHttp?: boolean;

  /**
   * A private DNS name for the endpoint service, for example `api.example.com`: consumers
   * that enable private DNS on their endpoint call this name. AWS verifies that you own the
   * domain through a TXT record: given `publicHostedZone`, the library publishes it and
   * starts the verification; otherwise publish `privateDnsVerificationRecordName` /
   * `privateDnsVerificationRecordValue` yourself and start it
   * (`aws ec2 start-vpc-endpoint-service-private-dns-verification`).
   *
   * @default - no private DNS name
   */
  readonly privateDnsName?: string;

  /**
   * The Route 53 public hosted zone of `privateDnsName`'s domain, for the verification record.
   *
   * @default - the record is not published
   */
  readonly publicHostedZone?: route53.IPublicHostedZone;

  // ---- mutual TLS (consumer identity) ----

  /**
   * Mutual TLS at the ALB's HTTPS listener: consumers present a client certificate, and the
   * tasks learn who called from the `X-Amzn-Mtls-*` headers. Needs HTTPS (`certificate`).
   *
   * @default - no mutual TLS
   */
  readonly mutualTls?: MutualTlsOptions;

  // ---- who may connect ----

  /**
   * Who may create endpoints to the service: 12-digit AWS account IDs, IAM ARNs
   * (`arn:aws:iam::123456789012:root`, `...:role/name`, `...:user/name`) or `*`.
   * An unresolved token is passed through as an ARN, except the stack's own
   * account (`Aws.ACCOUNT_ID`), which becomes that account's root ARN.
   *
   * @default - nobody; no consumer can connect until a principal is allowed
   */
  readonly allowedPrincipals?: string[];

  /**
   * Whether each endpoint connection must be accepted by the provider
   * (console, CLI or API) before traffic flows.
   *
   * @default true
   */
  readonly acceptanceRequired?: boolean;

  /**
   * Whether the NLB security group's inbound rules also filter PrivateLink
   * traffic. PrivateLink traffic arrives from the NLB's own addresses, so this
   * library admits consumers by `allowedPrincipals` and acceptance and leaves
   * the NLB security group without inbound rules: turn this on only together
   * with inbound rules of your own on `networkLoadBalancer.connections`.
   *
   * @default false
   */
  readonly enforceSecurityGroupInboundRulesOnPrivateLinkTraffic?: boolean;

  /**
   * Notify an SNS topic when a consumer connects, is accepted or rejected, or deletes its
   * endpoint, so that a provider with `acceptanceRequired` learns that someone is waiting.
   *
   * @default - true when `notificationTopic` or `autoAcceptAccounts` is given, else false
   */
  readonly connectionNotifications?: boolean;

  /**
   * The topic for connection notifications. It must let `vpce.amazonaws.com` publish (and use
   * its KMS key, if encrypted).
   *
   * @default - with `connectionNotifications`, a topic encrypted with a new KMS key
   */
  readonly notificationTopic?: sns.ITopic;

  // ---- operations ----

  /**
   * Write the ALB's access logs to S3. (NLB access logs only cover TLS listeners; this NLB
   * forwards TCP.)
   *
   * @default - true when `accessLogsBucket` is given, else false
   */
  readonly accessLogs?: boolean;

  /**
   * The bucket for access logs: SSE-S3 encrypted, in the API's region.
   *
   * @default - with `accessLogs`, a new bucket: SSE-S3, TLS only, public access blocked
   */
  readonly accessLogsBucket?: s3.IBucket;

  /**
   * A KMS key for the log groups the library creates: the services' logs, the flow log of a
   * VPC it creates, and the logs of its custom-resource functions (private DNS). The library
   * adds the key-policy statement CloudWatch Logs needs to a key of this app (for an imported
   * key you get a warning with the statement to add). About 1 USD a month per key, plus requests.
   *
   * @default - CloudWatch Logs' own encryption (AWS owned keys)
   */
  readonly logsEncryptionKey?: kms.IKey;

  /**
   * The ARN of an AWS WAF web ACL (scope REGIONAL, in the API's region) to associate with the
   * ALB. Consumers reach the ALB only through PrivateLink, but a web ACL still filters what
   * allowed accounts send (rate limits, managed rule groups). Billed per web ACL, rule and
   * million requests.
   *
   * @default - no web ACL
   */
  readonly webAclArn?: string;

  /**
   * CloudWatch Contributor Insights rules for the endpoint service (top consumers by traffic).
   *
   * @default false
   */
  readonly contributorInsights?: boolean;

  /**
   * Whether the ALB and the NLB are protected from deletion.
   *
   * @default false
   */
  readonly deletionProtection?: boolean;

  /**
   * What happens, when the API is deleted (or leaves the stack), to what the library creates
   * that holds data: the services' and the flow log's log groups, the notification topic's KMS
   * key and the access-log bucket. `RemovalPolicy.DESTROY` deletes them with the stack (the
   * bucket is emptied first, by aws-cdk-lib's auto-delete function); `RETAIN` keeps them, and
   * you delete them by hand.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Whether to add a stack output with the endpoint service name, the string a
   * consumer needs to create its endpoint.
   *
   * @default true
   */
  readonly serviceNameOutput?: boolean;

  // ---- operations: connection automation (auto-accept, teardown) ----

  /**
   * AWS accounts (12-digit IDs) whose connection requests are accepted automatically, while
   * `acceptanceRequired` stays on: a function subscribed to the connection notifications (turned
   * on with this) accepts their endpoints, and every other request stays pending for you, the
   * topic's subscribers hearing about it. Each account must be one `allowedPrincipals` allows.
   * Acceptance goes by account because AWS reports the account that owns an endpoint, not the
   * principal that created it. See `ConnectionAcceptor`.
   *
   * @default - none: every request waits for you
   */
  readonly autoAcceptAccounts?: string[];

  /**
   * Reject the remaining consumer connections when the endpoint service is deleted, so that
   * `cdk destroy` of the provider succeeds while customers' endpoints still exist (AWS refuses
   * to delete an endpoint service with connections). The rejected endpoints stay in the
   * customers' accounts, unusable, until they delete them. See `EndpointServiceTeardown`.
   *
   * @default false
   */
  readonly rejectConnectionsOnDelete?: boolean;

  // ---- upgrades ----

  /**
   * The logical IDs the endpoint service and the NLB have in the deployed stack: synthesis
   * fails when they would change (a renamed or moved construct, a library change), which would
   * replace the endpoint service (a new service name, every consumer endpoint broken) or the NLB.
   * See README "Upgrades and changes that replace the service".
   *
   * @default - not checked
   */
  readonly expectedLogicalIds?: ExpectedLogicalIds;
}

/**
 * The logical IDs an API's endpoint service and NLB have in the deployed stack.
 *
 * CloudFormation knows resources by logical ID, and CDK derives it from the construct path:
 * renaming the API (or a construct above it), moving it, or a library change would give the
 * endpoint service a new logical ID, and deploying that creates a new endpoint service, with a
 * new name no consumer has configured, and deletes the old one. Give the deployed IDs
 * (`aws cloudformation describe-stack-resources --stack-name <stack>`) and synthesis fails instead.
 */
export interface ExpectedLogicalIds {
  /**
   * The logical ID of the `AWS::EC2::VPCEndpointService` in the deployed stack.
   *
   * @default - not checked
   */
  readonly endpointService?: string;

  /**
   * The logical ID of the NLB (`AWS::ElasticLoadBalancingV2::LoadBalancer` of type `network`)
   * in the deployed stack.
   *
   * @default - not checked
   */
  readonly networkLoadBalancer?: string;
}
