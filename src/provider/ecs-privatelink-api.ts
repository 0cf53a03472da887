import { Annotations, CfnOutput, Duration, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as targets from 'aws-cdk-lib/aws-elasticloadbalancingv2-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { ApiService, resolveHealthCheck, validateServiceOptions } from './api-service';
import type { ApiServiceRouteOptions } from './api-service-options';
import type { EcsPrivateLinkApiProps } from './ecs-privatelink-api-props';
import { toArnPrincipals, validatePrincipals } from './principals';
import { PrivateDnsName } from './private-dns-name';
import { acknowledgeNagFindings, Validator } from '../common';

const HTTP = elbv2.ApplicationProtocol.HTTP;
const HTTPS = elbv2.ApplicationProtocol.HTTPS;
const REDIRECT_PORT = 80;
const DEFAULT_ALB_IDLE_TIMEOUT = Duration.seconds(60);
const DEFAULT_NLB_IDLE_TIMEOUT = Duration.seconds(350);
const NOT_FOUND = elbv2.ListenerAction.fixedResponse(404, {
  contentType: 'application/json',
  messageBody: '{"message":"Not Found"}',
});
/** Default quota of rules per direction of a security group; the ALB SG has one egress rule per service. */
const SECURITY_GROUP_RULES_QUOTA = 60;
const PRIVATE_SUBNETS: ec2.SubnetSelection = { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };
const ALB_ACCESS_LOGS_REASON = 'Access logs are off by default: they need an S3 bucket in the same region and are ' +
  'billed per GB. Turn them on with accessLogs: true (or accessLogsBucket).';
const NLB_ACCESS_LOGS_REASON = 'NLB access logs only record TLS listeners; this NLB forwards TCP to the ALB, whose ' +
  'access logs (accessLogs) record the requests.';
const CONNECTION_EVENTS = ['Connect', 'Accept', 'Reject', 'Delete'];
const DOMAIN_NAME = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/**
 * An API on ECS Fargate, offered to other VPCs and AWS accounts through AWS PrivateLink.
 *
 * A request travels: consumer's interface endpoint → PrivateLink → this
 * endpoint service → internal NLB (TCP) → internal ALB (HTTP) → Fargate tasks.
 * The NLB is what PrivateLink requires; the ALB behind it gives HTTP routing,
 * health checks and (with more services) one endpoint for many APIs.
 *
 * Security groups are least-privilege whatever the app's feature flags: the
 * NLB's own security group may only reach the ALB listener, the ALB admits only
 * the NLB, and the tasks admit only the ALB. Consumers are admitted by
 * `allowedPrincipals` and, by default, by accepting each connection.
 *
 * @example
 * declare const vpc: ec2.IVpc;
 *
 * const api = new EcsPrivateLinkApi(this, 'TaskApi', {
 *   vpc,
 *   image: ecs.ContainerImage.fromRegistry('lvthillo/python-flask-api'),
 *   containerPort: 8080,
 *   healthCheck: { path: '/api/tasks' },
 *   allowedPrincipals: ['111122223333'],
 * });
 */
export class EcsPrivateLinkApi extends Construct implements ec2.IConnectable {
  /** The VPC the API runs in. */
  public readonly vpc: ec2.IVpc;
  /** The ECS cluster of the services. */
  public readonly cluster: ecs.ICluster;
  /** The Fargate service that answers the ALB listener's default action. */
  public readonly service: ecs.FargateService;
  /** The task definition of `service`. */
  public readonly taskDefinition: ecs.FargateTaskDefinition;
  /** The internal Application Load Balancer. */
  public readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  /** The ALB's listener, on `loadBalancerPort`. */
  public readonly listener: elbv2.ApplicationListener;
  /** The ALB target group of `service`'s tasks. */
  public readonly targetGroup: elbv2.ApplicationTargetGroup;
  /** The internal Network Load Balancer behind the endpoint service. */
  public readonly networkLoadBalancer: elbv2.NetworkLoadBalancer;
  /** The NLB's TCP listener, on `port`. */
  public readonly networkListener: elbv2.NetworkListener;
  /** The NLB target group of type `alb` that forwards to `listener`. */
  public readonly networkTargetGroup: elbv2.NetworkTargetGroup;
  /** The VPC endpoint service consumers connect to. */
  public readonly endpointService: ec2.VpcEndpointService;
  /**
   * The endpoint service name (`com.amazonaws.vpce.<region>.vpce-svc-<id>`):
   * what a consumer in another account needs to create its endpoint.
   */
  public readonly endpointServiceName: string;
  /** The port consumers connect to. */
  public readonly port: number;
  /** The port of the ALB listener (the NLB target group's port). */
  public readonly loadBalancerPort: number;
  /** The security group of the NLB: egress only to the ALB listener. */
  public readonly networkLoadBalancerSecurityGroup: ec2.SecurityGroup;
  /** The security group of the ALB: ingress only from the NLB. */
  public readonly loadBalancerSecurityGroup: ec2.SecurityGroup;
  /** The security group of `service`'s tasks: ingress only from the ALB. */
  public readonly serviceSecurityGroup: ec2.SecurityGroup;
  /** The ALB listener's protocol: HTTPS with a certificate, else HTTP. */
  public readonly protocol: elbv2.ApplicationProtocol;
  /** Whether the NLB and the endpoint service take IPv4 only or IPv4 and IPv6. */
  public readonly ipAddressType: elbv2.IpAddressType;
  /** The ALB listener on port 80 that redirects to HTTPS (`redirectHttp`). */
  public readonly redirectListener?: elbv2.ApplicationListener;
  /** The endpoint service's private DNS name (`privateDnsName`). */
  public readonly privateDnsName?: string;
  /** Name of the TXT record that proves you own `privateDnsName`'s domain. */
  public readonly privateDnsVerificationRecordName?: string;
  /** Value of the TXT record that proves you own `privateDnsName`'s domain. */
  public readonly privateDnsVerificationRecordValue?: string;
  /** The topic notified of endpoint connections (`connectionNotifications`). */
  public readonly notificationTopic?: sns.ITopic;
  /** The bucket of the ALB's access logs (`accessLogs`). */
  public readonly accessLogsBucket?: s3.IBucket;
  /** Subnets of the services' tasks. */
  public readonly taskSubnets: ec2.SubnetSelection;
  /** How long the services' logs are kept. */
  public readonly logRetention: logs.RetentionDays;
  /**
   * The network connections of `service`'s tasks, for example to let them reach
   * a database: `db.connections.allowDefaultPortFrom(api)`.
   */
  public readonly connections: ec2.Connections;

  private readonly serviceList: ApiService[] = [];
  private readonly priorities = new Map<number, string>();
  private defaultRouteOwner?: string;
  private sharedLogGroup?: logs.LogGroup;

  constructor(scope: Construct, id: string, props: EcsPrivateLinkApiProps) {
    super(scope, id);

    // ---- validate everything before any child is created ----
    const v = new Validator(this);
    v.exclusive('vpc', props.vpc, 'cluster', props.cluster);
    validateServiceOptions(v, props);
    v.port('port', props.port);
    v.port('loadBalancerPort', props.loadBalancerPort);
    v.seconds('loadBalancerIdleTimeout', props.loadBalancerIdleTimeout, 1, 4000);
    v.seconds('networkLoadBalancerIdleTimeout', props.networkLoadBalancerIdleTimeout, 60, 6000);
    const albIdle = props.loadBalancerIdleTimeout ?? DEFAULT_ALB_IDLE_TIMEOUT;
    const nlbIdle = props.networkLoadBalancerIdleTimeout ?? DEFAULT_NLB_IDLE_TIMEOUT;
    if (!albIdle.isUnresolved() && !nlbIdle.isUnresolved()) {
      v.check(albIdle.toSeconds() <= nlbIdle.toSeconds(), 'loadBalancerIdleTimeout', albIdle,
        `must not be longer than networkLoadBalancerIdleTimeout (${nlbIdle.toHumanString()}): ` +
        'the NLB would drop connections the ALB still keeps open');
    }
    validatePrincipals(v, props.allowedPrincipals);
    validateFirstServiceRoute(v, props);
    const protocol = validateHttps(v, props);
    validatePrivateDnsName(v, props);
    validateOperations(v, props, this);
    const givenVpc = props.vpc ?? props.cluster?.vpc;
    const taskSubnets = props.taskSubnets ?? PRIVATE_SUBNETS;
    const loadBalancerSubnets = props.loadBalancerSubnets ?? PRIVATE_SUBNETS;
    if (givenVpc) {
      validateSubnets(v, givenVpc, 'taskSubnets', taskSubnets, 1);
      validateSubnets(v, givenVpc, 'loadBalancerSubnets', loadBalancerSubnets, 2);
    }
    this.protocol = protocol;
    this.ipAddressType = props.ipAddressType ?? elbv2.IpAddressType.IPV4;
    this.port = props.port ?? (protocol === HTTPS ? 443 : 80);
    this.loadBalancerPort = props.loadBalancerPort ?? this.port;
    if (props.redirectHttp) {
      v.check(this.port !== REDIRECT_PORT, 'port', this.port, 'must not be 80 with redirectHttp, which listens on 80');
      v.check(this.loadBalancerPort !== REDIRECT_PORT, 'loadBalancerPort', this.loadBalancerPort, 'must not be 80 with redirectHttp, which listens on 80');
    }
    this.taskSubnets = taskSubnets;
    this.logRetention = props.logRetention ?? logs.RetentionDays.ONE_MONTH;
    const acceptanceRequired = props.acceptanceRequired ?? true;
    this.warnAboutRiskyChoices(props, acceptanceRequired);

    // ---- where ----
    this.vpc = givenVpc ?? this.createVpc(this.ipAddressType === elbv2.IpAddressType.DUAL_STACK);
    this.cluster = props.cluster ?? new ecs.Cluster(this, 'Cluster', {
      vpc: this.vpc,
      containerInsightsV2: (props.containerInsights ?? true) ? ecs.ContainerInsights.ENABLED : ecs.ContainerInsights.DISABLED,
    });

    // ---- internal ALB: admits only the NLB ----
    this.loadBalancerSecurityGroup = new ec2.SecurityGroup(this, 'LoadBalancerSecurityGroup', {
      vpc: this.vpc,
      description: `ALB of ${this.node.path}: only the NLB may connect; only the tasks are reached`,
      allowAllOutbound: false,
    });
    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'LoadBalancer', {
      vpc: this.vpc,
      vpcSubnets: loadBalancerSubnets,
      internetFacing: false,
      securityGroup: this.loadBalancerSecurityGroup,
      idleTimeout: albIdle,
      dropInvalidHeaderFields: true,
      deletionProtection: props.deletionProtection ?? false,
    });
    this.listener = this.loadBalancer.addListener('Listener', {
      port: this.loadBalancerPort,
      protocol,
      // TLS terminates here: an NLB TLS listener cannot target an ALB.
      certificates: props.certificate ? [elbv2.ListenerCertificate.fromCertificateManager(props.certificate)] : undefined,
      sslPolicy: protocol === HTTPS ? props.sslPolicy ?? elbv2.SslPolicy.RECOMMENDED_TLS : undefined,
      // `open` would admit 0.0.0.0/0; the only client is the NLB (rule below).
      open: false,
      // Without it, the first service becomes the default action.
      defaultAction: props.notFoundResponse ? NOT_FOUND : undefined,
    });
    if (props.notFoundResponse) {
      this.defaultRouteOwner = 'the fixed 404 response (notFoundResponse)';
    }

    // ---- the first service ----
    const first = new ApiService(this, 'Service', { ...props, api: this });
    this.service = first.service;
    this.taskDefinition = first.taskDefinition;
    this.targetGroup = first.targetGroup;
    this.serviceSecurityGroup = first.securityGroup;
    this.connections = first.connections;

    // ---- internal NLB with its own security group, fixed at creation ----
    this.networkLoadBalancerSecurityGroup = new ec2.SecurityGroup(this, 'NetworkLoadBalancerSecurityGroup', {
      vpc: this.vpc,
      description: `NLB of ${this.node.path}: PrivateLink traffic is admitted by principals and acceptance; egress only to the ALB`,
      allowAllOutbound: false,
    });
    this.networkLoadBalancer = new elbv2.NetworkLoadBalancer(this, 'NetworkLoadBalancer', {
      vpc: this.vpc,
      vpcSubnets: loadBalancerSubnets,
      internetFacing: false,
      crossZoneEnabled: props.crossZoneEnabled ?? true,
      securityGroups: [this.networkLoadBalancerSecurityGroup],
      enforceSecurityGroupInboundRulesOnPrivateLinkTraffic: props.enforceSecurityGroupInboundRulesOnPrivateLinkTraffic ?? false,
      deletionProtection: props.deletionProtection ?? false,
      ipAddressType: this.ipAddressType,
    });

    // The NLB forwards TCP to the ALB listener; its health check goes through it too.
    const hc = resolveHealthCheck(props.healthCheck);
    const forwarded = this.forwardToAlb('', this.port, this.listener, {
      protocol: protocol === HTTPS ? elbv2.Protocol.HTTPS : elbv2.Protocol.HTTP,
      path: hc.path,
      healthyHttpCodes: hc.healthyHttpCodes,
      interval: hc.interval,
      timeout: hc.timeout,
    }, nlbIdle);
    this.networkListener = forwarded.listener;
    this.networkTargetGroup = forwarded.targetGroup;
    if (props.redirectHttp) {
      this.redirectListener = this.loadBalancer.addListener('HttpRedirect', {
        port: REDIRECT_PORT,
        protocol: HTTP,
        open: false,
        defaultAction: elbv2.ListenerAction.redirect({ protocol: HTTPS, port: String(this.port), permanent: true }),
      });
      this.forwardToAlb('HttpRedirect', REDIRECT_PORT, this.redirectListener, {
        protocol: elbv2.Protocol.HTTP, path: hc.path, healthyHttpCodes: '301', interval: hc.interval, timeout: hc.timeout,
      }, nlbIdle);
    }

    // ---- the endpoint service ----
    this.endpointService = new ec2.VpcEndpointService(this, 'EndpointService', {
      vpcEndpointServiceLoadBalancers: [this.networkLoadBalancer],
      acceptanceRequired,
      allowedPrincipals: toArnPrincipals(props.allowedPrincipals),
      allowedRegions: props.allowedRegions,
      supportedIpAddressTypes: this.ipAddressType === elbv2.IpAddressType.DUAL_STACK
        ? [ec2.IpAddressType.IPV4, ec2.IpAddressType.IPV6]
        : undefined,
      contributorInsights: props.contributorInsights,
    });
    this.endpointServiceName = this.endpointService.vpcEndpointServiceName;

    if (props.privateDnsName) {
      const dns = new PrivateDnsName(this, 'PrivateDnsName', {
        endpointService: this.endpointService,
        domainName: props.privateDnsName,
        publicHostedZone: props.publicHostedZone,
        allowedRegions: props.allowedRegions,
      });
      this.privateDnsName = props.privateDnsName;
      this.privateDnsVerificationRecordName = dns.verificationRecordName;
      this.privateDnsVerificationRecordValue = dns.verificationRecordValue;
    }
    if (props.connectionNotifications ?? props.notificationTopic !== undefined) {
      this.notificationTopic = props.notificationTopic ?? this.createNotificationTopic();
      const stack = Stack.of(this);
      this.notificationTopic.addToResourcePolicy(new iam.PolicyStatement({
        actions: ['sns:Publish'],
        principals: [new iam.ServicePrincipal('vpce.amazonaws.com')],
        resources: [this.notificationTopic.topicArn],
        // Only for this endpoint service (confused-deputy protection).
        conditions: {
          ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'ec2', resource: 'vpc-endpoint-service', resourceName: this.endpointService.vpcEndpointServiceId }) },
          StringEquals: { 'aws:SourceAccount': stack.account },
        },
      }));
      // No L2 for connection notifications.
      new ec2.CfnVPCEndpointConnectionNotification(this, 'ConnectionNotification', {
        serviceId: this.endpointService.vpcEndpointServiceId,
        connectionEvents: CONNECTION_EVENTS,
        connectionNotificationArn: this.notificationTopic.topicArn,
      });
    }

    if (props.accessLogs ?? props.accessLogsBucket !== undefined) {
      this.accessLogsBucket = props.accessLogsBucket ?? this.createAccessLogsBucket();
      this.loadBalancer.logAccessLogs(this.accessLogsBucket, 'alb');
    } else {
      acknowledgeNagFindings(this.loadBalancer, [{ id: 'AwsSolutions-ELB2', reason: ALB_ACCESS_LOGS_REASON }]);
    }
    acknowledgeNagFindings(this.networkLoadBalancer, [{ id: 'AwsSolutions-ELB2', reason: NLB_ACCESS_LOGS_REASON }]);

    if (props.serviceNameOutput ?? true) {
      new CfnOutput(this, 'EndpointServiceName', {
        value: this.endpointServiceName,
        description: `Endpoint service of ${this.node.path}: consumers create an interface endpoint to it on port ${this.port}`,
      });
    }
  }

  /**
   * Adds another Fargate service behind the same ALB, NLB and endpoint service, routed
   * by `pathPatterns` and/or `hostHeaders`. Consumers keep one endpoint for every service.
   *
   * @param id the service's construct id (also its log stream prefix)
   * @param options what runs, and which requests reach it
   */
  public addService(id: string, options: ApiServiceRouteOptions): ApiService {
    return new ApiService(this, id, { ...options, api: this });
  }

  /** Every service of the API, the first one first. */
  public get services(): ApiService[] {
    return [...this.serviceList];
  }

  /**
   * The log group of the services' containers (one stream prefix per service), once a
   * service the library built a task definition for uses it.
   */
  public get logGroup(): logs.ILogGroup | undefined {
    return this.sharedLogGroup;
  }

  /**
   * Reserves a listener-rule priority for a routed service: `priority`, or the next free
   * multiple of 10. Throws on a clash.
   * @internal
   */
  public _claimPriority(path: string, priority?: number): number {
    let claimed = priority;
    if (claimed === undefined) {
      claimed = 10 * (this.priorities.size + 1);
      while (this.priorities.has(claimed)) {
        claimed += 10;
      }
    } else if (this.priorities.has(claimed)) {
      throw new Error(`${path}: invalid priority ${claimed}: already used by ${this.priorities.get(claimed)}; ` +
        'priorities must be unique in the API (leave priority out to get a free one)');
    }
    this.priorities.set(claimed, path);
    return claimed;
  }

  /**
   * Who answers requests no rule matches, if anyone yet.
   * @internal
   */
  public _defaultRoute(): string | undefined {
    return this.defaultRouteOwner;
  }

  /**
   * Makes `targetGroup` the listener's default action.
   * @internal
   */
  public _setDefaultRoute(path: string, targetGroup: elbv2.IApplicationTargetGroup): void {
    this.defaultRouteOwner = path;
    this.listener.addTargetGroups('DefaultService', { targetGroups: [targetGroup] });
  }

  /**
   * The log group shared by the services' containers, created on first use.
   * @internal
   */
  public _serviceLogGroup(): logs.ILogGroup {
    this.sharedLogGroup ??= new logs.LogGroup(this, 'Logs', { retention: this.logRetention });
    return this.sharedLogGroup;
  }

  /**
   * Records a service of the API.
   * @internal
   */
  public _registerService(service: ApiService): void {
    this.serviceList.push(service);
    if (this.serviceList.length === SECURITY_GROUP_RULES_QUOTA + 1) {
      Annotations.of(this).addWarningV2('cdk-ecs-privatelink:securityGroupRuleQuota',
        `More than ${SECURITY_GROUP_RULES_QUOTA} services: the ALB security group has an egress rule per service, and ` +
        `the default quota is ${SECURITY_GROUP_RULES_QUOTA} rules per direction. Raise it before deploying.`);
    }
  }

  /**
   * An NLB listener on `port` that forwards TCP to `albListener` through a target group of
   * type `alb`. AlbListenerTarget makes the target group wait for the listener (which must
   * exist first) and uses the listener's port (which the target group's must equal).
   */
  private forwardToAlb(idPrefix: string, port: number, albListener: elbv2.ApplicationListener,
    healthCheck: elbv2.HealthCheck, idleTimeout: Duration) {
    this.networkLoadBalancer.connections.allowTo(this.loadBalancer, ec2.Port.tcp(albListener.port),
      `PrivateLink traffic and health checks from the NLB to the ALB listener on ${albListener.port}`);
    const targetGroup = new elbv2.NetworkTargetGroup(this, `${idPrefix}NetworkTargetGroup`, {
      vpc: this.vpc,
      port: albListener.port,
      protocol: elbv2.Protocol.TCP,
      targets: [new targets.AlbListenerTarget(albListener)],
      healthCheck,
    });
    const listener = this.networkLoadBalancer.addListener(`${idPrefix}Listener`, {
      port,
      protocol: elbv2.Protocol.TCP,
      tcpIdleTimeout: idleTimeout,
      defaultTargetGroups: [targetGroup],
    });
    return { listener, targetGroup };
  }

  /** A topic for connection notifications, encrypted with a key that vpce.amazonaws.com may use. */
  private createNotificationTopic(): sns.Topic {
    const key = new kms.Key(this, 'NotificationKey', {
      description: `Connection notifications of ${this.node.path}`,
      enableKeyRotation: true,
    });
    key.grant(new iam.ServicePrincipal('vpce.amazonaws.com'), 'kms:GenerateDataKey*', 'kms:Decrypt');
    return new sns.Topic(this, 'ConnectionNotifications', { masterKey: key, enforceSSL: true });
  }

  /** An SSE-S3 bucket (what ALB log delivery supports) that only takes TLS requests. */
  private createAccessLogsBucket(): s3.Bucket {
    const bucket = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    });
    acknowledgeNagFindings(bucket, [{
      id: 'AwsSolutions-S1',
      reason: 'The bucket only receives the ALB\'s access logs; logging access to it would need yet another bucket.',
    }]);
    return bucket;
  }

  /** Like the blog's network module, plus a flow log: 2 AZs, public + private subnets, 1 NAT gateway. */
  private createVpc(dualStack: boolean): ec2.Vpc {
    const vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 1,
      ipProtocol: dualStack ? ec2.IpProtocol.DUAL_STACK : undefined,
    });
    vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(new logs.LogGroup(this, 'FlowLogs', {
        retention: logs.RetentionDays.ONE_MONTH,
      })),
    });
    return vpc;
  }

  private warnAboutRiskyChoices(props: EcsPrivateLinkApiProps, acceptanceRequired: boolean): void {
    const annotations = Annotations.of(this);
    const principals = props.allowedPrincipals ?? [];
    if (principals.includes('*') && !acceptanceRequired) {
      annotations.addWarningV2('cdk-ecs-privatelink:openToEveryAccount',
        'allowedPrincipals contains * and acceptanceRequired is false: any AWS account can connect to this API ' +
        'without your approval. Name the accounts, or keep acceptanceRequired on.');
    }
    if (principals.length === 0) {
      annotations.addInfo('allowedPrincipals is empty: no consumer can connect until you allow its account or role.');
    }
    if (props.enforceSecurityGroupInboundRulesOnPrivateLinkTraffic) {
      annotations.addWarningV2('cdk-ecs-privatelink:enforcedPrivateLinkInboundRules',
        'enforceSecurityGroupInboundRulesOnPrivateLinkTraffic is on: consumer traffic is dropped unless you add inbound ' +
        'rules to networkLoadBalancer.connections; this library adds none.');
    }
  }
}

