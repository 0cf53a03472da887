/**
 * Mutual TLS at the ALB (consumer identity): the trust store, the HTTPS listener's settings,
 * and the listener that keeps the NLB's health check of the ALB truthful.
 *
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/mutual-authentication.html
 */
import type * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type { Construct } from 'constructs';
import type { MutualTlsOptions } from './mutual-tls-options';
import { healthCheckPathPattern } from './routing';

const { OFF, PASS_THROUGH, VERIFY } = elbv2.MutualAuthenticationMode;
const MAX_PORT = 65535;

/** The mode `options` ask for: `VERIFY` unless they name another; `OFF` without options. */
export function mutualTlsMode(options: MutualTlsOptions | undefined): elbv2.MutualAuthenticationMode {
  return options === undefined ? OFF : options.mode ?? VERIFY;
}

/** The ALB port of the NLB's health check while mutual TLS is on. */
export function mutualTlsHealthCheckPort(options: MutualTlsOptions, loadBalancerPort: number): number {
  return options.healthCheckPort ?? (loadBalancerPort < MAX_PORT ? loadBalancerPort + 1 : loadBalancerPort - 1);
}

/** What the HTTPS listener needs for mutual TLS, built before the listener. */
export interface MutualTlsSetup {
  readonly mode: elbv2.MutualAuthenticationMode;
  /** The trust store of `VERIFY`: the one given, or one built from the CA bundle. */
  readonly trustStore?: elbv2.ITrustStore;
  /** The listener's `mutualAuthentication`; none while mutual TLS is off. */
  readonly listenerSettings?: elbv2.MutualAuthentication;
}

/**
 * The trust store (from the CA bundle, with the revocation lists) and the listener settings of
 * `options`, already validated.
 */
export function setUpMutualTls(scope: Construct, options: MutualTlsOptions | undefined): MutualTlsSetup {
  const mode = mutualTlsMode(options);
  if (options === undefined || mode === OFF) {
    return { mode: OFF };
  }
  if (mode === PASS_THROUGH) {
    return { mode, listenerSettings: { mutualAuthenticationMode: PASS_THROUGH } };
  }
  const bundle = options.caCertificatesBundle;
  const trustStore = options.trustStore ?? new elbv2.TrustStore(scope, 'TrustStore', {
    bucket: bundle!.bucket,
    key: bundle!.key,
    version: bundle!.version,
  });
  if (options.revocationLists) {
    new elbv2.TrustStoreRevocation(scope, 'TrustStoreRevocation', {
      trustStore,
      revocationContents: options.revocationLists.map(crl => ({
        revocationType: elbv2.RevocationType.CRL,
        bucket: crl.bucket,
        key: crl.key,
        version: crl.version,
      })),
    });
  }
  return {
    mode,
    trustStore,
    listenerSettings: {
      mutualAuthenticationMode: VERIFY,
      trustStore,
      ignoreClientCertificateExpiry: options.ignoreClientCertificateExpiry,
      advertiseTrustStoreCaNames: options.advertiseTrustStoreCaNames,
    },
  };
}

/** What the health-check listener joins: the two load balancers and what the NLB checks. */
export interface HealthCheckListenerProps {
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly networkLoadBalancer: elbv2.NetworkLoadBalancer;
  /** The NLB target group (type `alb`) whose health check moves to the new listener. */
  readonly networkTargetGroup: elbv2.NetworkTargetGroup;
  readonly port: number;
  readonly certificate: acm.ICertificate;
  readonly sslPolicy?: elbv2.SslPolicy;
  /** The health-check path: the only request the listener forwards. */
  readonly healthCheckPath: string;
  /** Where it forwards it: the first service's target group, as the consumers' listener would. */
  readonly targetGroup: elbv2.IApplicationTargetGroup;
}

/**
 * An HTTPS listener without mutual TLS for the NLB's health check, which presents no client
 * certificate. In `VERIFY` mode the ALB authenticates every client in the handshake (the ALB
 * guide above; the public ALB mTLS demo, https://mtls.exampleloadbalancer.com, shows a client
 * without a certificate failing it), so on the consumers' listener the check could only fail,
 * and with its only target unhealthy the NLB fails open, hiding a real outage. The ELB guides
 * don't say what `PASS_THROUGH` does with a client that has no certificate, so the check
 * doesn't depend on it either.
 *
 * The NLB may check an alb-type target on another port than the traffic port: "Health checks
 * are sent to the Application Load Balancer and forwarded to its targets using the specified
 * port, protocol, and ping path. Ensure that your Application Load Balancer can receive these
 * health checks by having a listener with a port and protocol that matches the health check
 * port and protocol."
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/network/application-load-balancer-target.html
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/network/target-group-health-checks.html (fail open)
 *
 * Least privilege: only the NLB's security group may reach the port, no NLB listener forwards
 * consumer traffic to it, and it forwards only the health-check path (everything else: 404).
 */
export function addHealthCheckListener(props: HealthCheckListenerProps): elbv2.ApplicationListener {
  const listener = props.loadBalancer.addListener('HealthCheckListener', {
    port: props.port,
    protocol: elbv2.ApplicationProtocol.HTTPS,
    certificates: [elbv2.ListenerCertificate.fromCertificateManager(props.certificate)],
    sslPolicy: props.sslPolicy,
    open: false,
    defaultAction: elbv2.ListenerAction.fixedResponse(404, { contentType: 'text/plain', messageBody: 'Not Found' }),
  });
  listener.addAction('HealthCheckPath', {
    priority: 1,
    conditions: [elbv2.ListenerCondition.pathPatterns([healthCheckPathPattern(props.healthCheckPath)])],
    action: elbv2.ListenerAction.forward([props.targetGroup]),
  });
  props.networkLoadBalancer.connections.allowTo(props.loadBalancer, ec2.Port.tcp(props.port),
    `Health checks from the NLB to the ALB health-check listener on ${props.port} (mutual TLS: no client certificate)`);
  props.networkTargetGroup.configureHealthCheck({ ...props.networkTargetGroup.healthCheck, port: String(props.port) });
  props.networkTargetGroup.node.addDependency(listener);
  return listener;
}
