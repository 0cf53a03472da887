import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { analyze, violations } from './reachability';
import { buildDemo } from '../../examples/demo/demo-stacks';
import { EcsPrivateLinkApi } from '../../src';
import { allFeaturesApp, defaultsApp } from '../apps';
import { FLAG_SETTINGS, IMAGE, newStack } from '../helpers';

const templateOf = (stack: Stack) => Template.fromStack(stack).toJSON() as any;

describe.each(FLAG_SETTINGS)('reachability with $name', ({ context }) => {
  test('defaults: the only open path is endpoint -> NLB 80 -> ALB 80 -> container 80', () => {
    // GIVEN
    const [provider] = defaultsApp(new App({ context }));
    // WHEN
    const r = analyze(templateOf(provider));
    // THEN
    expect(r.paths).toEqual([expect.stringMatching(/^endpoint service -> NLB TCP 80 -> ALB HTTP 80 -> ApiService\w+ 80$/)]);
    expect(r.blocked).toEqual([]);
    expect(violations(r)).toEqual([]);
    expect(r.nlbEnforcesInboundRules).toBe(false);
  });

  test('every feature on: endpoint -> NLB 443 -> ALB HTTPS 8443 -> each container, nothing else', () => {
    const [stack] = allFeaturesApp(new App({ context }));
    const r = analyze(templateOf(stack));
    expect(r.paths).toEqual([
      expect.stringMatching(/^endpoint service -> NLB TCP 443 -> ALB HTTPS 8443 -> ApiOrdersService\w+ 80$/),
      expect.stringMatching(/^endpoint service -> NLB TCP 443 -> ALB HTTPS 8443 -> ApiService\w+ 8080$/),
    ]);
    expect(r.intendedPorts[Object.keys(r.roles).find(g => r.roles[g] === 'ALB')!]).toEqual([8443, 80]);
    expect(violations(r)).toEqual([]);
  });

  test('the demo: endpoint -> NLB 80 -> ALB 8888 -> container 8080, nothing else', () => {
    const { provider } = buildDemo(new App({ context }));
    const r = analyze(templateOf(provider));
    expect(r.paths).toEqual([expect.stringMatching(/^endpoint service -> NLB TCP 80 -> ALB HTTP 8888 -> TaskApiService\w+ 8080$/)]);
    expect(violations(r)).toEqual([]);
  });

  describe('a widened rule fails the gate', () => {
    function api() {
      const stack = newStack(context);
      return { stack, api: new EcsPrivateLinkApi(stack, 'Api', { image: IMAGE, containerPort: 8080, loadBalancerPort: 8888 }) };
    }
    const gate = (stack: Stack) => () => expect(violations(analyze(templateOf(stack)))).toEqual([]);

    test('a CIDR into the ALB', () => {
      const { stack, api: a } = api();
      a.loadBalancerSecurityGroup.addIngressRule(ec2.Peer.ipv4('10.0.0.0/16'), ec2.Port.tcp(8888));
      expect(violations(analyze(templateOf(stack)))).toEqual([expect.stringMatching(/^the ALB is reachable from outside the path: ALB admits 10.0.0.0\/16 on tcp\/8888-8888/)]);
      expect(gate(stack)).toThrow();
    });

    test('0.0.0.0/0 into the tasks', () => {
      const { stack, api: a } = api();
      a.serviceSecurityGroup.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(8080));
      expect(violations(analyze(templateOf(stack)))).toEqual([expect.stringMatching(/^open to the internet: tasks:\S+ admits 0.0.0.0\/0/)]);
      expect(gate(stack)).toThrow();
    });

    test('::/0 into the NLB', () => {
      const { stack, api: a } = api();
      a.networkLoadBalancerSecurityGroup.addIngressRule(ec2.Peer.anyIpv6(), ec2.Port.tcp(80));
      expect(violations(analyze(templateOf(stack)))).toEqual([expect.stringMatching(/^open to the internet: NLB admits ::\/0/)]);
    });

    test('the NLB reaching every ALB port, not just the listener', () => {
      const { stack, api: a } = api();
      a.loadBalancerSecurityGroup.connections.allowFrom(a.networkLoadBalancerSecurityGroup, ec2.Port.allTcp());
      expect(violations(analyze(templateOf(stack)))).toEqual([expect.stringMatching(/^the ALB is reachable from outside the path: ALB admits NLB on tcp\/0-65535/)]);
    });

    test('the tasks admitting the NLB directly', () => {
      const { stack, api: a } = api();
      a.serviceSecurityGroup.connections.allowFrom(a.networkLoadBalancerSecurityGroup, ec2.Port.tcp(8080));
      expect(violations(analyze(templateOf(stack)))).toEqual([expect.stringMatching(/^tasks are reachable from outside the path: tasks:\S+ admits NLB/)]);
    });

    test('a path the security groups block is reported as blocked, not open', () => {
      const { stack } = api();
      const template = templateOf(stack);
      for (const [id, r] of Object.entries<any>(template.Resources)) {
        if (r.Type === 'AWS::EC2::SecurityGroupEgress' && r.Properties.FromPort === 8888) {
          delete template.Resources[id];
        }
      }
      const r = analyze(template);
      expect(r.paths).toEqual([]);
      expect(r.blocked).toEqual([expect.stringMatching(/-> ALB HTTP 8888 -> ApiService\w+ 8080$/)]);
    });
  });
});
