import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { FLAG_SETTINGS, IMAGE, groupIdOf, logicalIdOf, newStack, warnings } from './helpers';
import { ApiService, EcsPrivateLinkApi, EcsPrivateLinkApiProps } from '../src';
import { analyze, violations } from './reachability/reachability';

const ORDERS = ecs.ContainerImage.fromRegistry('example/orders');
const USERS = ecs.ContainerImage.fromRegistry('example/users');

describe.each(FLAG_SETTINGS)('ApiService (api.addService) with $name', ({ context }) => {
  function newApi(props: Partial<EcsPrivateLinkApiProps> = {}, stack: Stack = newStack(context)) {
    return { stack, api: new EcsPrivateLinkApi(stack, 'Api', { image: IMAGE, containerPort: 8080, ...props }) };
  }
  const ruleOf = (template: Template, service: ApiService) =>
    template.toJSON().Resources[Stack.of(service).getLogicalId(service.listenerRule!.node.defaultChild as any)].Properties;

  describe('routing', () => {
    test('a path-routed service gets its own rule, target group, task definition and security group', () => {
      // GIVEN
      const { stack, api } = newApi();
      // WHEN
      const orders = api.addService('Orders', { image: ORDERS, containerPort: 3000, pathPatterns: ['/orders', '/orders/*'] });
      // THEN
      const template = Template.fromStack(stack);
      const tg = stack.getLogicalId(orders.targetGroup.node.defaultChild as any);
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
        Priority: 10,
        Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/orders', '/orders/*'] } }],
        Actions: [{ Type: 'forward', TargetGroupArn: { Ref: tg } }],
      });
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { Port: 3000, TargetType: 'ip' });
      template.resourceCountIs('AWS::ECS::Service', 2);
      template.resourceCountIs('AWS::ECS::TaskDefinition', 2);
      expect(orders.service).toBeInstanceOf(ecs.FargateService);
      expect(orders.taskDefinition.defaultContainer?.containerPort).toBe(3000);
      expect(api.services).toEqual([expect.any(ApiService), orders]);
    });

    test('the new service admits only the ALB security group, on its own port', () => {
      const { stack, api } = newApi();
      const orders = api.addService('Orders', { image: ORDERS, containerPort: 3000, pathPatterns: ['/orders*'] });
      const template = Template.fromStack(stack);
      const ingress = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress'))
        .map(r => r.Properties).filter(p => JSON.stringify(p.GroupId).includes(stack.getLogicalId(orders.securityGroup.node.defaultChild as any)));
      expect(ingress).toEqual([expect.objectContaining({
        SourceSecurityGroupId: groupIdOf(stack.getLogicalId(api.loadBalancerSecurityGroup.node.defaultChild as any)),
        FromPort: 3000,
        ToPort: 3000,
        IpProtocol: 'tcp',
      })]);
      expect(orders.securityGroup).not.toBe(api.serviceSecurityGroup);
    });

    test('the only open paths are endpoint -> NLB -> ALB -> each container port', () => {
      const { stack, api } = newApi({ loadBalancerPort: 8888 });
      api.addService('Orders', { image: ORDERS, containerPort: 3000, pathPatterns: ['/orders*'] });
      api.addService('Users', { image: USERS, containerPort: 4000, hostHeaders: ['users.example.com'] });
      const r = analyze(Template.fromStack(stack).toJSON() as any);
      expect(r.paths.map(p => p.replace(/ \S+ (\d+)$/, ' $1')).sort()).toEqual([
        'endpoint service -> NLB TCP 80 -> ALB HTTP 8888 -> 3000',
        'endpoint service -> NLB TCP 80 -> ALB HTTP 8888 -> 4000',
        'endpoint service -> NLB TCP 80 -> ALB HTTP 8888 -> 8080',
      ]);
      expect(violations(r)).toEqual([]);
    });

    test('host headers, and both conditions together', () => {
      const { stack, api } = newApi();
      const users = api.addService('Users', { image: USERS, hostHeaders: ['users.example.com'] });
      const both = api.addService('Admin', { image: USERS, hostHeaders: ['admin.example.com'], pathPatterns: ['/admin/*'] });
      const template = Template.fromStack(stack);
      expect(ruleOf(template, users).Conditions).toEqual([{ Field: 'host-header', HostHeaderConfig: { Values: ['users.example.com'] } }]);
      expect(ruleOf(template, both).Conditions).toEqual([
        { Field: 'path-pattern', PathPatternConfig: { Values: ['/admin/*'] } },
        { Field: 'host-header', HostHeaderConfig: { Values: ['admin.example.com'] } },
      ]);
    });

    test('the first service stays the default action', () => {
      const { stack, api } = newApi();
      api.addService('Orders', { image: ORDERS, pathPatterns: ['/orders*'] });
      Template.fromStack(stack).hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
        Protocol: 'HTTP',
        DefaultActions: [{ Type: 'forward', TargetGroupArn: { Ref: stack.getLogicalId(api.targetGroup.node.defaultChild as any) } }],
      });
    });

    test('notFoundResponse: requests no rule matches get a fixed 404 JSON; the first service gets a rule', () => {
      const { stack, api } = newApi({ notFoundResponse: true, pathPatterns: ['/api/tasks*', '/api/task/*'], healthCheck: { path: '/api/tasks' } });
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
        Protocol: 'HTTP',
        DefaultActions: [{
          Type: 'fixed-response',
          FixedResponseConfig: { StatusCode: '404', ContentType: 'application/json', MessageBody: '{"message":"Not Found"}' },
        }],
      });
      expect(ruleOf(template, api.services[0]).Priority).toBe(10);
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { TargetType: 'alb', HealthCheckPath: '/api/tasks' });
    });
  });

  describe('priorities', () => {
    test('derived deterministically: 10, 20, 30 in the order services are added', () => {
      const { api } = newApi();
      const priorities = ['A', 'B', 'C'].map(id => api.addService(id, { image: ORDERS, pathPatterns: [`/${id}*`] }).priority);
      expect(priorities).toEqual([10, 20, 30]);
    });

    test('explicit priorities are kept, derived ones skip them', () => {
      const { stack, api } = newApi();
      const a = api.addService('A', { image: ORDERS, pathPatterns: ['/a*'], priority: 10 });
      const b = api.addService('B', { image: ORDERS, pathPatterns: ['/b*'] });
      const c = api.addService('C', { image: ORDERS, pathPatterns: ['/c*'], priority: 5 });
      expect([a.priority, b.priority, c.priority]).toEqual([10, 20, 5]);
      expect(ruleOf(Template.fromStack(stack), c).Priority).toBe(5);
    });

    test('a clash is an error naming both services', () => {
      const { api } = newApi();
      api.addService('A', { image: ORDERS, pathPatterns: ['/a*'], priority: 100 });
      expect(() => api.addService('B', { image: ORDERS, pathPatterns: ['/b*'], priority: 100 }))
        .toThrow(/Test\/Api\/B: invalid priority 100: already used by Test\/Api\/A/);
    });
  });

  describe('each service has its own settings', () => {
    test('image, port, cpu/memory, desired count, environment, secrets, health check', () => {
      const { stack, api } = newApi();
      const secret = secretsmanager.Secret.fromSecretNameV2(stack, 'Secret', 'orders-db');
      api.addService('Orders', {
        image: ORDERS,
        containerPort: 3000,
        cpu: 1024,
        memoryLimitMiB: 2048,
        desiredCount: 4,
        environment: { TABLE: 'orders' },
        secrets: { DB_PASSWORD: ecs.Secret.fromSecretsManager(secret) },
        healthCheck: { path: '/orders/health', healthyHttpCodes: '200,204' },
        pathPatterns: ['/orders*'],
      });
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::ECS::TaskDefinition', {
        Cpu: '1024',
        Memory: '2048',
        ContainerDefinitions: [Match.objectLike({
          Image: 'example/orders',
          PortMappings: [Match.objectLike({ ContainerPort: 3000 })],
          Environment: [{ Name: 'TABLE', Value: 'orders' }],
          Secrets: [Match.objectLike({ Name: 'DB_PASSWORD' })],
        })],
      });
      template.hasResourceProperties('AWS::ECS::Service', { DesiredCount: 4 });
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
        Port: 3000, HealthCheckPath: '/orders/health', Matcher: { HttpCode: '200,204' },
      });
    });

    test('all services log to the API log group, each under its own stream prefix', () => {
      const { stack, api } = newApi({ logRetention: 7 });
      api.addService('Orders', { image: ORDERS, pathPatterns: ['/orders*'] });
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::Logs::LogGroup', 2); // the services' group and the VPC flow log's
      const group = { Ref: stack.getLogicalId(api.logGroup!.node.defaultChild as any) };
      for (const prefix of ['Service', 'Orders']) {
        template.hasResourceProperties('AWS::ECS::TaskDefinition', {
          ContainerDefinitions: [Match.objectLike({
            LogConfiguration: { LogDriver: 'awslogs', Options: Match.objectLike({ 'awslogs-group': group, 'awslogs-stream-prefix': prefix }) },
          })],
        });
      }
      template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
    });

    test('bring your own task definition and cluster', () => {
      const stack = newStack(context);
      const { api } = newApi({}, stack);
      const taskDefinition = new ecs.FargateTaskDefinition(stack, 'OrdersTd');
      taskDefinition.addContainer('orders', { image: ORDERS, portMappings: [{ containerPort: 7000 }] });
      const orders = api.addService('Orders', { taskDefinition, pathPatterns: ['/orders*'] });
      expect(orders.taskDefinition).toBe(taskDefinition);
      expect(orders.containerPort).toBe(7000);
      const cluster = new ecs.Cluster(stack, 'OwnCluster', { vpc: api.vpc });
      const other = new EcsPrivateLinkApi(stack, 'Other', { cluster, image: IMAGE });
      expect(other.cluster).toBe(cluster);
    });

    test('capacity providers: FARGATE and FARGATE_SPOT weights; the cluster gets the providers', () => {
      const { stack, api } = newApi();
      api.addService('Batch', {
        image: ORDERS,
        pathPatterns: ['/batch*'],
        capacityProviderStrategies: [{ capacityProvider: 'FARGATE', base: 1, weight: 1 }, { capacityProvider: 'FARGATE_SPOT', weight: 3 }],
      });
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::ECS::Service', {
        CapacityProviderStrategy: [
          { CapacityProvider: 'FARGATE', Base: 1, Weight: 1 },
          { CapacityProvider: 'FARGATE_SPOT', Weight: 3 },
        ],
        LaunchType: Match.absent(),
      });
      template.hasResourceProperties('AWS::ECS::ClusterCapacityProviderAssociations', {
        CapacityProviders: Match.arrayWith(['FARGATE', 'FARGATE_SPOT']),
      });
    });
  });

  describe('autoscaling', () => {
    test('min/max task count and target tracking on CPU, memory and requests per target, with cooldowns', () => {
      const { stack, api } = newApi();
      const orders = api.addService('Orders', {
        image: ORDERS,
        pathPatterns: ['/orders*'],
        autoScaling: {
          minCapacity: 2,
          maxCapacity: 10,
          targetCpuUtilizationPercent: 60,
          targetMemoryUtilizationPercent: 70,
          targetRequestsPerTarget: 500,
          scaleInCooldown: Duration.minutes(10),
          scaleOutCooldown: Duration.seconds(30),
        },
      });
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 2, MaxCapacity: 10 });
      const policy = (metric: string, target: number) => template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingScalingPolicyConfiguration: Match.objectLike({
          TargetValue: target,
          ScaleInCooldown: 600,
          ScaleOutCooldown: 30,
          PredefinedMetricSpecification: Match.objectLike({ PredefinedMetricType: metric }),
        }),
      });
      policy('ECSServiceAverageCPUUtilization', 60);
      policy('ECSServiceAverageMemoryUtilization', 70);
      policy('ALBRequestCountPerTarget', 500);
      expect(orders.scaling).toBeDefined();
    });

    test('minCapacity defaults to desiredCount; the first service scales too', () => {
      const { stack } = newApi({ desiredCount: 3, autoScaling: { maxCapacity: 6, targetCpuUtilizationPercent: 50 } });
      Template.fromStack(stack).hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 3, MaxCapacity: 6 });
    });

    test('one extra service with one scaling policy adds exactly 12 resources', () => {
      const count = (extra: boolean) => {
        const { stack, api } = newApi();
        if (extra) {
          api.addService('Orders', { image: ORDERS, pathPatterns: ['/orders*'], autoScaling: { maxCapacity: 4, targetCpuUtilizationPercent: 60 } });
        }
        return Object.keys(Template.fromStack(stack).toJSON().Resources).length;
      };
      expect(count(true) - count(false)).toBe(12);
    });
  });

  describe('scale', () => {
    test('35 services synthesize in one stack, under 500 resources', () => {
      const { stack, api } = newApi();
      for (let i = 1; i < 35; i++) {
        api.addService(`Service${i}`, { image: ORDERS, pathPatterns: [`/s${i}/*`], autoScaling: { maxCapacity: 4, targetCpuUtilizationPercent: 60 } });
      }
      const resources = Object.keys(Template.fromStack(stack).toJSON().Resources).length;
      expect(api.services).toHaveLength(35);
      expect(resources).toBeLessThan(500);
    });

    test('a service in another stack shares the ALB and the endpoint, without a dependency cycle', () => {
      const app = new App({ context });
      const apiStack = new Stack(app, 'ApiStack');
      const api = new EcsPrivateLinkApi(apiStack, 'Api', { image: IMAGE });
      const servicesStack = new Stack(app, 'MoreServices');
      const orders = new ApiService(servicesStack, 'Orders', { api, image: ORDERS, pathPatterns: ['/orders*'] });
      const template = Template.fromStack(servicesStack);
      template.resourceCountIs('AWS::ECS::Service', 1);
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', { ListenerArn: { 'Fn::ImportValue': Match.anyValue() } });
      expect(servicesStack.dependencies).toEqual([apiStack]);
      expect(apiStack.dependencies).toEqual([]);
      expect(api.services).toContain(orders);
      app.synth();
    });
  });

  describe('warnings', () => {
    test('more than 60 services: the ALB security group passes the default rule quota', () => {
      const { stack, api } = newApi();
      // 60 more services, in two stacks of their own (one stack holds about 38).
      for (const half of [1, 2]) {
        const more = new Stack(stack.node.root as App, `More${half}`);
        for (let i = 1; i <= 30; i++) {
          new ApiService(more, `S${half}x${i}`, { api, image: ORDERS, pathPatterns: [`/s${half}x${i}/*`] });
        }
      }
      expect(api.services).toHaveLength(61);
      expect(warnings(stack, /the ALB security group has an egress rule per service/)).toHaveLength(1);
    });
  });

  test('logicalIdOf finds the listener rule of a service (sanity of the helpers)', () => {
    const { stack, api } = newApi();
    api.addService('Orders', { image: ORDERS, pathPatterns: ['/orders*'] });
    expect(logicalIdOf(Template.fromStack(stack), 'AWS::ElasticLoadBalancingV2::ListenerRule')).toMatch(/^ApiOrdersRule/);
  });
});
