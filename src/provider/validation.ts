/**
 * The provider's synth-time checks: everything `EcsPrivateLinkApi` and `ApiService` verify
 * before they create a child, and the warnings for legal but risky choices.
 */
import { Stack, Token } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import type { Construct } from 'constructs';
import type { ApiHealthCheck, ApiServiceAutoScaling, ApiServiceOptions, ApiServiceRouteOptions } from './api-service-options';
import { validateConnectionAutomation } from './connection-automation-validation';
import { API_DEFAULTS, resolveHealthCheck, SERVICE_DEFAULTS } from './defaults';
import type { EcsPrivateLinkApiProps } from './ecs-privatelink-api-props';
import { mutualTlsHealthCheckPort, mutualTlsMode } from './mutual-tls';
import type { MutualTlsS3Object } from './mutual-tls-options';
import { ACCOUNT_ID, IAM_ARN } from './principals';
import { healthCheckMissesRoute, healthCheckPathPattern, routeCovers, sameRoute, type RouteConditions } from './routing';
import { ipv6Support, showDuration, validateFargateSize, type Validator } from '../common';

const HTTP = elbv2.ApplicationProtocol.HTTP;
const HTTPS = elbv2.ApplicationProtocol.HTTPS;

/** Props only used when `taskDefinition` is not given. */
const TASK_DEFINITION_PROPS: ReadonlyArray<keyof ApiServiceOptions> = [
  'image', 'containerName', 'cpu', 'memoryLimitMiB', 'environment', 'secrets',
];

const HTTP_CODES = /^\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*$/;
/**
 * ALB rule condition values, at most 128 characters each (add-rule.html): a path allows
 * "a-z, A-Z, 0-9; the following special characters: _-.$/~"'@:+&; and wildcards (* and ?)";
 * a host header allows "a-z, A-Z, 0-9; the following special characters: -_.; and wildcards",
 * with "at least one "." character" and "only alphabetical characters after the final "."" (so
 * no scheme and no port). At most five values per rule (rule-condition-types.html).
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/add-rule.html
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html
 */
const PATH_PATTERN = /^\/[A-Za-z0-9_\-.$/~"'@:+&*?]*$/;
const HOST_HEADER = /^[A-Za-z0-9_*?.-]*\.[A-Za-z]+$/;
/** A URL path with an optional query: RFC 3986 path and query characters, no space, no fragment. */
const HEALTH_CHECK_PATH = /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@%/?]*$/;
/**
 * "Up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens are allowed."
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html (name)
 */
const CONTAINER_NAME = /^[A-Za-z0-9_-]{1,255}$/;
/** An environment variable name every shell and runtime can read. */
const PORTABLE_ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const FARGATE_CAPACITY_PROVIDERS = ['FARGATE', 'FARGATE_SPOT'];
const DOMAIN_NAME = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

// ---------------------------------------------------------------------------------------------
// EcsPrivateLinkApi
// ---------------------------------------------------------------------------------------------

/** Checks every prop of an API (and of its first service); returns the listener protocol. */
export function validateApiProps(v: Validator, scope: Construct, props: EcsPrivateLinkApiProps): elbv2.ApplicationProtocol {
  v.exclusive('vpc', props.vpc, 'cluster', props.cluster);
  validateServiceOptions(v.errorsOnly(), props); // the first service warns when it is built
  v.port('port', props.port);
  v.port('loadBalancerPort', props.loadBalancerPort);
  validateIdleTimeouts(v, props);
  validatePrincipals(v, props.allowedPrincipals);
  validateFirstServiceRoute(v, props);
  const protocol = validateHttps(v, props);
  validateMutualTls(v, props, protocol);
  validatePrivateDnsName(v, props);
  validateOperations(v, props, scope);
  validateConnectionAutomation(v, props);
  const port = props.port ?? (protocol === HTTPS ? API_DEFAULTS.httpsPort : API_DEFAULTS.httpPort);
  if (props.redirectHttp) {
    v.check(port !== API_DEFAULTS.httpPort, 'port', port, 'must not be 80 with redirectHttp, which listens on 80');
    v.check((props.loadBalancerPort ?? port) !== API_DEFAULTS.httpPort, 'loadBalancerPort', props.loadBalancerPort,
      'must not be 80 with redirectHttp, which listens on 80');
  }
  validatePlacement(v, props);
  validatePrincipalPartitions(v, scope, props.allowedPrincipals);
  validateExpectedLogicalIds(v, props);
  warnAboutRiskyChoices(v, props);
  warnAboutSharedPrivateDnsName(v, scope, props.privateDnsName);
  if ((props.allowedPrincipals ?? []).length === 0) {
    v.info('allowedPrincipals is empty: no consumer can connect until you allow its account or role.');
  }
  return protocol;
}

