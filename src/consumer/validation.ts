/**
 * The consumer's synth-time checks: everything `PrivateLinkConsumer` verifies before it
 * creates a child, and the warnings for legal but risky choices.
 */
import { Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type { PrivateLinkConsumerProps } from './private-link-consumer-props';
import type { Validator } from '../common';

const SERVICE_NAME = /^com\.amazonaws\.vpce\.[a-z]{2}(-[a-z]+)+-\d\.vpce-svc-[0-9a-f]{8,17}$/;
const AZ_ID = /^[a-z]{2,5}\d?(-[a-z0-9]+)*-az\d{1,2}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/** Checks every prop of a consumer; returns the endpoint's subnets. */
export function validateConsumerProps(v: Validator, props: PrivateLinkConsumerProps): ec2.SelectedSubnets {
  v.exclusive('api', props.api, 'serviceName', props.serviceName);
  if (!props.api && props.serviceName === undefined) {
    v.error('give the service to connect to: serviceName (com.amazonaws.vpce.<region>.vpce-svc-<id>), or api');
  }
  if (props.serviceName !== undefined && !Token.isUnresolved(props.serviceName)) {
    v.check(SERVICE_NAME.test(props.serviceName), 'serviceName', props.serviceName,
      'must look like com.amazonaws.vpce.<region>.vpce-svc-<id> (the provider\'s endpoint service name)');
  }
  v.port('port', props.port);
  for (const azId of props.availabilityZoneIds ?? []) {
    if (!Token.isUnresolved(azId)) {
      v.check(AZ_ID.test(azId), 'availabilityZoneIds', azId, 'each must be an AZ ID such as euw1-az1 (not an AZ name such as eu-west-1a)');
    }
  }
  if (props.availabilityZoneIds?.length === 0) {
    v.fail('availabilityZoneIds', [], 'give at least one AZ ID, or leave it out');
  }
  if (props.serviceRegion !== undefined && !Token.isUnresolved(props.serviceRegion)) {
    v.check(REGION.test(props.serviceRegion), 'serviceRegion', props.serviceRegion, 'must be a region name such as eu-west-1');
  }
  if (props.privateDnsEnabled && props.api && !props.api.privateDnsName) {
    v.error('privateDnsEnabled is true, but api has no private DNS name: leave privateDnsEnabled false and use url, ' +
      'or give the provider a privateDnsName');
  }
  const ipv6 = props.ipAddressType !== undefined && props.ipAddressType !== ec2.VpcEndpointIpAddressType.IPV4;
  if (ipv6 && props.api && props.api.ipAddressType !== elbv2.IpAddressType.DUAL_STACK) {
    v.fail('ipAddressType', props.ipAddressType, 'needs a dual-stack provider: api takes IPv4 only (set its ipAddressType to DUAL_STACK)');
  }
  if (props.privateDnsEnabled && !props.api) {
    v.warn('privateDnsEnabled',
      'privateDnsEnabled is true: the deploy fails unless the provider has verified a private DNS name for this service.');
  }
  return selectEndpointSubnets(v, props);
}

/** The endpoint's subnets: the given selection, or the private ones, one per AZ. */
function selectEndpointSubnets(v: Validator, props: PrivateLinkConsumerProps): ec2.SelectedSubnets {
  const candidates: ec2.SubnetSelection[] = props.subnets
    ? [props.subnets]
    : [{ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }, { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }];
  for (const selection of candidates) {
    try {
      const selected = props.vpc.selectSubnets({ ...selection, onePerAz: true });
      if (selected.subnetIds.length > 0) {
        return selected;
      }
    } catch {
      // no subnet group of that type: try the next candidate
    }
  }
  return v.fail('subnets', props.subnets ?? 'private subnets',
    'select no subnets in the VPC: give subnets that exist, for example { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }');
}
