import { Aws, CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { FLAG_SETTINGS, IMAGE, NLB_SG_FLAG, groupIdOf, logicalIdOf, newStack, newVpc, warnings } from './helpers';
import { EcsPrivateLinkApi, EcsPrivateLinkApiProps } from '../src';

test('the recommended flag set includes the NLB security-group flag, so both settings are exercised', () => {
  expect((cxapi.CURRENTLY_RECOMMENDED_FLAGS as Record<string, unknown>)[NLB_SG_FLAG]).toBe(true);
});

describe.each(FLAG_SETTINGS)('EcsPrivateLinkApi with $name', ({ context }) => {
  function build(props: Partial<EcsPrivateLinkApiProps> = {}, stack: Stack = newStack(context)) {
    const api = new EcsPrivateLinkApi(stack, 'Api', { image: IMAGE, ...props });
    return { stack, api, template: Template.fromStack(stack) };
  }

  describe('defaults', () => {
    test('a new VPC like the blog network module: 2 AZs, public + private subnets, 1 NAT gateway', () => {
      // WHEN
      const { template } = build();
      // THEN
      template.resourceCountIs('AWS::EC2::VPC', 1);
      template.resourceCountIs('AWS::EC2::Subnet', 4);
      template.resourceCountIs('AWS::EC2::NatGateway', 1);
      template.resourceCountIs('AWS::ECS::Cluster', 1);
    });

    test('a Fargate service of 2 tasks in private subnets, with circuit breaker and rollback, 100/200 %', () => {
      const { template, api } = build();
      template.hasResourceProperties('AWS::ECS::Service', {
        LaunchType: 'FARGATE',
        DesiredCount: 2,
        HealthCheckGracePeriodSeconds: 60,
        DeploymentConfiguration: Match.objectLike({
          DeploymentCircuitBreaker: { Enable: true, Rollback: true },
          MinimumHealthyPercent: 100,
          MaximumPercent: 200,
        }),
        NetworkConfiguration: {
          AwsvpcConfiguration: Match.objectLike({
            AssignPublicIp: 'DISABLED',
            Subnets: api.vpc.privateSubnets.map(s => Stack.of(api).resolve(s.subnetId)),
          }),
        },
      });
    });

    test('a 256 CPU / 512 MiB task on port 80 logging to a log group kept one month', () => {
      const { template } = build();
      template.hasResourceProperties('AWS::ECS::TaskDefinition', {
        Cpu: '256',
        Memory: '512',
        RequiresCompatibilities: ['FARGATE'],
        ContainerDefinitions: [Match.objectLike({
          Name: 'api',
          Image: 'lvthillo/python-flask-api',
          PortMappings: [Match.objectLike({ ContainerPort: 80, Protocol: 'tcp' })],
          LogConfiguration: Match.objectLike({ LogDriver: 'awslogs' }),
        })],
      });
      template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    });

    test('an internal ALB that drops invalid headers, idle 60 s, with an HTTP listener forwarding to the tasks', () => {
      const { template } = build();
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
        Type: 'application',
        Scheme: 'internal',
        LoadBalancerAttributes: Match.arrayWith([
          { Key: 'deletion_protection.enabled', Value: 'false' },
          { Key: 'idle_timeout.timeout_seconds', Value: '60' },
          { Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' },
        ]),
      });
      const tasksTg = logicalIdOf(template, 'AWS::ElasticLoadBalancingV2::TargetGroup', { TargetType: 'ip' });
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
        Protocol: 'HTTP',
        Port: 80,
        DefaultActions: [{ Type: 'forward', TargetGroupArn: { Ref: tasksTg } }],
      });
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
        TargetType: 'ip', Protocol: 'HTTP', Port: 80, HealthCheckPath: '/', Matcher: { HttpCode: '200' },
      });
    });

    test('an internal NLB with its own security group, cross-zone on, PrivateLink inbound rules not enforced', () => {
      const { template } = build();
      const nlbSg = logicalIdOf(template, 'AWS::EC2::SecurityGroup', { GroupDescription: Match.stringLikeRegexp('^NLB of') });
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
        Type: 'network',
        Scheme: 'internal',
        SecurityGroups: [groupIdOf(nlbSg)],
        EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic: 'off',
        LoadBalancerAttributes: Match.arrayWith([{ Key: 'load_balancing.cross_zone.enabled', Value: 'true' }]),
      });
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
        Protocol: 'TCP',
        Port: 80,
        ListenerAttributes: [{ Key: 'tcp.idle_timeout.seconds', Value: '350' }],
      });
    });

    test('the NLB target group is of type alb, on the ALB listener port, and waits for the ALB listener', () => {
      const { template } = build({ port: 80, loadBalancerPort: 8888 });
      const albListener = logicalIdOf(template, 'AWS::ElasticLoadBalancingV2::Listener', { Protocol: 'HTTP' });
      const alb = logicalIdOf(template, 'AWS::ElasticLoadBalancingV2::LoadBalancer', { Type: 'application' });
      template.hasResource('AWS::ElasticLoadBalancingV2::TargetGroup', {
        Properties: Match.objectLike({
          TargetType: 'alb',
          Protocol: 'TCP',
          Port: 8888,
          Targets: [{ Id: { Ref: alb }, Port: 8888 }],
          HealthCheckProtocol: 'HTTP',
          HealthCheckPath: '/',
        }),
        DependsOn: Match.arrayWith([albListener]),
      });
    });

    test('the alb-type target group sets only protocol, path and interval of its health check (AWS\'s defaults for the rest)', () => {
      // GIVEN a health check with every field set
      const { template } = build({ healthCheck: { path: '/health', healthyHttpCodes: '200-204', interval: Duration.seconds(10), timeout: Duration.seconds(4) } });
      // THEN the alb-type target group carries neither a timeout nor a matcher (the ALB's own target group does)
      const albTg = Object.values(template.findResources('AWS::ElasticLoadBalancingV2::TargetGroup', { Properties: { TargetType: 'alb' } }))[0].Properties;
      expect(Object.keys(albTg).filter(k => /^HealthCheck|Matcher|Threshold|TargetGroupAttributes/.test(k)).sort())
        .toEqual(['HealthCheckIntervalSeconds', 'HealthCheckPath', 'HealthCheckProtocol']);
      expect(albTg).toMatchObject({ HealthCheckPath: '/health', HealthCheckIntervalSeconds: 10, HealthCheckProtocol: 'HTTP' });
    });

    test('an endpoint service that requires acceptance, allows nobody, and is output', () => {
      const { template, stack } = build();
      const nlb = logicalIdOf(template, 'AWS::ElasticLoadBalancingV2::LoadBalancer', { Type: 'network' });
      template.hasResourceProperties('AWS::EC2::VPCEndpointService', {
        AcceptanceRequired: true,
        NetworkLoadBalancerArns: [{ Ref: nlb }],
      });
      template.resourceCountIs('AWS::EC2::VPCEndpointServicePermissions', 0);
      const service = logicalIdOf(template, 'AWS::EC2::VPCEndpointService');
      expect(Object.values(template.findOutputs('*')).map(o => JSON.stringify(o.Value))).toEqual([
        expect.stringContaining(service),
      ]);
      expect(Annotations.fromStack(stack).findInfo('*', Match.stringLikeRegexp('allowedPrincipals is empty'))).toHaveLength(1);
    });
  });

  describe('security groups: tasks <- ALB <- NLB, nothing else', () => {
    function buildWithGroups() {
      const { template } = build({ containerPort: 8080, port: 80, loadBalancerPort: 8888 });
      const sg = (description: string) =>
        logicalIdOf(template, 'AWS::EC2::SecurityGroup', { GroupDescription: Match.stringLikeRegexp(description) });
      return { template, nlbSg: sg('^NLB of'), albSg: sg('^ALB of'), taskSg: sg('^Tasks of') };
    }

    test('three security groups, no inline ingress anywhere', () => {
      const { template } = buildWithGroups();
      template.resourceCountIs('AWS::EC2::SecurityGroup', 3);
      for (const group of Object.values(template.findResources('AWS::EC2::SecurityGroup'))) {
        expect(group.Properties.SecurityGroupIngress).toBeUndefined();
      }
    });

    test('exactly two ingress rules: ALB from the NLB on 8888, tasks from the ALB on 8080', () => {
      const { template, nlbSg, albSg, taskSg } = buildWithGroups();
      const ingress = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress')).map(r => r.Properties);
      expect(ingress).toHaveLength(2);
      expect(ingress).toContainEqual(expect.objectContaining({
        GroupId: groupIdOf(taskSg), SourceSecurityGroupId: groupIdOf(albSg), FromPort: 8080, ToPort: 8080, IpProtocol: 'tcp',
      }));
      expect(ingress).toContainEqual(expect.objectContaining({
        GroupId: groupIdOf(albSg), SourceSecurityGroupId: groupIdOf(nlbSg), FromPort: 8888, ToPort: 8888, IpProtocol: 'tcp',
      }));
    });

    test('the NLB may only reach the ALB listener, the ALB only the tasks', () => {
      const { template, nlbSg, albSg, taskSg } = buildWithGroups();
      const egress = Object.values(template.findResources('AWS::EC2::SecurityGroupEgress')).map(r => r.Properties);
      expect(egress).toHaveLength(2);
      expect(egress).toContainEqual(expect.objectContaining({
        GroupId: groupIdOf(nlbSg), DestinationSecurityGroupId: groupIdOf(albSg), FromPort: 8888, ToPort: 8888,
      }));
      expect(egress).toContainEqual(expect.objectContaining({
        GroupId: groupIdOf(albSg), DestinationSecurityGroupId: groupIdOf(taskSg), FromPort: 8080, ToPort: 8080,
      }));
      // Neither load balancer keeps an allow-all egress rule.
      for (const id of [nlbSg, albSg]) {
        const props = template.toJSON().Resources[id].Properties;
        expect(JSON.stringify(props.SecurityGroupEgress ?? [])).not.toContain('0.0.0.0/0');
      }
    });

    test('no CIDR anywhere in the ingress rules (the ALB listener is not opened to 0.0.0.0/0)', () => {
      const { template } = buildWithGroups();
      expect(JSON.stringify(template.findResources('AWS::EC2::SecurityGroupIngress'))).not.toMatch(/CidrIp/);
    });
  });

  describe('props', () => {
    test('vpc: an existing VPC is used, none is created', () => {
      const stack = newStack(context);
      const vpc = newVpc(stack);
      const { template, api } = build({ vpc }, stack);
      template.resourceCountIs('AWS::EC2::VPC', 1);
      expect(api.vpc).toBe(vpc);
    });

    test('cluster: an existing cluster and its VPC are used', () => {
      const stack = newStack(context);
      const cluster = new ecs.Cluster(stack, 'Cluster', { vpc: newVpc(stack) });
      const { template, api } = build({ cluster }, stack);
      template.resourceCountIs('AWS::ECS::Cluster', 1);
      template.hasResourceProperties('AWS::ECS::Service', { Cluster: { Ref: stack.getLogicalId(cluster.node.defaultChild as ecs.CfnCluster) } });
      expect(api.vpc).toBe(cluster.vpc);
    });

    test('taskSubnets and loadBalancerSubnets place tasks and load balancers', () => {
      const stack = newStack(context);
      const vpc = new ec2.Vpc(stack, 'Vpc', {
        maxAzs: 2,
        subnetConfiguration: [
          { name: 'public', subnetType: ec2.SubnetType.PUBLIC },
          { name: 'tasks', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
          { name: 'lbs', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
        ],
      });
      const { template } = build({ vpc, loadBalancerSubnets: { subnetGroupName: 'lbs' }, taskSubnets: { subnetGroupName: 'tasks' } }, stack);
      const ids = (group: string) => vpc.selectSubnets({ subnetGroupName: group }).subnetIds.map(id => stack.resolve(id));
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Type: 'network', Subnets: ids('lbs') });
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Type: 'application', Subnets: ids('lbs') });
      template.hasResourceProperties('AWS::ECS::Service', {
        NetworkConfiguration: { AwsvpcConfiguration: Match.objectLike({ Subnets: ids('tasks') }) },
      });
    });

    test('image, containerPort, cpu, memoryLimitMiB, environment, secrets, logRetention, desiredCount', () => {
      const stack = newStack(context);
      const secret = new secretsmanager.Secret(stack, 'Secret');
      const { template } = build({
        containerPort: 8080,
        cpu: 512,
        memoryLimitMiB: 2048,
        desiredCount: 3,
        environment: { STAGE: 'prod' },
        secrets: { TOKEN: ecs.Secret.fromSecretsManager(secret) },
        logRetention: logs.RetentionDays.ONE_WEEK,
      }, stack);
      template.hasResourceProperties('AWS::ECS::TaskDefinition', {
        Cpu: '512',
        Memory: '2048',
        ContainerDefinitions: [Match.objectLike({
          PortMappings: [Match.objectLike({ ContainerPort: 8080 })],
          Environment: [{ Name: 'STAGE', Value: 'prod' }],
          Secrets: [Match.objectLike({ Name: 'TOKEN' })],
        })],
      });
      template.hasResourceProperties('AWS::ECS::Service', { DesiredCount: 3 });
      template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { TargetType: 'ip', Port: 8080 });
    });

    test('taskDefinition: your own task definition and its container port are used', () => {
      const stack = newStack(context);
      const taskDefinition = new ecs.FargateTaskDefinition(stack, 'Td', { cpu: 1024, memoryLimitMiB: 2048 });
      taskDefinition.addContainer('web', { image: IMAGE, portMappings: [{ containerPort: 9000 }] });
      const { template, api } = build({ image: undefined, taskDefinition }, stack);
      expect(api.taskDefinition).toBe(taskDefinition);
      expect(api.logGroup).toBeUndefined();
      template.resourceCountIs('AWS::ECS::TaskDefinition', 1);
      template.hasResourceProperties('AWS::ECS::Service', {
        LoadBalancers: [Match.objectLike({ ContainerName: 'web', ContainerPort: 9000 })],
      });
    });

    test('healthCheck is used by the ALB on the tasks and (path and interval) by the NLB on the ALB', () => {
      const { template } = build({ healthCheck: { path: '/api/tasks', healthyHttpCodes: '200-299', interval: Duration.seconds(10), timeout: Duration.seconds(4) } });
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
        TargetType: 'ip',
        HealthCheckPath: '/api/tasks',
        Matcher: { HttpCode: '200-299' },
        HealthCheckIntervalSeconds: 10,
        HealthCheckTimeoutSeconds: 4,
      });
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
        TargetType: 'alb',
        HealthCheckPath: '/api/tasks',
        HealthCheckIntervalSeconds: 10,
        Matcher: Match.absent(),
        HealthCheckTimeoutSeconds: Match.absent(),
      });
    });

    test('port and loadBalancerPort: NLB listener on one, ALB listener on the other (the blog: 80 and 8888)', () => {
      const { template, api } = build({ port: 80, loadBalancerPort: 8888 });
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Protocol: 'TCP', Port: 80 });
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Protocol: 'HTTP', Port: 8888 });
      expect([api.port, api.loadBalancerPort]).toEqual([80, 8888]);
    });

    test('loadBalancerPort defaults to port', () => {
      const { template } = build({ port: 9443 });
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Protocol: 'TCP', Port: 9443 });
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Protocol: 'HTTP', Port: 9443 });
    });

    test('crossZoneEnabled: false', () => {
      const { template } = build({ crossZoneEnabled: false });
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
        Type: 'network',
        LoadBalancerAttributes: Match.arrayWith([{ Key: 'load_balancing.cross_zone.enabled', Value: 'false' }]),
      });
    });

    test('idle timeouts of both load balancers', () => {
      const { template } = build({ loadBalancerIdleTimeout: Duration.seconds(300), networkLoadBalancerIdleTimeout: Duration.minutes(10) });
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
        Type: 'application',
        LoadBalancerAttributes: Match.arrayWith([{ Key: 'idle_timeout.timeout_seconds', Value: '300' }]),
      });
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
        Protocol: 'TCP', ListenerAttributes: [{ Key: 'tcp.idle_timeout.seconds', Value: '600' }],
      });
    });

    test('allowedPrincipals: account IDs become root ARNs, ARNs stay, the stack account token is an account', () => {
      const { template } = build({
        allowedPrincipals: ['111122223333', 'arn:aws:iam::444455556666:role/consumer', Aws.ACCOUNT_ID],
      });
      template.hasResourceProperties('AWS::EC2::VPCEndpointServicePermissions', {
        AllowedPrincipals: [
          { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111122223333:root']] },
          'arn:aws:iam::444455556666:role/consumer',
          { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':root']] },
        ],
      });
    });

    test('acceptanceRequired: false', () => {
      const { template } = build({ acceptanceRequired: false, allowedPrincipals: ['111122223333'] });
      template.hasResourceProperties('AWS::EC2::VPCEndpointService', { AcceptanceRequired: false });
    });

    test('enforceSecurityGroupInboundRulesOnPrivateLinkTraffic: on, with a warning', () => {
      const { template, stack } = build({ enforceSecurityGroupInboundRulesOnPrivateLinkTraffic: true });
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
        Type: 'network', EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic: 'on',
      });
      expect(warnings(stack, /enforceSecurityGroupInboundRulesOnPrivateLinkTraffic is on/)).toHaveLength(1);
    });

    test('circuitBreaker, minHealthyPercent, maxHealthyPercent, healthCheckGracePeriod', () => {
      const { template } = build({
        circuitBreaker: { enable: true, rollback: false },
        minHealthyPercent: 50,
        maxHealthyPercent: 150,
        healthCheckGracePeriod: Duration.minutes(2),
      });
      template.hasResourceProperties('AWS::ECS::Service', {
        HealthCheckGracePeriodSeconds: 120,
        DeploymentConfiguration: Match.objectLike({
          DeploymentCircuitBreaker: { Enable: true, Rollback: false },
          MinimumHealthyPercent: 50,
          MaximumPercent: 150,
        }),
      });
    });

    test('deletionProtection protects both load balancers', () => {
      const { template } = build({ deletionProtection: true });
      const lbs = template.findResources('AWS::ElasticLoadBalancingV2::LoadBalancer', {
        Properties: { LoadBalancerAttributes: Match.arrayWith([{ Key: 'deletion_protection.enabled', Value: 'true' }]) },
      });
      expect(Object.keys(lbs)).toHaveLength(2);
    });

    test('serviceNameOutput: false adds no output', () => {
      const { template } = build({ serviceNameOutput: false });
      expect(template.findOutputs('*')).toEqual({});
    });

    test('public properties expose the L2s', () => {
      const { api } = build();
      expect(Stack.of(api).resolve(api.endpointServiceName)).toEqual(Stack.of(api).resolve(api.endpointService.vpcEndpointServiceName));
      expect(api.networkLoadBalancer.connections.securityGroups).toEqual([api.networkLoadBalancerSecurityGroup]);
      expect(api.loadBalancer.connections.securityGroups).toEqual([api.loadBalancerSecurityGroup]);
      expect(api.connections).toBe(api.service.connections);
      expect(api.service.connections.securityGroups).toEqual([api.serviceSecurityGroup]);
      expect(api.listener.port).toBe(80);
      expect(api.networkListener).toBeDefined();
      expect(api.networkTargetGroup).toBeDefined();
      expect(api.targetGroup).toBeDefined();
    });

    test('connections let the tasks reach a database', () => {
      const stack = newStack(context);
      const vpc = newVpc(stack);
      const db = new ec2.SecurityGroup(stack, 'Db', { vpc });
      const api = new EcsPrivateLinkApi(stack, 'Api', { vpc, image: IMAGE });
      // WHEN
      db.connections.allowFrom(api, ec2.Port.tcp(5432));
      // THEN
      Template.fromStack(stack).hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
        FromPort: 5432, SourceSecurityGroupId: stack.resolve(api.serviceSecurityGroup.securityGroupId),
      });
    });
  });

  describe('validation', () => {
    test('errors name the construct path', () => {
      expect(() => build({ port: 0 })).toThrow(/^Test\/Api: invalid port 0/);
    });

    test('tokens are not validated at synth time', () => {
      const stack = newStack(context);
      const port = new CfnParameter(stack, 'Port', { type: 'Number' }).valueAsNumber;
      const principal = new CfnParameter(stack, 'Principal').valueAsString;
      const { template } = build({ port, allowedPrincipals: [principal] }, stack);
      template.hasResourceProperties('AWS::EC2::VPCEndpointServicePermissions', { AllowedPrincipals: [{ Ref: 'Principal' }] });
    });
  });

  describe('warnings', () => {
    test('* with acceptanceRequired false: anyone can connect without approval', () => {
      const { stack } = build({ allowedPrincipals: ['*'], acceptanceRequired: false });
      expect(warnings(stack, /any AWS account can connect/)).toHaveLength(1);
    });

    test('* with acceptance required: no warning', () => {
      const { stack } = build({ allowedPrincipals: ['*'] });
      expect(warnings(stack, /any AWS account can connect/)).toHaveLength(0);
    });
  });
});

