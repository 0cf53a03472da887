/**
 * The cdk-nag findings the library acknowledges for the provider, each on exactly the
 * resource and rule its reason is about: findings its design makes false positives, and
 * choices its user made explicitly (never a default the user didn't choose: those findings
 * stay visible).
 */
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { IConstruct } from 'constructs';
import type { EcsPrivateLinkApiProps } from './ecs-privatelink-api-props';
import { acknowledgeNagFindings, inPacks, NAG_PACKS, type NagAcknowledgement } from '../common';

/** The load balancers of an API and their listeners. */
export interface LoadBalancers {
  readonly alb: elbv2.ApplicationLoadBalancer;
  readonly nlb: elbv2.NetworkLoadBalancer;
  readonly listener: elbv2.ApplicationListener;
  readonly networkListeners: elbv2.NetworkListener[];
  readonly redirectListener?: elbv2.ApplicationListener;
}

const NLB_LOGS = 'NLB access logs only record TLS listeners; this NLB forwards TCP to the ALB (an NLB TLS listener cannot ' +
  'target an ALB), and the ALB\'s access logs (accessLogs) record the requests.';
const NLB_TCP = 'TLS terminates at the ALB: an NLB TLS listener cannot forward to a target group of type alb ' +
  '(https://docs.aws.amazon.com/elasticloadbalancing/latest/network/application-load-balancer-target.html), so this listener forwards TCP, TLS included.';
const REDIRECT = 'This listener only redirects HTTP to the HTTPS listener (redirectHttp); it serves no content.';

export function acknowledgeLoadBalancerFindings(lbs: LoadBalancers, props: EcsPrivateLinkApiProps): void {
  acknowledgeNagFindings(lbs.nlb, [
    { id: 'AwsSolutions-ELB2', reason: NLB_LOGS },
    ...inPacks('ELBLoggingEnabled', NLB_LOGS),
  ]);
  for (const listener of lbs.networkListeners) {
    acknowledgeNagFindings(listener, inPacks('ELBv2ACMCertificateRequired', NLB_TCP));
  }
  if (lbs.redirectListener) {
    acknowledgeNagFindings(lbs.redirectListener, inPacks('ELBv2ACMCertificateRequired', REDIRECT));
  }
  if (props.accessLogs === false) {
    const reason = 'The user turned the ALB\'s access logs off (accessLogs: false).';
    acknowledgeNagFindings(lbs.alb, [{ id: 'AwsSolutions-ELB2', reason }, ...inPacks('ELBLoggingEnabled', reason)]);
  }
  if (props.deletionProtection === false) {
    const reason = 'The user turned deletion protection off (deletionProtection: false).';
    acknowledgeNagFindings(lbs.alb, inPacks('ELBDeletionProtectionEnabled', reason, [NAG_PACKS.NIST, NAG_PACKS.HIPAA]));
    acknowledgeNagFindings(lbs.nlb, inPacks('ELBDeletionProtectionEnabled', reason, [NAG_PACKS.NIST, NAG_PACKS.HIPAA]));
  }
  if (props.protocol === elbv2.ApplicationProtocol.HTTP) {
    const reason = 'The user chose plain HTTP at the ALB (protocol: HTTP); PrivateLink keeps the traffic inside AWS.';
    acknowledgeNagFindings(lbs.listener, [...inPacks('ELBv2ACMCertificateRequired', reason), ...inPacks('ALBHttpToHttpsRedirection', reason)]);
  }
}

/** The ALB's access-log bucket the library creates. */
export function acknowledgeAccessLogBucketFindings(bucket: s3.Bucket): void {
  const logging = 'The bucket only receives the ALB\'s access logs; logging access to it would need yet another bucket.';
  const sseS3 = 'ALB access logs are only delivered to buckets encrypted with S3-managed keys (SSE-S3) ' +
    '(https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html).';
  const replication = 'Replicating the ALB\'s access logs needs a second bucket in another region; give accessLogsBucket ' +
    'with your own replication to have it.';
  acknowledgeNagFindings(bucket, [
    { id: 'AwsSolutions-S1', reason: logging },
    ...inPacks('S3BucketLoggingEnabled', logging),
    ...inPacks('S3DefaultEncryptionKMS', sseS3),
    ...inPacks('S3BucketReplicationEnabled', replication),
  ]);
}

/** The VPC the library creates: its NAT gateway needs public subnets with a route to the internet. */
export function acknowledgeVpcFindings(vpc: ec2.Vpc, flowLogRole: IConstruct | undefined): void {
  for (const subnet of vpc.publicSubnets) {
    // DefaultRoute (IPv4) and, in a dual-stack VPC, DefaultRoute6 (IPv6), as aws-cdk-lib names them.
    for (const route of ['DefaultRoute', 'DefaultRoute6'].map(id => subnet.node.tryFindChild(id)).filter(r => r !== undefined)) {
      acknowledgeNagFindings(route, inPacks('VPCNoUnrestrictedRouteToIGW', 'The public subnets hold only the NAT gateway ' +
        'that lets the tasks pull their images; it needs this route to the internet gateway.'));
    }
  }
  if (flowLogRole) {
    acknowledgeNagFindings(flowLogRole, inlineGrants('the flow log\'s role (writing to its log group)'));
  }
}

/** A task definition the library builds: its execution role's grants are aws-cdk-lib's. */
export function acknowledgeTaskDefinitionFindings(taskDefinition: ecs.TaskDefinition): void {
  const role = taskDefinition.executionRole;
  if (role) {
    acknowledgeNagFindings(role, inlineGrants('the task execution role (pulling the image, writing logs, reading secrets)'));
  }
}

/** aws-cdk-lib writes the grants of `what` as the role's own policy. */
function inlineGrants(what: string): NagAcknowledgement[] {
  return inPacks('IAMNoInlinePolicy', `aws-cdk-lib writes the grants of ${what} as that role's own policy, scoped to its ` +
    'resources; the role and its policy exist only for this purpose.');
}
