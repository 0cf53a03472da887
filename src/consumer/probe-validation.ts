/**
 * The probe's synth-time checks: paths it can GET, a schedule EventBridge and CloudWatch accept,
 * and subnets to run in.
 */
import { Duration, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type { PrivateLinkProbeProps } from './private-link-probe-props';
import { validateAlarmWindow, type Validator } from '../common';

/** A URL path with an optional query: RFC 3986 path and query characters, no space, no fragment. */
const PATH = /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@%/?]*$/;
/** Printable ASCII, at most 255, not starting with a colon; `AWS/` is reserved for AWS. */
const NAMESPACE = /^[\x20-\x39\x3b-\x7e][\x20-\x7e]{0,254}$/;
const MAX_PATHS = 10;

/** The probe's settings, checked and with their defaults. */
export interface ProbeSettings {
  readonly paths: string[];
  readonly schedule: Duration;
  readonly requestTimeout: Duration;
  readonly alarmEvaluationPeriods: number;
  readonly subnets: ec2.SubnetSelection;
}

export function validateProbeProps(v: Validator, props: PrivateLinkProbeProps): ProbeSettings {
  const paths = props.paths ?? ['/'];
  if (paths.length === 0 || paths.length > MAX_PATHS) {
    v.fail('paths', paths, `give 1 to ${MAX_PATHS} paths (each adds two custom metrics), or leave it out for ['/']`);
  }
  for (const path of paths.filter(p => !Token.isUnresolved(p))) {
    v.check(PATH.test(path) && path.length <= 1024, 'paths', path,
      'each must be a URL path starting with / (and an optional query), without spaces or #, at most 1024 characters');
  }
  v.integer('expectedStatus', props.expectedStatus, 100, 599);
  const schedule = props.schedule ?? Duration.minutes(5);
  if (!schedule.isUnresolved()) {
    const minutes = schedule.toMinutes({ integral: false });
    v.check(Number.isInteger(minutes) && minutes >= 1 && minutes <= 60, 'schedule', schedule,
      'must be a whole number of minutes from 1 to 60 (an EventBridge rate, and the period of the alarm)');
  }
  const requestTimeout = props.requestTimeout ?? Duration.seconds(5);
  v.seconds('requestTimeout', requestTimeout, 1, 60);
  const alarmEvaluationPeriods = props.alarmEvaluationPeriods ?? 2;
  validateAlarmWindow(v, {
    period: ['schedule', schedule],
    evaluationPeriods: ['alarmEvaluationPeriods', alarmEvaluationPeriods],
    datapointsToAlarm: ['alarmEvaluationPeriods', alarmEvaluationPeriods],
  });
  const namespace = props.metricNamespace;
  if (namespace !== undefined && !Token.isUnresolved(namespace)) {
    v.check(NAMESPACE.test(namespace) && !namespace.startsWith('AWS/'), 'metricNamespace', namespace,
      'must be 1 to 255 printable ASCII characters, not starting with : or AWS/ (reserved for AWS)');
  }
  const name = props.probeName;
  if (name !== undefined && !Token.isUnresolved(name)) {
    v.check(name.length >= 1 && name.length <= 1024, 'probeName', name, 'must be 1 to 1024 characters (a dimension value)');
  }
  validateTls(v, props);
  return { paths, schedule, requestTimeout, alarmEvaluationPeriods, subnets: probeSubnets(v, props) };
}

/**
 * A probe that can pass the TLS handshake. The provider's certificate covers its private DNS
 * name, never the endpoint's own `vpce-….vpce.amazonaws.com` name, and a listener in `VERIFY`
 * mode refuses a client without a certificate: either way every run would fail.
 * https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-share-your-services.html#endpoint-service-private-dns
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/mutual-authentication.html
 */
function validateTls(v: Validator, props: PrivateLinkProbeProps): void {
  const consumer = props.consumer;
  if (consumer.url.startsWith('https://') && consumer.privateDnsName === undefined) {
    v.fail('consumer', consumer.node.path, 'calls HTTPS on the endpoint\'s own DNS name, which the provider\'s certificate cannot cover: ' +
      'every TLS handshake would fail. Give the consumer privateDnsEnabled: true for a provider with a verified private DNS name');
  }
  if (consumer.api?.mutualTlsMode === elbv2.MutualAuthenticationMode.VERIFY && !props.clientCertificate) {
    v.fail('clientCertificate', undefined, `is needed: ${consumer.api.node.path} verifies client certificates (mutualTls), and refuses ` +
      'a client without one in the TLS handshake. Give a secret with a certificate its trust store accepts');
  }
  if (props.clientCertificate && consumer.url.startsWith('http://')) {
    v.fail('clientCertificate', props.clientCertificate.secretName,
      `is presented only over TLS, and the probe calls ${props.consumer.url}: give the consumer HTTPS (the provider's certificate, or the consumer's protocol) or leave clientCertificate out`);
  }
}

/**
 * The given subnets, or the VPC's private ones (with egress, else isolated). The defaults are
 * chosen from the VPC's subnet lists, not by trying selections: aws-cdk-lib records a failed
 * selection in the cloud assembly (error.txt) even when it is caught.
 */
function probeSubnets(v: Validator, props: PrivateLinkProbeProps): ec2.SubnetSelection {
  const vpc = props.consumer.vpc;
  if (!props.vpcSubnets) {
    if (vpc.privateSubnets.length > 0) {
      return { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };
    }
    if (vpc.isolatedSubnets.length > 0) {
      return { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
    }
  } else {
    try {
      if (vpc.selectSubnets(props.vpcSubnets).subnetIds.length > 0) {
        return props.vpcSubnets;
      }
    } catch {
      // no such subnets: the error below says what to give
    }
  }
  return v.fail('vpcSubnets', props.vpcSubnets ?? 'private subnets',
    'select no subnets in the consumer\'s VPC: give subnets that exist, for example { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }');
}

/** The function's timeout: every path's request, one after another, and a margin. */
export function probeTimeout(settings: ProbeSettings): Duration {
  if (settings.requestTimeout.isUnresolved()) {
    return Duration.minutes(5);
  }
  return Duration.seconds(settings.paths.length * settings.requestTimeout.toSeconds() + 10);
}

