import { CfnOutput, CfnResource, Duration, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as targets from 'aws-cdk-lib/aws-elasticloadbalancingv2-targets';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { acknowledgeAccessLogBucketFindings, acknowledgeLoadBalancerFindings, acknowledgeVpcFindings } from './acknowledgements';
import type { IEcsPrivateLinkApi } from './api-interface';
import { ApiService } from './api-service';
import type { ApiServiceRouteOptions } from './api-service-options';
import { ConnectionAcceptor } from './connection-acceptor';
import { API_DEFAULTS, resolveHealthCheck } from './defaults';
import type { EcsPrivateLinkApiProps } from './ecs-privatelink-api-props';
import { EndpointServiceTeardown } from './endpoint-service-teardown';
import { guardLogicalIds } from './expected-logical-ids';
import { addHealthCheckListener, mutualTlsHealthCheckPort, setUpMutualTls } from './mutual-tls';
import { addConnectionNotifications } from './notifications';
import { toArnPrincipals } from './principals';
import { PrivateDnsName } from './private-dns-name';
import { ApiRoutes, healthCheckMissesRoute, healthCheckPathPattern, LAST_PRIORITY, registerRoutes } from './routing';
import { validateApiProps } from './validation';
import { allowLogsToUseKey, ec2Description, Validator } from '../common';

const HTTP = elbv2.ApplicationProtocol.HTTP;
const HTTPS = elbv2.ApplicationProtocol.HTTPS;
const REDIRECT_PORT = API_DEFAULTS.httpPort;
const NOT_FOUND = elbv2.ListenerAction.fixedResponse(404, {
  contentType: 'application/json',
  messageBody: '{"message":"Not Found"}',
});

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
export class EcsPrivateLinkApi extends Construct implements IEcsPrivateLinkApi, ec2.IConnectable {
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
   * The endpoint service name (`com.amazonaws.vpce.<region>.vpce-svc-<id>`): what a
   * consumer in another account needs to create its endpoint. Its region is the API
   * stack's, so the name is right in a consumer stack of another region too.
   */
  public readonly endpointServiceName: string;
  /**
   * The AZs of the load balancers (names, as this account sees them; AZ names map to other
   * zones in other accounts, so tell consumers the AZ IDs): consumer endpoints can only use these.
   */
  public readonly availabilityZones: string[];
  /** The region of the endpoint service: the API stack's (a token when it is environment-agnostic). */
  public readonly serviceRegion: string;
  /**
   * Who may create endpoints to the service, as given (`allowedPrincipals`).
   *
   * @default - nobody
   */
  public readonly allowedPrincipals?: string[];
  /**
   * Regions other than the service's from which consumers may connect (`allowedRegions`).
   *
   * @default - the service's region only
   */
  public readonly allowedRegions?: string[];
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
  /** The NLB's TCP listener on port 80 that forwards to `redirectListener` (`redirectHttp`). */
  public readonly redirectNetworkListener?: elbv2.NetworkListener;
  /** How the HTTPS listener handles client certificates (`mutualTls`): `OFF` without it. */
  public readonly mutualTlsMode: elbv2.MutualAuthenticationMode;
  /** The trust store the HTTPS listener verifies client certificates with (`mutualTls`, `VERIFY`). */
  public readonly trustStore?: elbv2.ITrustStore;
  /**
   * The ALB listener the NLB's health check uses while `mutualTls` is on (its port is
   * `mutualTls.healthCheckPort`): it asks for no client certificate, only the NLB may reach
   * it, and it forwards only the health-check path.
   */
  public readonly healthCheckListener?: elbv2.ApplicationListener;
  /** The endpoint service's private DNS name (`privateDnsName`). */
  public readonly privateDnsName?: string;
  /** Name of the TXT record that proves you own `privateDnsName`'s domain. */
  public readonly privateDnsVerificationRecordName?: string;
  /** Value of the TXT record that proves you own `privateDnsName`'s domain. */
  public readonly privateDnsVerificationRecordValue?: string;
  /** The topic notified of endpoint connections (`connectionNotifications`). */
  public readonly notificationTopic?: sns.ITopic;
  /**
   * What accepts the connection requests of `autoAcceptAccounts`.
   *
   * @default - none, without `autoAcceptAccounts`
   */
  public readonly connectionAcceptor?: ConnectionAcceptor;
  /**
   * What rejects the remaining connections before the endpoint service is deleted.
   *
   * @default - none, without `rejectConnectionsOnDelete`
   */
  public readonly endpointServiceTeardown?: EndpointServiceTeardown;
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

  private readonly routes: ApiRoutes;

  constructor(scope: Construct, id: string, props: EcsPrivateLinkApiProps) {
    super(scope, id);

    // ---- validate everything before any child is created ----
    const protocol = validateApiProps(new Validator(this), this, props);
    this.protocol = protocol;
    this.ipAddressType = props.ipAddressType ?? elbv2.IpAddressType.IPV4;
    this.port = props.port ?? (protocol === HTTPS ? API_DEFAULTS.httpsPort : API_DEFAULTS.httpPort);
    this.loadBalancerPort = props.loadBalancerPort ?? this.port;
    this.taskSubnets = props.taskSubnets ?? API_DEFAULTS.subnets;
    this.logRetention = props.logRetention ?? logs.RetentionDays.ONE_MONTH;
    this.allowedPrincipals = props.allowedPrincipals;
    this.allowedRegions = props.allowedRegions;
    const loadBalancerSubnets = props.loadBalancerSubnets ?? API_DEFAULTS.subnets;
    const albIdle = props.loadBalancerIdleTimeout ?? API_DEFAULTS.loadBalancerIdleTimeout;
    const nlbIdle = props.networkLoadBalancerIdleTimeout ?? API_DEFAULTS.networkLoadBalancerIdleTimeout;
    this.routes = registerRoutes(this, new ApiRoutes(() => this.newLogGroup('Logs', props, this.logRetention)));

    // ---- where ----
    if (props.logsEncryptionKey) {
      allowLogsToUseKey(this, 'logsEncryptionKey', props.logsEncryptionKey);
    }
    this.vpc = props.vpc ?? props.cluster?.vpc ?? this.createVpc(props, this.ipAddressType === elbv2.IpAddressType.DUAL_STACK);
    this.cluster = props.cluster ?? new ecs.Cluster(this, 'Cluster', {
      vpc: this.vpc,
      containerInsightsV2: (props.containerInsights ?? true) ? ecs.ContainerInsights.ENABLED : ecs.ContainerInsights.DISABLED,
    });

    // ---- internal ALB: admits only the NLB ----
    this.loadBalancerSecurityGroup = new ec2.SecurityGroup(this, 'LoadBalancerSecurityGroup', {
      vpc: this.vpc,
      description: ec2Description(`ALB of ${this.node.path}: only the NLB may connect; only the tasks are reached`),
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
    // Mutual TLS (consumer identity): the trust store comes before the listener that uses it.
    const mutualTls = setUpMutualTls(this, props.mutualTls);
    this.mutualTlsMode = mutualTls.mode;
    this.trustStore = mutualTls.trustStore;
    const sslPolicy = protocol === HTTPS ? props.sslPolicy ?? elbv2.SslPolicy.RECOMMENDED_TLS : undefined;
    this.listener = this.loadBalancer.addListener('Listener', {
      port: this.loadBalancerPort,
      protocol,
      // TLS terminates here: an NLB TLS listener cannot target an ALB.
      certificates: props.certificate ? [elbv2.ListenerCertificate.fromCertificateManager(props.certificate)] : undefined,
      sslPolicy,
      mutualAuthentication: mutualTls.listenerSettings,
      // `open` would admit 0.0.0.0/0; the only client is the NLB (rule below).
      open: false,
      // Without it, the first service becomes the default action.
      defaultAction: props.notFoundResponse ? NOT_FOUND : undefined,
    });
    if (props.notFoundResponse) {
      this.routes.defaultRoute = 'the fixed 404 response (notFoundResponse)';
    }

    // ---- the first service ----
    const first = new ApiService(this, 'Service', { ...props, api: this });
    this.service = first.service;
    this.taskDefinition = first.taskDefinition;
    this.targetGroup = first.targetGroup;
    this.serviceSecurityGroup = first.securityGroup;
    this.connections = first.connections;
    const hc = resolveHealthCheck(props.healthCheck);
    // (With mutual TLS the NLB checks through a listener of its own: see below.)
    if (props.notFoundResponse && !mutualTls.listenerSettings && healthCheckMissesRoute(hc.path, props.pathPatterns, props.hostHeaders)) {
      // The NLB's check (next) carries no Host header the first service's rule expects; without
      // this rule it gets the 404 default, and the NLB fails open with the ALB marked unhealthy.
      this.routes.reservePriority(LAST_PRIORITY, `${this.node.path}/HealthCheckRule (the NLB's health check)`);
      new elbv2.ApplicationListenerRule(this, 'HealthCheckRule', {
        listener: this.listener,
        priority: LAST_PRIORITY,
        conditions: [elbv2.ListenerCondition.pathPatterns([healthCheckPathPattern(hc.path)])],
        targetGroups: [first.targetGroup],
      });
    }

    // ---- internal NLB with its own security group, fixed at creation ----
    this.networkLoadBalancerSecurityGroup = new ec2.SecurityGroup(this, 'NetworkLoadBalancerSecurityGroup', {
      vpc: this.vpc,
      description: ec2Description(`NLB of ${this.node.path}: PrivateLink traffic is admitted by principals and acceptance; egress only to the ALB`),
      allowAllOutbound: false,
    });
    this.availabilityZones = this.vpc.selectSubnets(loadBalancerSubnets).availabilityZones;
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
    const forwarded = this.forwardToAlb('', this.port, this.listener, protocol, hc.path, hc.interval, nlbIdle);
    this.networkListener = forwarded.listener;
    this.networkTargetGroup = forwarded.targetGroup;
    if (mutualTls.listenerSettings) {
      // The NLB's health check has no client certificate: it checks through a listener without mutual TLS.
      this.healthCheckListener = addHealthCheckListener({
        loadBalancer: this.loadBalancer,
        networkLoadBalancer: this.networkLoadBalancer,
        networkTargetGroup: this.networkTargetGroup,
        port: mutualTlsHealthCheckPort(props.mutualTls!, this.loadBalancerPort),
        certificate: props.certificate!,
        sslPolicy,
        healthCheckPath: hc.path,
        targetGroup: first.targetGroup,
      });
    }
    if (props.redirectHttp) {
      this.redirectListener = this.loadBalancer.addListener('HttpRedirect', {
        port: REDIRECT_PORT,
        protocol: HTTP,
        open: false,
        defaultAction: elbv2.ListenerAction.redirect({ protocol: HTTPS, port: String(this.port), permanent: true }),
      });
      // Its health check gets the redirect's 301, inside the default 200-399 matcher.
      this.redirectNetworkListener = this.forwardToAlb('HttpRedirect', REDIRECT_PORT, this.redirectListener, HTTP, hc.path, hc.interval, nlbIdle).listener;
    }

    // ---- the endpoint service ----
    this.endpointService = new ec2.VpcEndpointService(this, 'EndpointService', {
      vpcEndpointServiceLoadBalancers: [this.networkLoadBalancer],
      acceptanceRequired: props.acceptanceRequired ?? true,
      allowedPrincipals: toArnPrincipals(props.allowedPrincipals),
      allowedRegions: props.allowedRegions,
      supportedIpAddressTypes: this.ipAddressType === elbv2.IpAddressType.DUAL_STACK
        ? [ec2.IpAddressType.IPV4, ec2.IpAddressType.IPV6]
        : undefined,
      contributorInsights: props.contributorInsights,
    });
    if (props.expectedLogicalIds) {
      guardLogicalIds(this, props.expectedLogicalIds, {
        // aws-cdk-lib names the endpoint service's L1 like the L2, so it is not `defaultChild`.
        endpointService: this.endpointService.node.children.find(CfnResource.isCfnResource)!,
        networkLoadBalancer: this.networkLoadBalancer.node.defaultChild as CfnResource,
      });
    }
    // Not endpointService.vpcEndpointServiceName: its unscoped AWS::Region would name the region
    // of whichever stack uses it (a consumer in another region), not the service's.
    this.serviceRegion = Stack.of(this).region;
    this.endpointServiceName = Fn.join('.', ['com.amazonaws.vpce', this.serviceRegion, this.endpointService.vpcEndpointServiceId]);

    if (props.privateDnsName) {
      const dns = new PrivateDnsName(this, 'PrivateDnsName', {
        endpointService: this.endpointService,
        domainName: props.privateDnsName,
        publicHostedZone: props.publicHostedZone,
        allowedRegions: props.allowedRegions,
        logsEncryptionKey: props.logsEncryptionKey,
        removalPolicy: props.removalPolicy,
      });
      this.privateDnsName = props.privateDnsName;
      this.privateDnsVerificationRecordName = dns.verificationRecordName;
      this.privateDnsVerificationRecordValue = dns.verificationRecordValue;
    }
    if (props.connectionNotifications ?? (props.notificationTopic !== undefined || props.autoAcceptAccounts !== undefined)) {
      this.notificationTopic = addConnectionNotifications(this, {
        endpointService: this.endpointService,
        topic: props.notificationTopic,
        removalPolicy: props.removalPolicy,
      });
    }

    // ---- operations: access logs, a web ACL ----
    if (props.accessLogs ?? props.accessLogsBucket !== undefined) {
      this.accessLogsBucket = props.accessLogsBucket ?? this.createAccessLogsBucket(props.removalPolicy);
      this.loadBalancer.logAccessLogs(this.accessLogsBucket, 'alb');
    }
    if (props.webAclArn) {
      // No L2 for WAF. Regional web ACLs can protect an ALB, internal ones included.
      // https://docs.aws.amazon.com/waf/latest/developerguide/waf-chapter.html
      new wafv2.CfnWebACLAssociation(this, 'WebAcl', { resourceArn: this.loadBalancer.loadBalancerArn, webAclArn: props.webAclArn });
    }

    // ---- operations: connection automation (auto-accept, teardown) ----
    this.connectionAcceptor = this.acceptConnectionsOf(props);
    this.endpointServiceTeardown = this.tearDownConnectionsOf(props);

    // ---- what the library acknowledges, and why (test/nag) ----
    acknowledgeLoadBalancerFindings({
      alb: this.loadBalancer,
      nlb: this.networkLoadBalancer,
      listener: this.listener,
      networkListeners: [this.networkListener, ...(this.redirectNetworkListener ? [this.redirectNetworkListener] : [])],
      redirectListener: this.redirectListener,
    }, props);

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
    return this.routes.services.filter((s): s is ApiService => s instanceof ApiService);
  }

  /**
   * The log group of the services' containers (one stream prefix per service), once a
   * service the library built a task definition for uses it.
   */
  public get logGroup(): logs.ILogGroup | undefined {
    return this.routes.existingLogGroup;
  }

  /**
   * An NLB listener on `port` that forwards TCP to `albListener` through a target group of
   * type `alb`. AlbListenerTarget makes the target group wait for the listener (which must
   * exist first) and uses the listener's port (which the target group's must equal).
   *
   * The health check sets only protocol, path and interval. AWS's PrivateLink sample and the
   * blog set no health-check fields on alb-type target groups, and the ELB guide says their
   * attributes can't be modified; a timeout or matcher there is what the deploy-rules gate
   * (test/deploy-rules) rejects. The default matcher (200-399) covers 200 and the redirect's 301.
   * https://docs.aws.amazon.com/elasticloadbalancing/latest/network/application-load-balancer-target.html
   */
  private forwardToAlb(idPrefix: string, port: number, albListener: elbv2.ApplicationListener,
    protocol: elbv2.ApplicationProtocol, path: string, interval: Duration, idleTimeout: Duration) {
    this.networkLoadBalancer.connections.allowTo(this.loadBalancer, ec2.Port.tcp(albListener.port),
      `PrivateLink traffic and health checks from the NLB to the ALB listener on ${albListener.port}`);
    const targetGroup = new elbv2.NetworkTargetGroup(this, `${idPrefix}NetworkTargetGroup`, {
      vpc: this.vpc,
      port: albListener.port,
      protocol: elbv2.Protocol.TCP,
      targets: [new targets.AlbListenerTarget(albListener)],
      healthCheck: { protocol: protocol === HTTPS ? elbv2.Protocol.HTTPS : elbv2.Protocol.HTTP, path, interval },
    });
    const listener = this.networkLoadBalancer.addListener(`${idPrefix}Listener`, {
      port,
      protocol: elbv2.Protocol.TCP,
      tcpIdleTimeout: idleTimeout,
      defaultTargetGroups: [targetGroup],
    });
    return { listener, targetGroup };
  }

  /** `autoAcceptAccounts`: a function on the connection notifications accepts those accounts' requests. */
  private acceptConnectionsOf(props: EcsPrivateLinkApiProps): ConnectionAcceptor | undefined {
    if (!props.autoAcceptAccounts || !this.notificationTopic) {
      return undefined;
    }
    return new ConnectionAcceptor(this, 'ConnectionAcceptor', {
      endpointService: this.endpointService,
      notificationTopic: this.notificationTopic,
      accounts: props.autoAcceptAccounts,
      multiRegion: props.allowedRegions !== undefined,
      logsEncryptionKey: props.logsEncryptionKey,
      removalPolicy: props.removalPolicy,
    });
  }

  /** `rejectConnectionsOnDelete`: a custom resource, deleted before the endpoint service, rejects its connections. */
  private tearDownConnectionsOf(props: EcsPrivateLinkApiProps): EndpointServiceTeardown | undefined {
    if (!props.rejectConnectionsOnDelete) {
      return undefined;
    }
    return new EndpointServiceTeardown(this, 'Teardown', {
      endpointService: this.endpointService,
      multiRegion: props.allowedRegions !== undefined,
      logsEncryptionKey: props.logsEncryptionKey,
      removalPolicy: props.removalPolicy,
    });
  }

  /** An SSE-S3 bucket (what ALB log delivery supports) that only takes TLS requests. */
  private createAccessLogsBucket(removalPolicy?: RemovalPolicy): s3.Bucket {
    const bucket = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      removalPolicy,
      // A bucket with logs in it can't be deleted: empty it first when the user chose DESTROY.
      autoDeleteObjects: removalPolicy === RemovalPolicy.DESTROY,
    });
    acknowledgeAccessLogBucketFindings(bucket);
    return bucket;
  }

  /**
   * Like the blog's network module, plus a flow log: 2 AZs, public + private subnets, 1 NAT
   * gateway. Public subnets give nothing a public IP (only the NAT gateway, with its own
   * Elastic IP, lives there), and the default security group admits nothing.
   */
  private createVpc(props: EcsPrivateLinkApiProps, dualStack: boolean): ec2.Vpc {
    const vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 1,
      ipProtocol: dualStack ? ec2.IpProtocol.DUAL_STACK : undefined,
      // aws-cdk-lib's default groups, by the same names (so the subnets' logical IDs don't change).
      // The NLB needs IPv6 CIDRs on its subnets, not IPv6 addresses on everything launched there.
      subnetConfiguration: [
        { name: 'Public', subnetType: ec2.SubnetType.PUBLIC, mapPublicIpOnLaunch: false, ipv6AssignAddressOnCreation: dualStack ? false : undefined },
        { name: 'Private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, ipv6AssignAddressOnCreation: dualStack ? false : undefined },
      ],
      restrictDefaultSecurityGroup: true,
    });
    const flowLog = vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(this.newLogGroup('FlowLogs', props, logs.RetentionDays.ONE_MONTH)),
    });
    acknowledgeVpcFindings(vpc, flowLog.node.tryFindChild('IAMRole'));
    return vpc;
  }

  /** A log group of the library's: its retention, the user's removal policy and encryption key. */
  private newLogGroup(id: string, props: EcsPrivateLinkApiProps, retention: logs.RetentionDays): logs.LogGroup {
    return new logs.LogGroup(this, id, { retention, removalPolicy: props.removalPolicy, encryptionKey: props.logsEncryptionKey });
  }
}