/**
 * "The logical ID must be alphanumeric (A-Za-z0-9) and unique within the template."
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/resources-section-structure.html
 */
const LOGICAL_ID = /^[A-Za-z0-9]{1,255}$/;

function validateExpectedLogicalIds(v: Validator, props: EcsPrivateLinkApiProps): void {
  for (const [key, id] of Object.entries(props.expectedLogicalIds ?? {})) {
    if (id !== undefined && !Token.isUnresolved(id)) {
      v.check(LOGICAL_ID.test(id), `expectedLogicalIds.${key}`, id,
        'must be a CloudFormation logical ID (letters and digits) as the deployed stack lists it');
    }
  }
}

/**
 * Two APIs of the app with one private DNS name (the second API of a move, README "Moving to a
 * new VPC..."): a consumer VPC gets a private hosted zone for the name with each endpoint that
 * enables private DNS, so only one endpoint per VPC can; AWS documents one name per endpoint
 * service and says nothing of two services sharing one.
 * https://docs.aws.amazon.com/vpc/latest/privatelink/manage-dns-names.html
 */
function warnAboutSharedPrivateDnsName(v: Validator, scope: Construct, name: string | undefined): void {
  if (name === undefined || Token.isUnresolved(name)) {
    return;
  }
  const others = scope.node.root.node.findAll()
    .filter(c => c !== scope && (c as { privateDnsName?: unknown }).privateDnsName === name && 'endpointService' in c);
  if (others.length > 0) {
    v.warn('privateDnsNameShared', `privateDnsName ${name} is also the name of ${others.map(c => c.node.path).join(', ')}. ` +
      'A consumer VPC can enable private DNS for a name on one endpoint at a time, so customers moving between the two ' +
      'services enable it on the new endpoint only after disabling it on the old one (README "Moving to a new VPC, or any ' +
      'replacing change, without losing customers"); AWS does not document whether two endpoint services may verify the same name.');
  }
}

function validateIdleTimeouts(v: Validator, props: EcsPrivateLinkApiProps): void {
  v.seconds('loadBalancerIdleTimeout', props.loadBalancerIdleTimeout, 1, 4000);
  v.seconds('networkLoadBalancerIdleTimeout', props.networkLoadBalancerIdleTimeout, 60, 6000);
  const albIdle = props.loadBalancerIdleTimeout ?? API_DEFAULTS.loadBalancerIdleTimeout;
  const nlbIdle = props.networkLoadBalancerIdleTimeout ?? API_DEFAULTS.networkLoadBalancerIdleTimeout;
  if (!albIdle.isUnresolved() && !nlbIdle.isUnresolved()) {
    v.check(albIdle.toSeconds() <= nlbIdle.toSeconds(), 'loadBalancerIdleTimeout', albIdle,
      `must not be longer than networkLoadBalancerIdleTimeout (${showDuration(nlbIdle)}): ` +
      'the NLB would drop connections the ALB still keeps open');
  }
}

/** Checks allowed principals: 12-digit account IDs, IAM ARNs, `*`, or tokens. */
function validatePrincipals(v: Validator, principals: string[] | undefined): void {
  for (const p of principals ?? []) {
    if (Token.isUnresolved(p) || p === '*') {
      continue;
    }
    v.check(ACCOUNT_ID.test(p) || IAM_ARN.test(p), 'allowedPrincipals', p,
      'each must be a 12-digit AWS account ID, an IAM ARN (arn:aws:iam::123456789012:root, :role/name or :user/name) or *');
  }
}