/** Throws unless `selection` picks subnets of `vpc` in at least `minAzs` AZs. */
function validateSubnets(v: Validator, vpc: ec2.IVpc, prop: string, selection: ec2.SubnetSelection, minAzs: number): void {
  let selected: ec2.SelectedSubnets;
  try {
    selected = vpc.selectSubnets(selection);
  } catch (e) {
    return v.error(`${prop} selects no subnets in the VPC (${(e as Error).message}). ` +
      'Give taskSubnets and loadBalancerSubnets explicitly, for example { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }.');
  }
  if (selected.subnetIds.length === 0) {
    v.error(`${prop} selects no subnets in the VPC: select private subnets to place the ${prop === 'taskSubnets' ? 'tasks' : 'load balancers'} in`);
  }
  const azs = new Set(selected.availabilityZones).size;
  if (azs < minAzs) {
    v.error(`invalid ${prop}: the selected subnets are in ${azs} AZ${azs === 1 ? '' : 's'}; ` +
      `they must span at least ${minAzs} AZs (an ALB needs subnets in two AZs)`);
  }
}

/**
 * The first service is the default action, unless `notFoundResponse`: then it needs a path
 * pattern that matches its health-check path, which the NLB requests through the ALB.
 */
function validateFirstServiceRoute(v: Validator, props: EcsPrivateLinkApiProps): void {
  const routed = props.pathPatterns !== undefined || props.hostHeaders !== undefined;
  if (!props.notFoundResponse) {
    if (routed) {
      v.error('pathPatterns or hostHeaders was given for the first service without notFoundResponse: the first service ' +
        'answers every request no rule matches; set notFoundResponse: true to route it, or use addService');
    }
    return;
  }
  const path = resolveHealthCheck(props.healthCheck).path;
  const patterns = props.pathPatterns ?? [];
  if (!Token.isUnresolved(path) && !patterns.some(p => Token.isUnresolved(p) || matchesPathPattern(path, p))) {
    v.fail('healthCheck.path', path, `must match one of the first service's pathPatterns (${JSON.stringify(patterns)}) ` +
      'with notFoundResponse: the NLB checks the ALB through that path, and a 404 would mark the ALB unhealthy');
  }
}

