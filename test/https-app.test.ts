import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { FLAG_SETTINGS } from './helpers';
import { analyze, violations } from './reachability/reachability';
import { PLACEHOLDERS, buildHttpsExample } from '../examples/https/https-stacks';

describe.each(FLAG_SETTINGS)('https example app with $name', ({ context }) => {
  function synth(extra: Record<string, string> = {}) {
    const { provider, consumer } = buildHttpsExample(new App({ context: { ...context, ...extra } }));
    return { provider: Template.fromStack(provider), consumer: Template.fromStack(consumer) };
  }

  test('HTTPS on the ALB with the certificate, TCP 443 and 80 on the NLB, 80 redirecting to HTTPS', () => {
    const { provider } = synth();
    provider.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Protocol: 'HTTPS', Port: 443, Certificates: [{ CertificateArn: PLACEHOLDERS.certificateArn }] });
    provider.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Protocol: 'TCP', Port: 443 });
    provider.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Protocol: 'TCP', Port: 80 });
    provider.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Protocol: 'HTTP', Port: 80, DefaultActions: [Match.objectLike({ Type: 'redirect' })] });
    const r = analyze(provider.toJSON() as any);
    expect(r.paths).toEqual([expect.stringMatching(/^endpoint service -> NLB TCP 443 -> ALB HTTPS 443 -> \S+ 8080$/)]);
    expect(violations(r)).toEqual([]);
  });

  test('the private DNS name is set, its TXT record published in the zone, verification started', () => {
    const { provider } = synth();
    provider.hasResourceProperties('AWS::Route53::RecordSet', { Type: 'TXT', HostedZoneId: PLACEHOLDERS.hostedZoneId });
    const calls = JSON.stringify(provider.findResources('Custom::AWS'));
    expect(calls).toContain(PLACEHOLDERS.privateDnsName);
    expect(calls).toContain('startVpcEndpointServicePrivateDnsVerification');
  });

  test('connections wait for acceptance and notify a topic', () => {
    const { provider } = synth();
    provider.hasResourceProperties('AWS::EC2::VPCEndpointService', { AcceptanceRequired: true });
    provider.hasResourceProperties('AWS::EC2::VPCEndpointConnectionNotification', { ConnectionEvents: ['Connect', 'Accept', 'Reject', 'Delete'] });
  });

  test('the consumer enables private DNS and calls https://<name>', () => {
    const { consumer } = synth();
    consumer.hasResourceProperties('AWS::EC2::VPCEndpoint', { PrivateDnsEnabled: true });
    expect(JSON.stringify(consumer.findOutputs('*'))).toContain(`https://${PLACEHOLDERS.privateDnsName}:443`);
  });

  test('your own certificate and zone come from context', () => {
    const { provider } = synth({ certificateArn: 'arn:aws:acm:us-east-1:444455556666:certificate/real', privateDnsName: 'tasks.corp.example', hostedZoneId: 'ZREAL', zoneName: 'corp.example' });
    provider.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Certificates: [{ CertificateArn: 'arn:aws:acm:us-east-1:444455556666:certificate/real' }] });
    provider.hasResourceProperties('AWS::Route53::RecordSet', { HostedZoneId: 'ZREAL' });
  });
});
