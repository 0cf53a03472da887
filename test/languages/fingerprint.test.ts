import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { differences, fingerprint, readAssembly } from './fingerprint';
import { buildDemo } from '../../examples/demo/demo-stacks';

function synthDemo() {
  const app = new App({ outdir: mkdtempSync(path.join(tmpdir(), 'fingerprint-')) });
  buildDemo(app);
  return readAssembly(app.synth().directory);
}

describe('template fingerprints used to compare languages', () => {
  test('the same app gives the same fingerprint', () => {
    expect(differences(fingerprint(synthDemo()), fingerprint(synthDemo()), 'again')).toEqual([]);
  });

  test('a different port is reported, with both values', () => {
    // GIVEN
    const expected = synthDemo();
    const actual = synthDemo();
    // WHEN the ALB listener moves from 8888 to 9999
    const provider = actual['PrivateLinkDemo-Provider'];
    const listener = Object.values(provider.Resources).find(r => r.Type === 'AWS::ElasticLoadBalancingV2::Listener' && r.Properties?.Port === 8888)!;
    listener.Properties!.Port = 9999;
    // THEN
    const diff = differences(fingerprint(expected), fingerprint(actual), 'python');
    expect(diff).toHaveLength(1);
    expect(diff[0]).toMatch(/python: PrivateLinkDemo-Provider › listeners \(protocol, port\)/);
    expect(diff[0]).toContain('["HTTP",8888]');
    expect(diff[0]).toContain('["HTTP",9999]');
  });

  test('a widened security-group rule and a missing resource are reported', () => {
    const expected = synthDemo();
    const actual = synthDemo();
    const consumer = actual['PrivateLinkDemo-Consumer'];
    const rule = Object.values(consumer.Resources).find(r => r.Type === 'AWS::EC2::SecurityGroupIngress')!;
    rule.Properties = { ...rule.Properties, SourceSecurityGroupId: undefined, CidrIp: '0.0.0.0/0' };
    const [id] = Object.entries(consumer.Resources).find(([, r]) => r.Type === 'AWS::Lambda::Function')!;
    delete consumer.Resources[id];
    const diff = differences(fingerprint(expected), fingerprint(actual), 'java').join('\n');
    expect(diff).toContain('security-group ingress');
    expect(diff).toContain('0.0.0.0/0');
    expect(diff).toContain('resource counts');
  });

  test('an acknowledgement one language lacks, and an unencrypted log group, are reported', () => {
    const expected = synthDemo();
    const actual = synthDemo();
    const provider = actual['PrivateLinkDemo-Provider'];
    const [albId, alb] = Object.entries(provider.Resources).find(([, r]) => r.Metadata?.cdk_nag?.rules_to_suppress
      ?.some((a: { id: string }) => a.id === 'NIST.800.53.R5-ALBWAFEnabled'))!;
    alb.Metadata!.cdk_nag.rules_to_suppress = alb.Metadata!.cdk_nag.rules_to_suppress.filter((a: { id: string }) => a.id !== 'NIST.800.53.R5-ALBWAFEnabled');
    const logGroup = Object.values(provider.Resources).find(r => r.Type === 'AWS::Logs::LogGroup' && r.Properties?.KmsKeyId)!;
    delete logGroup.Properties!.KmsKeyId;
    const diff = differences(fingerprint(expected), fingerprint(actual), 'go').join('\n');
    expect(diff).toContain('cdk-nag acknowledgements (resource, rule)');
    expect(diff).toContain(`${albId} NIST.800.53.R5-ALBWAFEnabled`);
    expect(diff).toContain('log groups (retention, encrypted)');
  });

  test('a missing stack is reported', () => {
    const actual = synthDemo();
    delete actual['PrivateLinkDemo-Consumer'];
    expect(differences(fingerprint(synthDemo()), fingerprint(actual), 'java')).toEqual(['java: stack PrivateLinkDemo-Consumer is missing']);
  });
});