describe.each(FLAG_SETTINGS)('EcsPrivateLinkApi production features with $name', ({ context }) => {
  const CERT = 'arn:aws:acm:eu-west-1:111122223333:certificate/00000000-0000-0000-0000-000000000000';
  function build(props: (stack: Stack) => Partial<EcsPrivateLinkApiProps>, env?: { account: string; region: string }) {
    const stack = newStack(context, env);
    if (env) {
      stack.node.setContext(`availability-zones:account=${env.account}:region=${env.region}`, [`${env.region}a`, `${env.region}b`]);
    }
    const api = new EcsPrivateLinkApi(stack, 'Api', { image: IMAGE, containerPort: 8080, ...props(stack) });
    return { stack, api, template: Template.fromStack(stack) };
  }
  const certificate = (stack: Stack) => acm.Certificate.fromCertificateArn(stack, 'Cert', CERT);
  const zone = (stack: Stack) => route53.PublicHostedZone.fromPublicHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' });

  describe('HTTPS end to end', () => {
    test('a certificate: HTTPS on the ALB with a current TLS policy, TCP 443 on the NLB, HTTPS health checks through the ALB', () => {
      const { template, api } = build(s => ({ certificate: certificate(s) }));
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
        Protocol: 'HTTPS', Port: 443, Certificates: [{ CertificateArn: CERT }], SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      });
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Protocol: 'TCP', Port: 443 });
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { TargetType: 'alb', Port: 443, HealthCheckProtocol: 'HTTPS' });
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { TargetType: 'ip', Protocol: 'HTTP', Port: 8080 });
      expect([api.protocol, api.port]).toEqual(['HTTPS', 443]);
    });

    test('sslPolicy is configurable', () => {
      const { template } = build(s => ({ certificate: certificate(s), sslPolicy: elbv2.SslPolicy.TLS13_13 }));
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Protocol: 'HTTPS', SslPolicy: 'ELBSecurityPolicy-TLS13-1-3-2021-06' });
    });

    test('redirectHttp: port 80 on the NLB and the ALB, redirecting to HTTPS on the consumer port', () => {
      const { template, api } = build(s => ({ certificate: certificate(s), redirectHttp: true }));
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
        Protocol: 'HTTP',
        Port: 80,
        DefaultActions: [{ Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } }],
      });
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Protocol: 'TCP', Port: 80 });
      // The redirect's 301 is inside the default matcher of an alb-type target group (200-399).
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { TargetType: 'alb', Port: 80, HealthCheckProtocol: 'HTTP', Matcher: Match.absent() });
      template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
        FromPort: 80, ToPort: 80, GroupId: groupIdOf(logicalIdOf(template, 'AWS::EC2::SecurityGroup', { GroupDescription: Match.stringLikeRegexp('^ALB of') })),
      });
      expect(api.redirectListener?.port).toBe(80);
    });
  });

  describe('private DNS name', () => {
    test('without a zone: the name is set on the service and the TXT record is exposed, not published', () => {
      const { template, api, stack } = build(() => ({ privateDnsName: 'api.example.com' }));
      const calls = JSON.stringify(template.findResources('Custom::AWS'));
      expect(calls).toContain('modifyVpcEndpointServiceConfiguration');
      expect(calls).toContain('\\"PrivateDnsName\\":\\"api.example.com\\"');
      expect(calls).toContain('RemovePrivateDnsName');
      expect(calls).not.toContain('startVpcEndpointServicePrivateDnsVerification');
      template.resourceCountIs('AWS::Route53::RecordSet', 0);
      const reader = Object.keys(template.findResources('Custom::AWS')).find(id => id.includes('ReadVerificationRecord'))!;
      expect(JSON.stringify(template.toJSON().Resources[reader].Properties.Create)).toContain('describeVpcEndpointServiceConfigurations');
      expect(stack.resolve(api.privateDnsVerificationRecordName)).toEqual({ 'Fn::GetAtt': [reader, 'ServiceConfigurations.0.PrivateDnsNameConfiguration.Name'] });
      expect(stack.resolve(api.privateDnsVerificationRecordValue)).toEqual({ 'Fn::GetAtt': [reader, 'ServiceConfigurations.0.PrivateDnsNameConfiguration.Value'] });
      expect(api.privateDnsName).toBe('api.example.com');
    });

    test('with a public hosted zone: the TXT record is published and verification starts after it', () => {
      const { template } = build(s => ({ privateDnsName: 'api.example.com', publicHostedZone: zone(s) }));
      const record = logicalIdOf(template, 'AWS::Route53::RecordSet', { Type: 'TXT', HostedZoneId: 'Z0123456789ABCDEFGHIJ' });
      template.hasResource('Custom::AWS', {
        Properties: Match.objectLike({ Create: Match.anyValue() }),
        DependsOn: Match.arrayWith([record]),
      });
      expect(JSON.stringify(template.findResources('Custom::AWS'))).toContain('startVpcEndpointServicePrivateDnsVerification');
    });

    test('with allowedRegions, setting the name may use vpce:AllowMultiRegion', () => {
      const { template } = build(() => ({ privateDnsName: 'api.example.com', allowedRegions: ['us-east-1'] }));
      template.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: ['ec2:ModifyVpcEndpointServiceConfiguration', 'vpce:AllowMultiRegion'] })]) },
      });
    });
  });

  describe('connection notifications', () => {
    test('created: a topic with its own KMS key, notified on Connect, Accept, Reject and Delete, publishable by vpce only', () => {
      const { template, api, stack } = build(() => ({ connectionNotifications: true }));
      const topic = logicalIdOf(template, 'AWS::SNS::Topic');
      template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
      template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
      template.hasResourceProperties('AWS::EC2::VPCEndpointConnectionNotification', {
        ConnectionEvents: ['Connect', 'Accept', 'Reject', 'Delete'],
        ConnectionNotificationArn: { Ref: topic },
        ServiceId: { Ref: logicalIdOf(template, 'AWS::EC2::VPCEndpointService') },
      });
      // created once PrivateLink may publish to the topic
      template.hasResource('AWS::EC2::VPCEndpointConnectionNotification', {
        DependsOn: Match.arrayWith([logicalIdOf(template, 'AWS::SNS::TopicPolicy')]),
      });
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'vpce.amazonaws.com' },
            Action: 'sns:Publish',
            Condition: Match.objectLike({ StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } }),
          })]),
        },
      });
      expect(stack.resolve(api.notificationTopic!.topicArn)).toEqual({ Ref: topic });
    });

    test('given: the topic is used, none is created', () => {
      const { template } = build(s => ({ notificationTopic: new sns.Topic(s, 'Mine') }));
      template.resourceCountIs('AWS::SNS::Topic', 1);
      template.resourceCountIs('AWS::KMS::Key', 0);
      template.hasResourceProperties('AWS::EC2::VPCEndpointConnectionNotification', { ConnectionNotificationArn: { Ref: Match.stringLikeRegexp('^Mine') } });
    });

    test('off by default', () => {
      build(() => ({})).template.resourceCountIs('AWS::EC2::VPCEndpointConnectionNotification', 0);
    });
  });

  describe('cross-region and dual stack', () => {
    test('allowedRegions become the service\'s supported regions', () => {
      const { template } = build(() => ({ allowedRegions: ['us-east-1', 'eu-central-1'] }));
      template.hasResourceProperties('AWS::EC2::VPCEndpointService', { SupportedRegions: ['us-east-1', 'eu-central-1'] });
    });

    test('DUAL_STACK: a dual-stack NLB, IPv4 and IPv6 on the service, IPv6 CIDRs in the VPC the library creates', () => {
      const { template, api } = build(() => ({ ipAddressType: elbv2.IpAddressType.DUAL_STACK }));
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Type: 'network', IpAddressType: 'dualstack' });
      template.hasResourceProperties('AWS::EC2::VPCEndpointService', { SupportedIpAddressTypes: ['ipv4', 'ipv6'] });
      template.resourceCountIs('AWS::EC2::VPCCidrBlock', 1);
      expect(api.ipAddressType).toBe('dualstack');
    });
  });

  describe('observability', () => {
    test('accessLogs: a new SSE-S3, TLS-only bucket receives the ALB\'s logs', () => {
      const { template } = build(() => ({ accessLogs: true }), { account: '111122223333', region: 'eu-west-1' });
      template.hasResourceProperties('AWS::S3::Bucket', {
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        PublicAccessBlockConfiguration: Match.objectLike({ BlockPublicAcls: true, RestrictPublicBuckets: true }),
      });
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
      });
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
        Type: 'application',
        LoadBalancerAttributes: Match.arrayWith([
          { Key: 'access_logs.s3.enabled', Value: 'true' },
          { Key: 'access_logs.s3.bucket', Value: { Ref: logicalIdOf(template, 'AWS::S3::Bucket') } },
          { Key: 'access_logs.s3.prefix', Value: 'alb' },
        ]),
      });
    });

    test('accessLogsBucket: your bucket is used', () => {
      const { template, api } = build(s => ({ accessLogsBucket: new s3.Bucket(s, 'Logs') }), { account: '111122223333', region: 'eu-west-1' });
      template.resourceCountIs('AWS::S3::Bucket', 1);
      expect(api.accessLogsBucket?.node.id).toBe('Logs');
    });

    test('off by default', () => {
      build(() => ({})).template.resourceCountIs('AWS::S3::Bucket', 0);
    });

    test('contributorInsights on the endpoint service; containerInsights can be turned off', () => {
      const { template } = build(() => ({ contributorInsights: true, containerInsights: false }));
      template.hasResourceProperties('AWS::EC2::VPCEndpointService', { ContributorInsightsEnabled: true });
      template.hasResourceProperties('AWS::ECS::Cluster', { ClusterSettings: [{ Name: 'containerInsights', Value: 'disabled' }] });
    });

    test('containerInsights is on by default', () => {
      build(() => ({})).template.hasResourceProperties('AWS::ECS::Cluster', { ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }] });
    });
  });
});
