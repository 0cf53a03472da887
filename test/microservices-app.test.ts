import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { FLAG_SETTINGS } from './helpers';
import { analyze, violations } from './reachability/reachability';
import { MicroservicesStack } from '../examples/microservices/microservices-stack';

describe.each(FLAG_SETTINGS)('microservices example app with $name', ({ context }) => {
  function synth() {
    const stack = new MicroservicesStack(new App({ context }), 'PrivateLinkMicroservices');
    return { stack, template: Template.fromStack(stack) };
  }

  test('three services behind one ALB, one NLB and one endpoint service', () => {
    const { template } = synth();
    template.resourceCountIs('AWS::ECS::Service', 3);
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 2);
    template.resourceCountIs('AWS::EC2::VPCEndpointService', 1);
  });

  test('routes /api/tasks*, /orders* and /users*; anything else gets a 404', () => {
    const { template } = synth();
    const rules = Object.values(template.findResources('AWS::ElasticLoadBalancingV2::ListenerRule'))
      .map(r => [r.Properties.Priority, r.Properties.Conditions[0].PathPatternConfig.Values]);
    expect(rules).toEqual([
      [10, ['/api/tasks*', '/api/task/*']],
      [20, ['/orders', '/orders/*']],
      [30, ['/users', '/users/*']],
    ]);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Protocol: 'HTTP', DefaultActions: [Match.objectLike({ Type: 'fixed-response', FixedResponseConfig: Match.objectLike({ StatusCode: '404' }) })],
    });
  });

  test('every service scales between 2 and 10 tasks on CPU and requests', () => {
    const { template } = synth();
    template.resourceCountIs('AWS::ApplicationAutoScaling::ScalableTarget', 3);
    template.resourceCountIs('AWS::ApplicationAutoScaling::ScalingPolicy', 6);
    template.allResourcesProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 2, MaxCapacity: 10 });
  });

  test('the users service mixes on-demand and Spot Fargate', () => {
    const { template } = synth();
    template.hasResourceProperties('AWS::ECS::Service', {
      CapacityProviderStrategy: [{ CapacityProvider: 'FARGATE', Base: 1, Weight: 1 }, { CapacityProvider: 'FARGATE_SPOT', Weight: 3 }],
    });
  });

  test('the only open paths: endpoint -> NLB 80 -> ALB 80 -> each service', () => {
    const { template } = synth();
    const r = analyze(template.toJSON() as any);
    expect(r.paths.map(p => p.replace(/ -> \S+ (\d+)$/, ' -> $1')).sort()).toEqual([
      'endpoint service -> NLB TCP 80 -> ALB HTTP 80 -> 80',
      'endpoint service -> NLB TCP 80 -> ALB HTTP 80 -> 80',
      'endpoint service -> NLB TCP 80 -> ALB HTTP 80 -> 8080',
    ]);
    expect(violations(r)).toEqual([]);
  });
});