/** Whether `path` matches an ALB path pattern (`*`: any characters, `?`: one character). */
function matchesPathPattern(path: string, pattern: string): boolean {
  const regex = pattern.split('').map(c => c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')).join('');
  return new RegExp(`^${regex}$`).test(path);
}

/** The listener protocol, checked against the certificate and the HTTPS-only options. */
function validateHttps(v: Validator, props: EcsPrivateLinkApiProps): elbv2.ApplicationProtocol {
  const protocol = props.protocol ?? (props.certificate ? HTTPS : HTTP);
  if (props.certificate && protocol === HTTP) {
    v.fail('protocol', protocol, 'must be HTTPS (or left out) when a certificate is given');
  }
  if (!props.certificate && protocol === HTTPS) {
    v.fail('protocol', protocol, 'needs a certificate (an ACM certificate covering the name consumers call)');
  }
  if (protocol !== HTTPS) {
    if (props.sslPolicy) {
      v.fail('sslPolicy', props.sslPolicy, 'only applies to HTTPS: give a certificate');
    }
    if (props.redirectHttp) {
      v.fail('redirectHttp', true, 'redirects to HTTPS: give a certificate');
    }
  }
  return protocol;
}

function validatePrivateDnsName(v: Validator, props: EcsPrivateLinkApiProps): void {
  const name = props.privateDnsName;
  if (props.publicHostedZone && name === undefined) {
    v.error('publicHostedZone was given without privateDnsName: the zone is where the name\'s verification record goes');
  }
  if (name === undefined || Token.isUnresolved(name)) {
    return;
  }
  v.check(DOMAIN_NAME.test(name) && name.length <= 255, 'privateDnsName', name,
    'must be a lower-case domain name such as api.example.com (a leading *. is allowed)');
  let zoneName: string | undefined;
  try {
    zoneName = props.publicHostedZone?.zoneName;
  } catch {
    zoneName = undefined; // a zone imported by ID only: its name is unknown here
  }
  if (zoneName && !Token.isUnresolved(zoneName)) {
    const zone = zoneName.replace(/\.$/, '');
    v.check(name === zone || name.endsWith(`.${zone}`), 'privateDnsName', name,
      `must be in the domain of publicHostedZone (${zone})`);
  }
}

function validateOperations(v: Validator, props: EcsPrivateLinkApiProps, scope: Construct): void {
  if ((props.accessLogs ?? props.accessLogsBucket !== undefined) && Token.isUnresolved(Stack.of(scope).region)) {
    v.fail('accessLogs', true, 'needs a stack with a region (env: { region }): who may deliver ALB access logs ' +
      'to the bucket differs by region');
  }
  if (props.notificationTopic && props.connectionNotifications === false) {
    v.fail('connectionNotifications', false, 'notificationTopic was given: leave connectionNotifications out, or drop the topic');
  }
  if (props.accessLogsBucket && props.accessLogs === false) {
    v.fail('accessLogs', false, 'accessLogsBucket was given: leave accessLogs out, or drop the bucket');
  }
  for (const region of props.allowedRegions ?? []) {
    if (!Token.isUnresolved(region)) {
      v.check(REGION.test(region), 'allowedRegions', region, 'each must be a region name such as us-east-1');
    }
  }
  const ipType = props.ipAddressType;
  if (ipType !== undefined) {
    v.check(ipType === elbv2.IpAddressType.IPV4 || ipType === elbv2.IpAddressType.DUAL_STACK, 'ipAddressType', ipType,
      'must be IPV4 or DUAL_STACK (the NLB is internal)');
  }
}
