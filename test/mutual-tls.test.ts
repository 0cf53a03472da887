/**
 * Mutual TLS at the ALB (consumer identity): each mode, the trust store, and the listener that
 * keeps the NLB's health check of the ALB truthful while the consumers' listener asks for
 * client certificates.
 */
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { CERTIFICATE_ARN } from './apps';
import { FLAG_SETTINGS, groupIdOf, IMAGE, logicalIdOf, newStack, warnings } from './helpers';
import { EcsPrivateLinkApi, EcsPrivateLinkApiProps, MutualTlsOptions } from '../src';

const { OFF, PASS_THROUGH, VERIFY } = elbv2.MutualAuthenticationMode;
const TRUST_STORE_ARN = 'arn:aws:elasticloadbalancing:eu-west-1:111122223333:truststore/partners/0123456789abcdef';
const LISTENER = 'AWS::ElasticLoadBalancingV2::Listener';
const RULE = 'AWS::ElasticLoadBalancingV2::ListenerRule';
const TARGET_GROUP = 'AWS::ElasticLoadBalancingV2::TargetGroup';

describe.each(FLAG_SETTINGS)('mutual TLS with $name', ({ context }) => {
  /** An HTTPS API (health check /health) with the `mutualTls` that `options` builds in its stack. */
  function build(options?: (stack: Stack) => MutualTlsOptions, props: Partial<EcsPrivateLinkApiProps> = {}) {
    const stack = newStack(context);
    const api = new EcsPrivateLinkApi(stack, 'Api', {
      image: IMAGE,
      containerPort: 8080,
      healthCheck: { path: '/health' },
      certificate: acm.Certificate.fromCertificateArn(stack, 'Certificate', CERTIFICATE_ARN),
      mutualTls: options?.(stack),
      ...props,
    });
    return { stack, api, get template() { return Template.fromStack(stack); } };
  }
  const bucket = (stack: Stack) => s3.Bucket.fromBucketName(stack, 'CaBundles', 'example-ca-bundles');
  const fromBundle = (extra: Partial<MutualTlsOptions> = {}) => (stack: Stack): MutualTlsOptions =>
    ({ caCertificatesBundle: { bucket: bucket(stack), key: 'privatelink/ca-bundle.pem' }, ...extra });
  const existingStore = (extra: Partial<MutualTlsOptions> = {}) => (stack: Stack): MutualTlsOptions =>
    ({ trustStore: elbv2.TrustStore.fromTrustStoreArn(stack, 'Store', TRUST_STORE_ARN), ...extra });
  const logicalId = (stack: Stack, construct: { node: { defaultChild?: unknown } }) => stack.getLogicalId(construct.node.defaultChild as any);
  /** The listener consumers' traffic reaches (the NLB forwards to its port). */
  const consumersListener = (template: Template, port = 443) =>
    Object.values(template.findResources(LISTENER, { Properties: { Protocol: 'HTTPS', Port: port } }))[0].Properties;
  const nlbTargetGroup = (template: Template) => Object.values(template.findResources(TARGET_GROUP, { Properties: { TargetType: 'alb' } }));

  describe('VERIFY (the default mode)', () => {
    test('from a CA bundle in S3: a trust store, and the consumers\' listener verifies client certificates with it', () => {
      // GIVEN a CA bundle and no mode WHEN
      const { stack, api, template } = build(fromBundle());
      // THEN
      expect(api.mutualTlsMode).toBe(VERIFY);
      template.resourceCountIs('AWS::ElasticLoadBalancingV2::TrustStore', 1);
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TrustStore', {
        CaCertificatesBundleS3Bucket: 'example-ca-bundles',
        CaCertificatesBundleS3Key: 'privatelink/ca-bundle.pem',
        CaCertificatesBundleS3ObjectVersion: Match.absent(),
      });
      expect(consumersListener(template).MutualAuthentication).toEqual({
        Mode: 'verify',
        TrustStoreArn: { 'Fn::GetAtt': [logicalId(stack, api.trustStore as elbv2.TrustStore), 'TrustStoreArn'] },
      });
      template.resourceCountIs('AWS::ElasticLoadBalancingV2::TrustStoreRevocation', 0);
      expect(warnings(stack, /mutualTls/)).toEqual([]);
    });

    test('a pinned bundle version goes to the trust store', () => {
      const { template } = build(stack => ({ caCertificatesBundle: { bucket: bucket(stack), key: 'ca.pem', version: '3HL4kqtJlcpXroDTDmJ' } }));
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TrustStore', { CaCertificatesBundleS3ObjectVersion: '3HL4kqtJlcpXroDTDmJ' });
    });

    test('an existing trust store: no new one, and the listener uses it', () => {
      const { api, template } = build(existingStore());
      template.resourceCountIs('AWS::ElasticLoadBalancingV2::TrustStore', 0);
      expect(api.trustStore?.trustStoreArn).toBe(TRUST_STORE_ARN);
      expect(consumersListener(template).MutualAuthentication).toEqual({ Mode: 'verify', TrustStoreArn: TRUST_STORE_ARN });
    });

    test('revocation lists are added to the trust store, new or existing', () => {
      const crls = (stack: Stack) => [
        { bucket: s3.Bucket.fromBucketName(stack, 'Crls', 'example-crls'), key: 'root.crl' },
        { bucket: s3.Bucket.fromBucketName(stack, 'Crls2', 'example-crls-2'), key: 'issuing.crl', version: 'v7' },
      ];
      const created = build(stack => fromBundle({ revocationLists: crls(stack) })(stack));
      created.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TrustStoreRevocation', {
        TrustStoreArn: { 'Fn::GetAtt': [logicalId(created.stack, created.api.trustStore as elbv2.TrustStore), 'TrustStoreArn'] },
        RevocationContents: [
          { RevocationType: 'CRL', S3Bucket: 'example-crls', S3Key: 'root.crl' },
          { RevocationType: 'CRL', S3Bucket: 'example-crls-2', S3Key: 'issuing.crl', S3ObjectVersion: 'v7' },
        ],
      });
      const existing = build(stack => existingStore({ revocationLists: crls(stack).slice(0, 1) })(stack));
      existing.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TrustStoreRevocation', { TrustStoreArn: TRUST_STORE_ARN });
    });

    test('expired certificates and advertised CA names, when asked for; admitting expired ones warns', () => {
      const { stack, template } = build(fromBundle({ ignoreClientCertificateExpiry: true, advertiseTrustStoreCaNames: true }));
      expect(consumersListener(template).MutualAuthentication).toEqual(expect.objectContaining({
        Mode: 'verify', IgnoreClientCertificateExpiry: true, AdvertiseTrustStoreCaNames: 'on',
      }));
      expect(warnings(stack, /the ALB admits expired client certificates/)).toHaveLength(1);
    });
  });

  describe('PASS_THROUGH', () => {
    test('the listener passes client certificates on unverified, with no trust store, and a warning says the service must verify', () => {
      const { stack, api, template } = build(() => ({ mode: PASS_THROUGH }));
      expect(api.mutualTlsMode).toBe(PASS_THROUGH);
      expect(api.trustStore).toBeUndefined();
      expect(consumersListener(template).MutualAuthentication).toEqual({ Mode: 'passthrough' });
      template.resourceCountIs('AWS::ElasticLoadBalancingV2::TrustStore', 0);
      expect(warnings(stack, /PASS_THROUGH: the ALB verifies no client certificate. Your service must verify the chain in X-Amzn-Mtls-Clientcert/)).toHaveLength(1);
    });

    test('the NLB checks through the health-check listener too (AWS does not document passthrough without a certificate)', () => {
      const { api, template } = build(() => ({ mode: PASS_THROUGH }));
      expect(api.healthCheckListener?.port).toBe(444);
      expect(nlbTargetGroup(template)[0].Properties.HealthCheckPort).toBe('444');
    });
  });

  describe('OFF, or no mutualTls', () => {
    test('mode OFF builds exactly what no mutualTls builds', () => {
      const off = build(() => ({ mode: OFF }));
      const none = build();
      expect(off.api.mutualTlsMode).toBe(OFF);
      expect(none.api.mutualTlsMode).toBe(OFF);
      expect(off.template.toJSON()).toEqual(none.template.toJSON());
    });

    test('without mutual TLS: no trust store, no health-check listener, the NLB checks through the consumers\' listener', () => {
      const { api, template } = build();
      expect(api.trustStore).toBeUndefined();
      expect(api.healthCheckListener).toBeUndefined();
      expect(consumersListener(template).MutualAuthentication).toBeUndefined();
      template.resourceCountIs(LISTENER, 2); // the ALB's and the NLB's
      expect(nlbTargetGroup(template)[0].Properties.HealthCheckPort).toBeUndefined();
    });
  });

  describe('the NLB\'s health check: a listener without client certificates, for the NLB only', () => {
    test('HTTPS on loadBalancerPort + 1, same certificate and policy, no mutual TLS; only the health-check path is forwarded', () => {
      // GIVEN / WHEN
      const { stack, api, template } = build(fromBundle(), { healthCheck: { path: '/health?deep=1' } });
      // THEN
      const listener = api.healthCheckListener!;
      expect(listener.port).toBe(444);
      template.hasResourceProperties(LISTENER, {
        Port: 444,
        Protocol: 'HTTPS',
        Certificates: [{ CertificateArn: CERTIFICATE_ARN }],
        SslPolicy: consumersListener(template).SslPolicy,
        MutualAuthentication: Match.absent(),
        DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: Match.objectLike({ StatusCode: '404' }) }],
      });
      const rules = Object.values(template.findResources(RULE, { Properties: { ListenerArn: { Ref: logicalId(stack, listener) } } }));
      expect(rules.map(r => r.Properties)).toEqual([{
        ListenerArn: { Ref: logicalId(stack, listener) },
        Priority: 1,
        Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/health'] } }],
        Actions: [{ Type: 'forward', TargetGroupArn: { Ref: logicalId(stack, api.targetGroup) } }],
      }]);
    });

    test('the NLB\'s alb-type target group keeps traffic on the consumers\' port and checks on the health-check port, after the listener exists', () => {
      const { stack, api, template } = build(fromBundle());
      const [targetGroup] = nlbTargetGroup(template);
      expect(targetGroup.Properties).toEqual(expect.objectContaining({
        Port: 443,
        Targets: [{ Id: { Ref: logicalId(stack, api.loadBalancer) }, Port: 443 }],
        HealthCheckProtocol: 'HTTPS',
        HealthCheckPort: '444',
        HealthCheckPath: '/health',
      }));
      expect(targetGroup.DependsOn).toEqual(expect.arrayContaining([logicalId(stack, api.healthCheckListener!)]));
    });

    test('only the NLB\'s security group may reach the health-check port, and no NLB listener forwards consumers to it', () => {
      const { stack, api, template } = build(fromBundle());
      const alb = logicalId(stack, api.loadBalancerSecurityGroup);
      const nlb = logicalId(stack, api.networkLoadBalancerSecurityGroup);
      const into444 = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress', { Properties: { FromPort: 444 } }));
      expect(into444.map(r => [r.Properties.GroupId, r.Properties.SourceSecurityGroupId, r.Properties.ToPort]))
        .toEqual([[groupIdOf(alb), groupIdOf(nlb), 444]]);
      template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
        GroupId: groupIdOf(nlb), DestinationSecurityGroupId: groupIdOf(alb), FromPort: 444, ToPort: 444, IpProtocol: 'tcp',
      });
      const nlbListenerPorts = Object.values(template.findResources(LISTENER, { Properties: { Protocol: 'TCP' } })).map(r => r.Properties.Port);
      expect(nlbListenerPorts).toEqual([443]);
      expect(Object.values(template.findResources(TARGET_GROUP)).map(r => r.Properties.Port)).not.toContain(444);
    });

    test('a port of your choice', () => {
      const { api, template } = build(fromBundle({ healthCheckPort: 9443 }));
      expect(api.healthCheckListener?.port).toBe(9443);
      expect(nlbTargetGroup(template)[0].Properties.HealthCheckPort).toBe('9443');
    });

    test('loadBalancerPort 65535: the default is the port below', () => {
      const { api } = build(fromBundle(), { loadBalancerPort: 65535 });
      expect(api.healthCheckListener?.port).toBe(65534);
    });

    test('a custom TLS policy applies to the health-check listener too', () => {
      const { template } = build(fromBundle(), { sslPolicy: elbv2.SslPolicy.TLS13_13 });
      expect(Object.values(template.findResources(LISTENER, { Properties: { Protocol: 'HTTPS' } })).map(r => r.Properties.SslPolicy))
        .toEqual(['ELBSecurityPolicy-TLS13-1-3-2021-06', 'ELBSecurityPolicy-TLS13-1-3-2021-06']);
    });

    test('a host-routed first service behind notFoundResponse: the health-check listener replaces the rule on the consumers\' listener', () => {
      const { stack, api, template } = build(fromBundle(), { notFoundResponse: true, hostHeaders: ['tasks.example.com'] });
      const onConsumersListener = Object.values(template.findResources(RULE, {
        Properties: { ListenerArn: { Ref: logicalId(stack, api.listener) } },
      }));
      expect(onConsumersListener.map(r => r.Properties.Priority)).toEqual([10]); // the service's own rule, no 50000
      expect(Object.values(template.findResources(RULE)).map(r => r.Properties.Priority).sort()).toEqual([1, 10]);
    });

    test('with redirectHttp the redirect\'s target group still checks the HTTP listener on 80', () => {
      const { template } = build(fromBundle(), { redirectHttp: true });
      const checks = nlbTargetGroup(template).map(r => [r.Properties.Port, r.Properties.HealthCheckProtocol, r.Properties.HealthCheckPort]);
      expect(checks).toEqual(expect.arrayContaining([[443, 'HTTPS', '444'], [80, 'HTTP', undefined]]));
    });

    test('more services route on the consumers\' listener only', () => {
      const { stack, api } = build(fromBundle());
      api.addService('Orders', { image: IMAGE, pathPatterns: ['/orders*'] });
      const template = Template.fromStack(stack);
      const listenerOf = (priority: number) =>
        Object.values(template.findResources(RULE, { Properties: { Priority: priority } }))[0].Properties.ListenerArn;
      expect(listenerOf(10)).toEqual({ Ref: logicalId(stack, api.listener) });
      expect(listenerOf(1)).toEqual({ Ref: logicalId(stack, api.healthCheckListener!) });
    });

    test('the NLB\'s target group is the one the health-check listener serves', () => {
      const { stack, api, template } = build(fromBundle());
      const healthCheckRule = logicalIdOf(template, RULE, { Priority: 1 });
      expect(template.toJSON().Resources[healthCheckRule].Properties.Actions[0].TargetGroupArn)
        .toEqual({ Ref: logicalId(stack, api.services[0].targetGroup) });
    });
  });
});
