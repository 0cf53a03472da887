/**
 * The provider's synth-time checks: everything `EcsPrivateLinkApi` and `ApiService` verify
 * before they create a child, and the warnings for legal but risky choices.
 */
import { Stack, Token } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type { Construct } from 'constructs';
import type { ApiHealthCheck, ApiServiceAutoScaling, ApiServiceOptions, ApiServiceRouteOptions } from './api-service-options';
import { API_DEFAULTS, SERVICE_DEFAULTS, resolveHealthCheck } from './defaults';
import type { EcsPrivateLinkApiProps } from './ecs-privatelink-api-props';
import { ACCOUNT_ID, IAM_ARN } from './principals';
import { showDuration, validateFargateSize, type Validator } from '../common';

const HTTP = elbv2.ApplicationProtocol.HTTP;
const HTTPS = elbv2.ApplicationProtocol.HTTPS;

/** Props only used when `taskDefinition` is not given. */
const TASK_DEFINITION_PROPS: ReadonlyArray<keyof ApiServiceOptions> = [
  'image', 'containerName', 'cpu', 'memoryLimitMiB', 'environment', 'secrets',
];

const HTTP_CODES = /^\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*$/;
const PATH_PATTERN = /^\/[A-Za-z0-9_\-.$/~"'@:+*?&%=]*$/;
const HOST_HEADER = /^[A-Za-z0-9*?.-]+(:\d+)?$/;
const FARGATE_CAPACITY_PROVIDERS = ['FARGATE', 'FARGATE_SPOT'];
const DOMAIN_NAME = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

// ---------------------------------------------------------------------------------------------
// EcsPrivateLinkApi
// ---------------------------------------------------------------------------------------------

/** Checks every prop of an API (and of its first service); returns the listener protocol. */
export function validateApiProps(v: Validator, scope: Construct, props: EcsPrivateLinkApiProps): elbv2.ApplicationProtocol {
  v.exclusive('vpc', props.vpc, 'cluster', props.cluster);
  validateServiceOptions(v, props);
  v.port('port', props.port);
  v.port('loadBalancerPort', props.loadBalancerPort);
  validateIdleTimeouts(v, props);
  validatePrincipals(v, props.allowedPrincipals);
  validateFirstServiceRoute(v, props);
  const protocol = validateHttps(v, props);
  validatePrivateDnsName(v, props);
  validateOperations(v, props, scope);
  const port = props.port ?? (protocol === HTTPS ? API_DEFAULTS.httpsPort : API_DEFAULTS.httpPort);
  if (props.redirectHttp) {
    v.check(port !== API_DEFAULTS.httpPort, 'port', port, 'must not be 80 with redirectHttp, which listens on 80');
    v.check((props.loadBalancerPort ?? port) !== API_DEFAULTS.httpPort, 'loadBalancerPort', props.loadBalancerPort,
      'must not be 80 with redirectHttp, which listens on 80');
  }
  const vpc = props.vpc ?? props.cluster?.vpc;
  if (vpc) {
    validateSubnets(v, vpc, 'taskSubnets', props.taskSubnets ?? API_DEFAULTS.subnets, 1);
    validateSubnets(v, vpc, 'loadBalancerSubnets', props.loadBalancerSubnets ?? API_DEFAULTS.subnets, 2);
  }
  warnAboutRiskyChoices(v, props);
  if ((props.allowedPrincipals ?? []).length === 0) {
    v.info('allowedPrincipals is empty: no consumer can connect until you allow its account or role.');
  }
  return protocol;
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

function validateHealthCheck(v: Validator, hc: ApiHealthCheck | undefined): void {
  if (!hc) {
    return;
  }
  if (hc.path !== undefined && !Token.isUnresolved(hc.path)) {
    v.check(hc.path.startsWith('/') && hc.path.length <= 1024, 'healthCheck.path', hc.path,
      'must start with / (for example /health), at most 1024 characters');
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
      'each must start with / and have at most 128 characters: letters, digits, * ? and _-.$/~"\'@:+&%=');
  }
  for (const host of hosts.filter(h => !Token.isUnresolved(h))) {
    v.check(HOST_HEADER.test(host) && host.length <= 128, 'hostHeaders', host,
      'each must be a host name of at most 128 characters, with * and ? wildcards (for example *.example.com)');
  }
  if (route.pathPatterns?.length === 0 || route.hostHeaders?.length === 0) {
    v.fail(route.pathPatterns?.length === 0 ? 'pathPatterns' : 'hostHeaders', [], 'give at least one value, or leave it out');
  }
  v.check(paths.length + hosts.length <= 5, 'pathPatterns + hostHeaders', [...paths, ...hosts],
    'an ALB rule takes at most 5 values in all');
  v.integer('priority', route.priority, 1, 50000);
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