/** Where the API goes: the cluster it creates, its subnets, and what those subnets can carry. */
function validatePlacement(v: Validator, props: EcsPrivateLinkApiProps): void {
  if (props.cluster && props.containerInsights !== undefined) {
    v.fail('containerInsights', props.containerInsights, 'only applies to the cluster the library creates; a cluster was given: ' +
      'set Container Insights on your cluster (containerInsightsV2) and leave containerInsights out');
  }
  const vpc = props.vpc ?? props.cluster?.vpc;
  if (!vpc) {
    return; // the library creates the VPC: two AZs, private subnets, IPv6 when dual-stack
  }
  const tasks = validateSubnets(v, vpc, 'taskSubnets', props.taskSubnets ?? API_DEFAULTS.subnets, 1);
  const loadBalancers = validateSubnets(v, vpc, 'loadBalancerSubnets', props.loadBalancerSubnets ?? API_DEFAULTS.subnets, 2);
  if (tasks.hasPublic) {
    // Without a public IP a task in a public subnet has no route to the internet (the internet
    // gateway needs one), so it pulls its image only through VPC endpoints for ECR and S3.
    // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-task-networking.html
    v.warn('tasksInPublicSubnets', 'taskSubnets selects public subnets, and the tasks get no public IP: they can only ' +
      'pull their image and write logs through VPC endpoints (ECR api and dkr, S3, CloudWatch Logs). Use private subnets ' +
      'with a NAT gateway, or add those endpoints.');
  }
  if (props.ipAddressType === elbv2.IpAddressType.DUAL_STACK) {
    const { without, unknown } = ipv6Support(loadBalancers.subnets);
    if (without.length > 0) {
      v.fail('ipAddressType', props.ipAddressType, `needs load-balancer subnets with IPv6 CIDRs; ${without.map(s => s.node.path).join(', ')} ` +
        'have none (create the VPC with ipProtocol: ec2.IpProtocol.DUAL_STACK, or pick other loadBalancerSubnets)');
    }
    if (unknown.length > 0) {
      v.warn('dualStackSubnetsUnknown', 'ipAddressType is DUAL_STACK and the load-balancer subnets are imported: the deploy ' +
        'fails unless each has an IPv6 CIDR block.');
    }
  }
}

/** An ARN principal of another partition than the stack's can never connect. */
function validatePrincipalPartitions(v: Validator, scope: Construct, principals: string[] | undefined): void {
  const region = Stack.of(scope).region;
  const partition = Token.isUnresolved(region) ? undefined : RegionInfo.get(region).partition;
  if (!partition) {
    return;
  }
  for (const p of principals ?? []) {
    const arnPartition = !Token.isUnresolved(p) && p.startsWith('arn:') ? p.split(':')[1] : undefined;
    if (arnPartition !== undefined) {
      v.check(arnPartition === partition, 'allowedPrincipals', p,
        `must be in the stack's partition (${partition}, region ${region}); an ARN of ${arnPartition} can never connect`);
    }
  }
}

/** The subnets `selection` picks in `vpc`; throws unless they span at least `minAzs` AZs. */
function validateSubnets(v: Validator, vpc: ec2.IVpc, prop: string, selection: ec2.SubnetSelection, minAzs: number): ec2.SelectedSubnets {
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
  return selected;
}

/**
 * The first service is the default action, unless `notFoundResponse`: only then may it be
 * routed. (The NLB's health check reaches it through a rule of its own where its routing
 * would miss the check: see `healthCheckMissesRoute`.)
 */
