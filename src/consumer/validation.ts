/**
 * The consumer's synth-time checks: everything `PrivateLinkConsumer` verifies before it
 * creates a child, and the warnings for legal but risky choices.
 */
import { Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type { IConstruct } from 'constructs';
import { azIdPrefix, concreteAccount, concreteRegion, principalsAllowAccount, regionOfServiceName } from './environments';
import type { PrivateLinkConsumerProps } from './private-link-consumer-props';
import { ipv6Support, type Validator } from '../common';
import type { IEcsPrivateLinkApi } from '../provider/api-interface';

const SERVICE_NAME = /^com\.amazonaws\.vpce\.[a-z]{2}(-[a-z]+)+-\d\.vpce-svc-[0-9a-f]{8,17}$/;
const AZ_ID = /^[a-z]{2,5}\d?(-[a-z0-9]+)*-az\d{1,2}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const HOST_NAME = /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** What the consumer connects to, once its props are checked. */
export interface ConsumerPlan {
  /** The endpoint's subnets. */
  readonly subnets: ec2.SelectedSubnets;
  /** The endpoint service's region when it differs from the consumer's. */
  readonly serviceRegion?: string;
  /** Whether the endpoint takes IPv6 (an IPv6 or dual-stack endpoint). */
  readonly ipv6: boolean;
}

/** Checks every prop of a consumer; returns what the consumer builds from. */
export function validateConsumerProps(v: Validator, scope: IConstruct, props: PrivateLinkConsumerProps): ConsumerPlan {
  validateService(v, props);
  const serviceRegion = props.api ? validateApiEnvironment(v, scope, props.api, props) : validateServiceRegion(v, scope, props);
  const subnets = selectEndpointSubnets(v, props);
  validatePlacement(v, scope, props, subnets, serviceRegion);
  const ipv6 = props.ipAddressType !== undefined && props.ipAddressType !== ec2.VpcEndpointIpAddressType.IPV4;
  validatePeers(v, props, subnets, ipv6);
  validateDns(v, props);
  return { subnets, serviceRegion, ipv6 };
}

/** The service itself: `api` or a well-formed `serviceName`, and a port. */
function validateService(v: Validator, props: PrivateLinkConsumerProps): void {
  v.exclusive('api', props.api, 'serviceName', props.serviceName);
  if (!props.api && props.serviceName === undefined) {
    v.error('give the service to connect to: serviceName (com.amazonaws.vpce.<region>.vpce-svc-<id>), or api');
  }
  if (props.serviceName !== undefined && !Token.isUnresolved(props.serviceName)) {
    v.check(SERVICE_NAME.test(props.serviceName), 'serviceName', props.serviceName,
      'must look like com.amazonaws.vpce.<region>.vpce-svc-<id> (the provider\'s endpoint service name)');
  }
  v.port('port', props.port);
  if (props.api && props.port !== undefined && !Token.isUnresolved(props.port) && !Token.isUnresolved(props.api.port)) {
    v.check(props.port === props.api.port, 'port', props.port,
      `must be api's port (${props.api.port}), the port its endpoint service listens on; leave port out to take it from api`);
  }
  if (props.serviceRegion !== undefined && !Token.isUnresolved(props.serviceRegion)) {
    v.check(REGION.test(props.serviceRegion), 'serviceRegion', props.serviceRegion, 'must be a region name such as eu-west-1');
  }
  const ipv6 = props.ipAddressType !== undefined && props.ipAddressType !== ec2.VpcEndpointIpAddressType.IPV4;
  if (ipv6 && props.api && props.api.ipAddressType !== elbv2.IpAddressType.DUAL_STACK) {
    v.fail('ipAddressType', props.ipAddressType, 'needs a dual-stack provider: api takes IPv4 only (set its ipAddressType to DUAL_STACK)');
  }
}

/**
 * A provider in the same app: the consumer must be where CDK can reference it, in the
 * provider's account, in its region or one it allows, and allowed by its principals. Returns
 * the provider's region when it is not the consumer's (the endpoint's `serviceRegion`).
 *
 * Across accounts CDK makes a weak reference with no deploy order (or fails, on older
 * aws-cdk-lib), so the library asks for `serviceName` there instead.
 */
function validateApiEnvironment(v: Validator, scope: IConstruct, api: IEcsPrivateLinkApi, props: PrivateLinkConsumerProps): string | undefined {
  const [provider, consumer] = [Stack.of(api), Stack.of(scope)];
  const where = (stack: Stack) => `account ${concreteAccount(stack) ?? '(environment-agnostic)'}, region ${concreteRegion(stack) ?? '(environment-agnostic)'}`;
  const [providerAccount, consumerAccount] = [concreteAccount(api), concreteAccount(scope)];
  const [providerRegion, consumerRegion] = [concreteRegion(api), concreteRegion(scope)];
  if (provider !== consumer) {
    if ((providerAccount === undefined) !== (consumerAccount === undefined) || (providerRegion === undefined) !== (consumerRegion === undefined)) {
      v.fail('api', api.node.path, `is in a stack with ${where(provider)} and this consumer in one with ${where(consumer)}: ` +
        'CDK can only reference across stacks that both have an environment, or both have none. Give both stacks an env ' +
        '(env: { account, region }), or take the provider\'s endpoint service name as serviceName');
    }
    if (providerAccount !== undefined && providerAccount !== consumerAccount) {
      v.fail('api', api.node.path, `is in account ${providerAccount} and this consumer in ${consumerAccount}: across accounts ` +
        'CDK can only make a weak reference, with no deploy order. Pass the provider\'s endpoint service name (its ' +
        'EndpointServiceName stack output) as serviceName, and api\'s port and protocol as port and protocol');
    }
  }
  if (props.serviceRegion !== undefined) {
    v.fail('serviceRegion', props.serviceRegion, 'is taken from api (the region of its stack); leave serviceRegion out');
  }
  // Same account as the provider here. AWS's documents don't say whether a service's own
  // account must be allowed; its samples (and the demo) allow it, so a missing one is a warning.
  const principals = api.allowedPrincipals ?? [];
  if (principalsAllowAccount(principals, consumerAccount) !== true) {
    v.warn('consumerAccountNotAllowed', `api ${api.node.path} may not let this consumer connect: its allowedPrincipals ` +
      `(${JSON.stringify(principals)}) do not name this stack's account (${consumerAccount ?? 'environment-agnostic'}). ` +
      'Add the account ID, or Aws.ACCOUNT_ID for the provider\'s own.');
  }
  if (providerRegion === undefined || providerRegion === consumerRegion) {
    return undefined;
  }
  const regions = api.allowedRegions ?? [];
  if (!regions.some(r => Token.isUnresolved(r) || r === consumerRegion)) {
    v.fail('api', api.node.path, `is in ${providerRegion} and does not allow consumers in ${consumerRegion}: add '${consumerRegion}' ` +
      `to its allowedRegions (now ${JSON.stringify(regions)})`);
  }
  return providerRegion;
}

/**
 * A service by name: the region in its name, `serviceRegion` and the stack's region must agree
 * (a cross-region endpoint names the service's region in `serviceRegion`).
 */
function validateServiceRegion(v: Validator, scope: IConstruct, props: PrivateLinkConsumerProps): string | undefined {
  const named = regionOfServiceName(props.serviceName);
  const own = concreteRegion(scope);
  const given = props.serviceRegion !== undefined && !Token.isUnresolved(props.serviceRegion) ? props.serviceRegion : undefined;
  if (named && given) {
    v.check(named === given, 'serviceRegion', given, `contradicts serviceName, which names ${named}: they must be the same region`);
  }
  if (named && !given && props.serviceRegion === undefined) {
    if (own !== undefined && own !== named) {
      v.fail('serviceName', props.serviceName, `is in ${named} and this stack in ${own}: for a cross-region endpoint set ` +
        `serviceRegion: '${named}' (and the provider must allow ${own} in its allowedRegions)`);
    }
    if (own === undefined) {
      v.warn('serviceRegionUnknown', `serviceName is in ${named} and this stack is environment-agnostic: if it deploys to ` +
        `another region, the endpoint fails unless serviceRegion is '${named}'.`);
    }
  }
  return props.serviceRegion;
}

/** AZ IDs of the consumer's region, subnets in the AZs the provider's NLB serves. */
function validatePlacement(v: Validator, scope: IConstruct, props: PrivateLinkConsumerProps, subnets: ec2.SelectedSubnets,
  serviceRegion: string | undefined): void {
  const azIds = props.availabilityZoneIds;
  if (azIds?.length === 0) {
    v.fail('availabilityZoneIds', [], 'give at least one AZ ID, or leave it out');
  }
  const region = concreteRegion(scope);
  const prefix = region ? azIdPrefix(region) : undefined;
  for (const azId of (azIds ?? []).filter(id => !Token.isUnresolved(id))) {
    v.check(AZ_ID.test(azId), 'availabilityZoneIds', azId, 'each must be an AZ ID such as euw1-az1 (not an AZ name such as eu-west-1a)');
    if (prefix) {
      v.check(azId.startsWith(`${prefix}-az`), 'availabilityZoneIds', azId,
        `each must be an AZ ID of this stack's region ${region} (${prefix}-az<n>); the endpoint is created there`);
    }
  }
  // Both sides' AZ names are comparable only in one account and one region (names map to
  // different zones in other accounts), which is the same-app case without serviceRegion.
  const api = props.api;
  const served = api?.availabilityZones ?? [];
  const mine = subnets.availabilityZones;
  if (api && !serviceRegion && !azIds && [...served, ...mine].every(az => !Token.isUnresolved(az)) && served.length > 0) {
    const outside = [...new Set(mine.filter(az => !served.includes(az)))];
    if (outside.length > 0) {
      v.fail('subnets', outside, `are AZs the provider's NLB does not serve (${served.join(', ')}): an endpoint can only ` +
        'use AZs of the endpoint service; select subnets in those AZs');
    }
  }
}

/** Who may reach the endpoint: the VPC's CIDRs by default, which an imported VPC must provide. */
function validatePeers(v: Validator, props: PrivateLinkConsumerProps, subnets: ec2.SelectedSubnets, ipv6: boolean): void {
  if (props.allowedPeers) {
    return;
  }
  try {
    void props.vpc.vpcCidrBlock;
  } catch {
    v.fail('vpc', props.vpc.node.path, 'has no CIDR block (it was imported without vpcCidrBlock), and the default allowedPeers ' +
      'is the VPC\'s CIDR: pass vpcCidrBlock when you import the VPC, or give allowedPeers');
  }
  if (ipv6 && ipv6Support(subnets.subnets).without.length + ipv6Support(subnets.subnets).unknown.length > 0) {
    const message = 'the endpoint takes IPv6, but the VPC\'s IPv6 CIDR is not known here (an imported VPC, or subnets ' +
      'without IPv6): the default allowedPeers admit IPv4 only. Give allowedPeers, for example ec2.Peer.ipv6(\'2001:db8::/56\')';
    if (props.ipAddressType === ec2.VpcEndpointIpAddressType.IPV6) {
      v.fail('ipAddressType', props.ipAddressType, message);
    }
    v.warn('ipv6PeersUnknown', `ipAddressType is ${props.ipAddressType}: ${message}.`);
  }
}

/** Private DNS only for a named service, and the name `url` calls. */
function validateDns(v: Validator, props: PrivateLinkConsumerProps): void {
  const apiName = props.api?.privateDnsName;
  if (props.privateDnsEnabled && props.api && !apiName) {
    v.error('privateDnsEnabled is true, but api has no private DNS name: leave privateDnsEnabled false and use url, ' +
      'or give the provider a privateDnsName');
  }
  // Consumers can use the private name only once its state is `verified`, which the provider's
  // verification reaches asynchronously after its deploy: an endpoint deployed with it (the same
  // `cdk deploy --all`, or the same stack) fails until then.
  // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_PrivateDnsNameConfiguration.html
  // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_StartVpcEndpointServicePrivateDnsVerification.html
  if (props.privateDnsEnabled && !props.api) {
    v.warn('privateDnsEnabled',
      'privateDnsEnabled is true: the deploy fails unless the provider has verified a private DNS name for this service.');
  } else if (props.privateDnsEnabled && apiName) {
    v.warn('privateDnsEnabled', `privateDnsEnabled is true: the endpoint can be created only once ${props.api!.node.path}'s private DNS ` +
      `name (${apiName}) is verified, which happens after the provider's deploy (its PrivateDnsNameConfiguration state becomes ` +
      '"verified"): deploy this consumer after that, not in the same deploy or stack as the provider.');
  }
  const name = props.privateDnsName;
  if (name === undefined || Token.isUnresolved(name)) {
    if (props.privateDnsEnabled && apiName?.startsWith('*.') && name === undefined) {
      v.fail('privateDnsName', name, `is needed: api's private DNS name is a wildcard (${apiName}); give the host name url calls, for example ${apiName.replace('*', 'api')}`);
    }
    return;
  }
  v.check(HOST_NAME.test(name), 'privateDnsName', name, 'must be a lower-case host name such as api.example.com (no wildcard, scheme or port)');
  if (!props.privateDnsEnabled) {
    v.fail('privateDnsName', name, 'needs privateDnsEnabled: true; without it the name does not resolve to the endpoint in this VPC');
  }
  if (apiName && !Token.isUnresolved(apiName)) {
    const covered = apiName.startsWith('*.') ? name.endsWith(apiName.slice(1)) && !name.slice(0, -apiName.length + 1).includes('.') : name === apiName;
    v.check(covered, 'privateDnsName', name, `must be api's private DNS name (${apiName}), or a host under it when it is a wildcard`);
  }
}

/**
 * The endpoint's subnets: the given selection, or the private ones (with egress, else
 * isolated), one per AZ. Subnet types the VPC lacks are skipped before asking aws-cdk-lib, which
 * would throw (and record the error for the CLI even when caught).
 */
function selectEndpointSubnets(v: Validator, props: PrivateLinkConsumerProps): ec2.SelectedSubnets {
  const vpc = props.vpc;
  const candidates: ec2.SubnetSelection[] = props.subnets ? [props.subnets] : [
    ...(vpc.privateSubnets.length > 0 ? [{ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }] : []),
    ...(vpc.isolatedSubnets.length > 0 ? [{ subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] : []),
  ];
  for (const selection of candidates) {
    try {
      const selected = vpc.selectSubnets({ ...selection, onePerAz: true });
      if (selected.subnetIds.length > 0) {
        return selected;
      }
    } catch {
      // a selection of the user's that matches nothing: the error below says so
    }
  }
  return v.fail('subnets', props.subnets ?? 'private subnets',
    'select no subnets in the VPC: give subnets that exist, for example { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }');
}
