import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { FLAG_SETTINGS, groupIdOf, logicalIdOf } from './helpers';
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

  test('mutual TLS, VERIFY: a trust store from the CA bundle in S3, the consumers\' listener verifies with it', () => {
    const { provider } = synth();
    provider.hasResourceProperties('AWS::ElasticLoadBalancingV2::TrustStore', {
      CaCertificatesBundleS3Bucket: PLACEHOLDERS.caBundleBucket,
      CaCertificatesBundleS3Key: PLACEHOLDERS.caBundleKey,
    });
    const store = logicalIdOf(provider, 'AWS::ElasticLoadBalancingV2::TrustStore');
    provider.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Protocol: 'HTTPS', Port: 443, MutualAuthentication: { Mode: 'verify', TrustStoreArn: { 'Fn::GetAtt': [store, 'TrustStoreArn'] } },
    });
  });

  test('the NLB checks the ALB on a listener without client certificates (HTTPS 444), which only the NLB reaches', () => {
    const { provider } = synth();
    provider.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Protocol: 'HTTPS', Port: 444, MutualAuthentication: Match.absent() });
    provider.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { TargetType: 'alb', Port: 443, HealthCheckPort: '444', HealthCheckPath: '/api/tasks' });
    const r = analyze(provider.toJSON() as any);
    expect(r.healthChecks).toContain('NLB HTTPS 444 /api/tasks -> ALB HTTPS 444');
    expect(violations(r)).toEqual([]);
  });

  test('your own CA bundle and client-certificate secret come from context', () => {
    const { provider, consumer } = synth({ caBundleBucket: 'corp-pki', caBundleKey: 'partners/bundle.pem', clientCertificateSecretName: 'corp/probe-cert' });
    provider.hasResourceProperties('AWS::ElasticLoadBalancingV2::TrustStore', { CaCertificatesBundleS3Bucket: 'corp-pki', CaCertificatesBundleS3Key: 'partners/bundle.pem' });
    consumer.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ CLIENT_CERTIFICATE_SECRET: 'corp/probe-cert' }) } });
  });

  test('the consumer\'s probe presents the client certificate it may read from Secrets Manager, and only it reaches the endpoints', () => {
    const { consumer } = synth();
    consumer.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Environment: { Variables: Match.objectLike({ API_URL: `https://${PLACEHOLDERS.privateDnsName}:443`, CLIENT_CERTIFICATE_SECRET: PLACEHOLDERS.clientCertificateSecretName }) },
    });
    // the grant is in the probe's managed policy; the role has no inline policy
    const probePolicy = Object.values(consumer.findResources('AWS::IAM::ManagedPolicy')).find(p => JSON.stringify(p).includes('secretsmanager:'));
    const statement = probePolicy!.Properties.PolicyDocument.Statement.find((st: any) => JSON.stringify(st.Action).includes('secretsmanager:'));
    expect([...statement.Action].sort()).toEqual(['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue']);
    expect(JSON.stringify(statement.Resource)).toContain(`:secret:${PLACEHOLDERS.clientCertificateSecretName}-??????`);
    expect(Object.keys(consumer.findResources('AWS::IAM::Policy')).filter(id => id.startsWith('Probe'))).toEqual([]);
    // only the probe reaches the API's endpoint and the Secrets Manager endpoint, on 443
    const probe = logicalIdOf(consumer, 'AWS::EC2::SecurityGroup', { GroupDescription: Match.stringLikeRegexp('^Probe ') });
    const ingress = Object.values(consumer.findResources('AWS::EC2::SecurityGroupIngress')).map(r => r.Properties);
    expect(ingress.map(i => [i.SourceSecurityGroupId, i.FromPort])).toEqual([[groupIdOf(probe), 443], [groupIdOf(probe), 443]]);
    consumer.hasResourceProperties('AWS::EC2::VPCEndpoint', { ServiceName: Match.objectLike({ 'Fn::Join': Match.anyValue() }), PrivateDnsEnabled: true });
    consumer.resourceCountIs('AWS::EC2::VPCEndpoint', 2); // the API's and Secrets Manager's
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