function validateFirstServiceRoute(v: Validator, props: EcsPrivateLinkApiProps): void {
  const routed = props.pathPatterns !== undefined || props.hostHeaders !== undefined;
  if (!props.notFoundResponse && routed) {
    v.error('pathPatterns or hostHeaders was given for the first service without notFoundResponse: the first service ' +
      'answers every request no rule matches; set notFoundResponse: true to route it, or use addService');
  }
  const path = resolveHealthCheck(props.healthCheck).path;
  if (props.notFoundResponse && healthCheckMissesRoute(path, props.pathPatterns, props.hostHeaders)) {
    const pattern = healthCheckPathPattern(path);
    v.check(Token.isUnresolved(pattern) || (PATH_PATTERN.test(pattern) && pattern.length <= 128), 'healthCheck.path', path,
      'becomes a path-pattern rule of its own (the NLB\'s check misses the first service\'s routing), so its path must be ' +
      'at most 128 characters of letters, digits and _-.$/~"\'@:+&');
  }
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
  if (props.accessLogsBucket?.encryptionKey) {
    // "The only server-side encryption option that's supported is Amazon S3-managed keys (SSE-S3)."
    // https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html
    v.fail('accessLogsBucket', props.accessLogsBucket.node.path, 'is encrypted with a KMS key; ALB access logs are only ' +
      'delivered to buckets encrypted with S3-managed keys (SSE-S3): give such a bucket, or leave accessLogsBucket out for a new one');
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

function warnAboutRiskyChoices(v: Validator, props: EcsPrivateLinkApiProps): void {
  const principals = props.allowedPrincipals ?? [];
  if (principals.includes('*') && props.acceptanceRequired === false) {
    v.warn('openToEveryAccount',
      'allowedPrincipals contains * and acceptanceRequired is false: any AWS account can connect to this API ' +
      'without your approval. Name the accounts, or keep acceptanceRequired on.');
  }
  if (props.enforceSecurityGroupInboundRulesOnPrivateLinkTraffic) {
    v.warn('enforcedPrivateLinkInboundRules',
      'enforceSecurityGroupInboundRulesOnPrivateLinkTraffic is on: consumer traffic is dropped unless you add inbound ' +
      'rules to networkLoadBalancer.connections; this library adds none.');
  }
}

// ---------------------------------------------------------------------------------------------
// Mutual TLS (consumer identity)
// ---------------------------------------------------------------------------------------------

const { OFF, PASS_THROUGH, VERIFY } = elbv2.MutualAuthenticationMode;
/** The options that only mean something when the ALB verifies certificates. */
const VERIFY_ONLY = ['trustStore', 'caCertificatesBundle', 'revocationLists', 'ignoreClientCertificateExpiry', 'advertiseTrustStoreCaNames'] as const;
/** A URL (`s3://bucket/key`, `https://…`) where an object key belongs. */
const URL = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * `mutualTls`: the mode against HTTPS and the options each mode takes (aws-cdk-lib's listener
 * rejects a trust store, ignoreClientCertificateExpiry or advertiseTrustStoreCaNames outside
 * `VERIFY`, at synth time but after children exist), the S3 objects, and the NLB's
 * health-check listener.
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/mutual-authentication.html
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_MutualAuthenticationAttributes.html
 */
function validateMutualTls(v: Validator, props: EcsPrivateLinkApiProps, protocol: elbv2.ApplicationProtocol): void {
  const options = props.mutualTls;
  if (options === undefined) {
    return;
  }
  const mode = mutualTlsMode(options);
  const verifyOnly = VERIFY_ONLY.filter(name => options[name] !== undefined);
  const shown = (name: typeof VERIFY_ONLY[number] | 'healthCheckPort'): unknown => name === 'trustStore' ? options.trustStore!.node.path
    : name === 'caCertificatesBundle' ? options.caCertificatesBundle!.key
      : name === 'revocationLists' ? options.revocationLists!.map(crl => crl.key) : options[name];
  if (mode === OFF) {
    const given = [...verifyOnly, ...(options.healthCheckPort !== undefined ? ['healthCheckPort' as const] : [])];
    if (given.length > 0) {
      v.fail(`mutualTls.${given[0]}`, shown(given[0]), 'mode OFF turns mutual TLS off: leave the other mutualTls options out, or use VERIFY or PASS_THROUGH');
    }
    return;
  }
  if (protocol !== HTTPS) {
    v.fail('mutualTls.mode', mode, 'needs HTTPS: the client certificate is exchanged in the TLS handshake of the ALB\'s HTTPS ' +
      'listener (the NLB passes TLS through); give a certificate');
  }
  if (mode === PASS_THROUGH && verifyOnly.length > 0) {
    v.fail(`mutualTls.${verifyOnly[0]}`, shown(verifyOnly[0]), 'only applies to VERIFY: in PASS_THROUGH the ALB verifies no ' +
      'certificate (your service verifies the chain in X-Amzn-Mtls-Clientcert); leave it out, or use VERIFY');
  }
  if (mode === VERIFY) {
    v.exclusive('mutualTls.trustStore', options.trustStore, 'mutualTls.caCertificatesBundle', options.caCertificatesBundle);
    if (!options.trustStore && !options.caCertificatesBundle) {
      v.error('mutualTls in VERIFY mode needs the CAs it trusts: give caCertificatesBundle (a PEM bundle in S3) or trustStore');
    }
    if (options.caCertificatesBundle) {
      validateS3Object(v, 'mutualTls.caCertificatesBundle', options.caCertificatesBundle);
    }
    if (options.revocationLists?.length === 0) {
      v.fail('mutualTls.revocationLists', [], 'give at least one revocation list, or leave it out');
    }
    options.revocationLists?.forEach((crl, i) => validateS3Object(v, `mutualTls.revocationLists[${i}]`, crl));
  }
  validateHealthCheckListener(v, props);
  warnAboutMutualTls(v, mode, options.ignoreClientCertificateExpiry);
}

/**
 * An S3 object key: a sequence of Unicode characters whose UTF-8 encoding is at most 1,024
 * bytes long; a key ending in / is a folder, and a URL names the bucket as well.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html
 */
function validateS3Object(v: Validator, prop: string, object: MutualTlsS3Object): void {
  const key = object.key;
  if (Token.isUnresolved(key)) {
    return;
  }
  v.check(key.length > 0 && !URL.test(key) && !key.endsWith('/') && Buffer.byteLength(key, 'utf8') <= 1024, `${prop}.key`, key,
    'must be the key of an object in the bucket, for example privatelink/ca-bundle.pem: not empty, not a URL (the bucket ' +
    'goes in bucket), not a folder (ending in /), at most 1024 bytes');
}

/** The listener the NLB's health check uses while mutual TLS is on: its port and its one rule. */
function validateHealthCheckListener(v: Validator, props: EcsPrivateLinkApiProps): void {
  const options = props.mutualTls!;
  v.port('mutualTls.healthCheckPort', options.healthCheckPort);
  const loadBalancerPort = props.loadBalancerPort ?? props.port ?? API_DEFAULTS.httpsPort;
  if (options.healthCheckPort === undefined && Token.isUnresolved(loadBalancerPort)) {
    v.error('mutualTls needs healthCheckPort when loadBalancerPort is a token: the NLB\'s health check goes to a listener of its own');
  }
  const healthCheckPort = mutualTlsHealthCheckPort(options, loadBalancerPort);
  if (!Token.isUnresolved(healthCheckPort) && !Token.isUnresolved(loadBalancerPort)) {
    const byDefault = options.healthCheckPort === undefined ? ' (it is the default, loadBalancerPort + 1: set healthCheckPort)' : '';
    v.check(healthCheckPort !== loadBalancerPort, 'mutualTls.healthCheckPort', healthCheckPort,
      `must differ from loadBalancerPort (${loadBalancerPort}): the NLB's health check, which has no client certificate, needs a listener of its own`);
    v.check(!props.redirectHttp || healthCheckPort !== API_DEFAULTS.httpPort, 'mutualTls.healthCheckPort', healthCheckPort,
      `must not be 80 with redirectHttp, which listens on 80${byDefault}`);
  }
  const path = resolveHealthCheck(props.healthCheck).path;
  const pattern = healthCheckPathPattern(path);
  v.check(Token.isUnresolved(pattern) || (PATH_PATTERN.test(pattern) && pattern.length <= 128), 'healthCheck.path', path,
    'becomes the path-pattern rule of the health-check listener mutual TLS adds, so its path must be at most 128 characters ' +
    'of letters, digits and _-.$/~"\'@:+&');
}

function warnAboutMutualTls(v: Validator, mode: elbv2.MutualAuthenticationMode, ignoreExpiry: boolean | undefined): void {
  if (mode === PASS_THROUGH) {
    v.warn('mutualTlsPassthrough', 'mutualTls mode is PASS_THROUGH: the ALB verifies no client certificate. Your service must ' +
      'verify the chain in X-Amzn-Mtls-Clientcert against your CAs and reject requests without one; or use VERIFY.');
  }
  if (ignoreExpiry) {
    v.warn('clientCertificateExpiryIgnored', 'mutualTls.ignoreClientCertificateExpiry is true: the ALB admits expired ' +
      'client certificates. Rotate certificates before they expire instead, if you can.');
  }
}

// ---------------------------------------------------------------------------------------------
// Services (the API's first service and ApiService)
// ---------------------------------------------------------------------------------------------

/** Checks the options of one service; throws before anything is created. */
export function validateServiceOptions(v: Validator, options: ApiServiceRouteOptions): void {
  if (options.taskDefinition) {
    for (const prop of TASK_DEFINITION_PROPS) {
      if (options[prop] !== undefined) {
        v.error(`${prop} was given together with taskDefinition: set it on your task definition instead, or drop taskDefinition`);
      }
    }
    const container = options.taskDefinition.defaultContainer;
    if (!container || container.portMappings.length === 0) {
      v.fail('taskDefinition', options.taskDefinition.node.path,
        'needs a default container (an essential container) with at least one port mapping');
    }
  } else {
    if (!options.image) {
      v.error('image is required: give image (and containerPort), or your own taskDefinition');
    }
    validateFargateSize(v, options.cpu ?? SERVICE_DEFAULTS.cpu, options.memoryLimitMiB ?? SERVICE_DEFAULTS.memoryLimitMiB);
    const name = options.containerName;
    if (name !== undefined && !Token.isUnresolved(name)) {
      v.check(CONTAINER_NAME.test(name), 'containerName', name,
        'must be 1 to 255 letters, digits, underscores and hyphens (ECS rejects other characters)');
    }
    validateEnvironmentNames(v, options);
  }
  v.port('containerPort', options.containerPort);
  v.integer('desiredCount', options.desiredCount, 0, 5000);
  v.integer('minHealthyPercent', options.minHealthyPercent, 0, 100);
  v.integer('maxHealthyPercent', options.maxHealthyPercent, 100, 200);
  v.seconds('healthCheckGracePeriod', options.healthCheckGracePeriod, 0, 2147483647);
  validateHealthCheck(v, options.healthCheck);
  validateRoute(v, options);
  validateCapacityProviders(v, options.capacityProviderStrategies);
  validateAutoScaling(v, options.autoScaling, options.desiredCount);
}

/**
 * Environment and secret names: ECS passes them to the container as variables, so a name is
 * never empty and has no `=` or whitespace (a variable can't be named so); one name is either
 * plain or secret. Names a shell can't read are legal, but risky.
 */
function validateEnvironmentNames(v: Validator, options: ApiServiceOptions): void {
  const plain = Object.keys(options.environment ?? {});
  const secret = Object.keys(options.secrets ?? {});
  for (const [prop, names] of [['environment', plain], ['secrets', secret]] as const) {
    for (const name of names) {
      v.check(name.length > 0 && !/[=\s\0]/.test(name), prop, name,
        'each name must be non-empty, without = or whitespace (for example API_KEY)');
      if (!PORTABLE_ENV_NAME.test(name)) {
        v.warn('environmentName', `${prop} name '${name}' is not letters, digits and underscores (not starting with a digit): ` +
          'shells and many runtimes cannot read it.');
      }
    }
  }
  for (const name of plain.filter(n => secret.includes(n))) {
    v.fail('environment', name, 'is also a name in secrets: give each variable once, as a plain value or as a secret');
  }
}

function validateHealthCheck(v: Validator, hc: ApiHealthCheck | undefined): void {
  if (!hc) {
    return;
  }
  if (hc.path !== undefined && !Token.isUnresolved(hc.path)) {
    v.check(hc.path.startsWith('/') && hc.path.length <= 1024, 'healthCheck.path', hc.path,
      'must start with / (for example /health), at most 1024 characters');
    v.check(HEALTH_CHECK_PATH.test(hc.path), 'healthCheck.path', hc.path,
      'must be a URL path (and query) without spaces or #: letters, digits and -._~!$&\'()*+,;=:@%/?');
  }
  const codes = hc.healthyHttpCodes;
  if (codes !== undefined && !Token.isUnresolved(codes)) {
    const inRange = HTTP_CODES.test(codes) && codes.split(/[,-]/).every(c => Number(c) >= 200 && Number(c) <= 499);
    v.check(inRange, 'healthCheck.healthyHttpCodes', codes,
      'must be HTTP codes or ranges from 200 to 499, comma separated (for example 200,204 or 200-299)');
  }
  v.seconds('healthCheck.interval', hc.interval, 5, 300);
  v.seconds('healthCheck.timeout', hc.timeout, 2, 120);
  const interval = hc.interval ?? SERVICE_DEFAULTS.healthCheck.interval;
  const timeout = hc.timeout ?? SERVICE_DEFAULTS.healthCheck.timeout;
  if (!interval.isUnresolved() && !timeout.isUnresolved()) {
    v.check(timeout.toSeconds() < interval.toSeconds(), 'healthCheck.timeout', timeout,
      `must be shorter than healthCheck.interval (${showDuration(interval)})`);
  }
}

function validateRoute(v: Validator, route: ApiServiceRouteOptions): void {
  const paths = route.pathPatterns ?? [];
  const hosts = route.hostHeaders ?? [];
  for (const path of paths.filter(p => !Token.isUnresolved(p))) {
    v.check(PATH_PATTERN.test(path) && path.length <= 128, 'pathPatterns', path,
      'each must start with / and have at most 128 characters: letters, digits, * ? and _-.$/~"\'@:+&');
  }
  for (const host of hosts.filter(h => !Token.isUnresolved(h))) {
    v.check(HOST_HEADER.test(host) && host.length <= 128, 'hostHeaders', host,
      'each must be a host name of at most 128 characters: letters, digits, -_. and the wildcards * and ?, ' +
      'with a dot and only letters after the last one (no scheme, no port), for example *.example.com');
  }
  if (route.pathPatterns?.length === 0 || route.hostHeaders?.length === 0) {
    v.fail(route.pathPatterns?.length === 0 ? 'pathPatterns' : 'hostHeaders', [], 'give at least one value, or leave it out');
  }
  v.check(paths.length + hosts.length <= 5, 'pathPatterns + hostHeaders', [...paths, ...hosts],
    'an ALB rule takes at most 5 values in all');
  v.integer('priority', route.priority, 1, 50000);
}

/**
 * A strategy on a cluster the library can't see the associations of (an imported one) works
 * only if that cluster already has the providers.
 */
export function validateCapacityPlacement(v: Validator, cluster: ecs.ICluster, strategies: ecs.CapacityProviderStrategy[] | undefined): void {
  if (strategies && !(cluster instanceof ecs.Cluster)) {
    v.warn('capacityProvidersNotVisible', `capacityProviderStrategies names ${strategies.map(s => s.capacityProvider).join(', ')}, ` +
      `but the cluster ${cluster.node.path} is imported: ECS rejects the service unless the cluster already has these ` +
      'capacity providers associated (aws ecs put-cluster-capacity-providers).');
  }
}

function validateCapacityProviders(v: Validator, strategies: ApiServiceOptions['capacityProviderStrategies']): void {
  if (!strategies) {
    return;
  }
  for (const s of strategies) {
    v.check(FARGATE_CAPACITY_PROVIDERS.includes(s.capacityProvider), 'capacityProviderStrategies', s.capacityProvider,
      'each capacityProvider must be FARGATE or FARGATE_SPOT');
    v.integer('capacityProviderStrategies.weight', s.weight, 0, 1000);
    v.integer('capacityProviderStrategies.base', s.base, 0, 100000);
  }
  v.check(strategies.some(s => (s.weight ?? 0) > 0), 'capacityProviderStrategies', strategies,
    'at least one capacity provider needs a weight above 0');
  v.check(strategies.filter(s => (s.base ?? 0) > 0).length <= 1, 'capacityProviderStrategies', strategies,
    'only one capacity provider may have a base');
}

function validateAutoScaling(v: Validator, scaling: ApiServiceAutoScaling | undefined, desiredCount: number | undefined): void {
  if (!scaling) {
    return;
  }
  v.integer('autoScaling.maxCapacity', scaling.maxCapacity, 1, 5000);
  v.integer('autoScaling.minCapacity', scaling.minCapacity, 0, 5000);
  const min = scaling.minCapacity ?? desiredCount ?? SERVICE_DEFAULTS.desiredCount;
  if (!Token.isUnresolved(min) && !Token.isUnresolved(scaling.maxCapacity)) {
    v.check(min <= scaling.maxCapacity, scaling.minCapacity !== undefined ? 'autoScaling.minCapacity' : 'desiredCount', min,
      `must not be above autoScaling.maxCapacity (${scaling.maxCapacity})`);
  }
  for (const prop of ['targetCpuUtilizationPercent', 'targetMemoryUtilizationPercent'] as const) {
    const value = scaling[prop];
    if (value !== undefined && !Token.isUnresolved(value)) {
      v.check(value >= 1 && value <= 100, `autoScaling.${prop}`, value, 'must be a percentage from 1 to 100');
    }
  }
  v.integer('autoScaling.targetRequestsPerTarget', scaling.targetRequestsPerTarget, 1, 1000000);
  v.seconds('autoScaling.scaleInCooldown', scaling.scaleInCooldown, 0, 86400);
  v.seconds('autoScaling.scaleOutCooldown', scaling.scaleOutCooldown, 0, 86400);
  if (scaling.targetCpuUtilizationPercent === undefined && scaling.targetMemoryUtilizationPercent === undefined &&
    scaling.targetRequestsPerTarget === undefined) {
    v.error('autoScaling needs a target: targetCpuUtilizationPercent, targetMemoryUtilizationPercent or targetRequestsPerTarget');
  }
}

/**
 * A routed service's rule against the rules the API already has: never the same conditions
 * (one of the two would never get a request); a warning where an earlier rule covers it.
 */
export function validateRouteOverlap(v: Validator, route: RouteConditions, existing: RouteConditions[]): void {
  for (const other of existing) {
    const [earlier, later] = other.priority < route.priority ? [other, route] : [route, other];
    if (sameRoute(route, other)) {
      v.fail('pathPatterns/hostHeaders', describeRoute(route), `are the conditions of ${other.path} (priority ${other.priority}) ` +
        `too: ALB evaluates the lower priority first, so ${later.path} (priority ${later.priority}) would never get a request; ` +
        'give the services different pathPatterns or hostHeaders');
    }
    if (routeCovers(earlier, later)) {
      v.warn('shadowedRoute', `${later.path} (priority ${later.priority}, ${describeRoute(later)}) never gets a request: ` +
        `every request it matches also matches ${earlier.path} (priority ${earlier.priority}, ${describeRoute(earlier)}), ` +
        'which ALB evaluates first. Narrow the earlier rule, or give the later one a lower priority number.');
    }
  }
}

function describeRoute(route: RouteConditions): string {
  return [
    route.pathPatterns ? `pathPatterns ${JSON.stringify(route.pathPatterns)}` : undefined,
    route.hostHeaders ? `hostHeaders ${JSON.stringify(route.hostHeaders)}` : undefined,
  ].filter(x => x).join(' and ');
}
