import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { analyze, violations } from './reachability';
import { buildDemo } from '../../examples/demo/demo-stacks';
import { buildHttpsExample } from '../../examples/https/https-stacks';
import { EcsPrivateLinkApi } from '../../src';
import { allFeaturesApp, CERTIFICATE_ARN, defaultsApp } from '../apps';
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
    expect(r.healthChecks).toEqual(['NLB HTTP 80 / -> ALB HTTP 80']);
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
    // 8444: the health-check listener of mutual TLS, reached by the NLB's health check only
    expect(r.intendedPorts[Object.keys(r.roles).find(g => r.roles[g] === 'ALB')!]).toEqual([8443, 8444, 80]);
    expect(r.healthChecks).toEqual(['NLB HTTP 80 /api/tasks -> ALB HTTP 80', 'NLB HTTPS 8444 /api/tasks -> ALB HTTPS 8444']);
    expect(violations(r)).toEqual([]);
  });

  test('the https example (mutual TLS, verify): one path; the NLB checks the ALB without a client certificate', () => {
    const { provider } = buildHttpsExample(new App({ context }));
    const r = analyze(templateOf(provider));
    expect(r.paths).toEqual([expect.stringMatching(/^endpoint service -> NLB TCP 443 -> ALB HTTPS 443 -> \S+ 8080$/)]);
    expect(r.healthChecks).toEqual(['NLB HTTP 80 /api/tasks -> ALB HTTP 80', 'NLB HTTPS 444 /api/tasks -> ALB HTTPS 444']);
    expect(violations(r)).toEqual([]);
  });

  test('the demo: endpoint -> NLB 80 -> ALB 8888 -> container 8080, nothing else', () => {
    const { provider } = buildDemo(new App({ context }));
    const r = analyze(templateOf(provider));
    expect(r.paths).toEqual([expect.stringMatching(/^endpoint service -> NLB TCP 80 -> ALB HTTP 8888 -> TaskApiService\w+ 8080$/)]);
    expect(violations(r)).toEqual([]);
  });

  describe('mutual TLS: the NLB\'s health check stays truthful and the health-check port stays the NLB\'s', () => {
    function mtlsApi() {
      const stack = newStack(context);
      const api = new EcsPrivateLinkApi(stack, 'Api', {
        image: IMAGE,
        containerPort: 8080,
        certificate: acm.Certificate.fromCertificateArn(stack, 'Certificate', CERTIFICATE_ARN),
        healthCheck: { path: '/health' },
        mutualTls: { trustStore: elbv2.TrustStore.fromTrustStoreArn(stack, 'Store', 'arn:aws:elasticloadbalancing:eu-west-1:111122223333:truststore/cas/0123456789abcdef') },
      });
      return { stack, api };
    }

    test('verify: still one path, and a health check that reaches a listener without client certificates', () => {
      const r = analyze(templateOf(mtlsApi().stack));
      expect(r.paths).toEqual([expect.stringMatching(/^endpoint service -> NLB TCP 443 -> ALB HTTPS 443 -> ApiService\w+ 8080$/)]);
      expect(r.healthChecks).toEqual(['NLB HTTPS 444 /health -> ALB HTTPS 444']);
      expect(violations(r)).toEqual([]);
    });

    test('a health check through the verifying listener (no health-check port) fails the gate', () => {
      const template = templateOf(mtlsApi().stack);
      for (const r of Object.values<any>(template.Resources)) {
        if (r.Properties?.TargetType === 'alb') {
          delete r.Properties.HealthCheckPort;
        }
      }
      expect(violations(analyze(template))).toEqual([
        'the NLB\'s health check can only fail: NLB HTTPS 443 /health -> ALB HTTPS 443 (client certificate required)',
        // and the health-check port, no longer used, is an opening nobody needs
        'the ALB is reachable from outside the path: ALB admits NLB on tcp/444-444',
      ]);
    });

    test('the health-check port opened to a CIDR fails the gate', () => {
      const { stack, api } = mtlsApi();
      api.loadBalancerSecurityGroup.addIngressRule(ec2.Peer.ipv4('10.0.0.0/16'), ec2.Port.tcp(444));
      expect(violations(analyze(templateOf(stack)))).toEqual([expect.stringMatching(/^the ALB is reachable from outside the path: ALB admits 10.0.0.0\/16 on tcp\/444-444/)]);
    });

    test('the health-check port opened to the tasks\' group fails the gate', () => {
      const { stack, api } = mtlsApi();
      api.loadBalancerSecurityGroup.connections.allowFrom(api.serviceSecurityGroup, ec2.Port.tcp(444));
      expect(violations(analyze(templateOf(stack)))).toEqual([expect.stringMatching(/^the ALB is reachable from outside the path: ALB admits tasks:\S+ on tcp\/444-444/)]);
    });

    test('a health check the security groups drop fails the gate', () => {
      const template = templateOf(mtlsApi().stack);
      for (const [id, r] of Object.entries<any>(template.Resources)) {
        if (r.Type === 'AWS::EC2::SecurityGroupEgress' && r.Properties.FromPort === 444) {
          delete template.Resources[id];
        }
      }
      expect(violations(analyze(template))).toEqual(['the NLB\'s health check can only fail: NLB HTTPS 444 /health -> ALB HTTPS 444 (blocked)']);
    });
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
