import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { FLAG_SETTINGS, groupIdOf, logicalIdOf } from './helpers';
import { buildDemo } from '../examples/demo/demo-stacks';

describe.each(FLAG_SETTINGS)('demo app with $name', ({ context }) => {
  function synth() {
    // GIVEN / WHEN
    const { provider, consumer } = buildDemo(new App({ context }));
    return { provider: Template.fromStack(provider), consumer: Template.fromStack(consumer), stacks: { provider, consumer } };
  }

  test('the consumer endpoint connects to the provider endpoint service, on port 80, without private DNS', () => {
    const { provider, consumer } = synth();
    const service = logicalIdOf(provider, 'AWS::EC2::VPCEndpointService');
    // The provider publishes the service ID (an export, or an output read with
    // Fn::GetStackOutput under weak references); the consumer's service name reads it.
    const [outputName, output] = Object.entries(provider.findOutputs('*', { Value: { Ref: service } }))[0];
    const reference = output.Export ? { 'Fn::ImportValue': output.Export.Name } : { 'Fn::GetStackOutput': Match.objectLike({ OutputName: outputName }) };
    consumer.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'Interface',
      ServiceName: { 'Fn::Join': ['.', ['com.amazonaws.vpce', { Ref: 'AWS::Region' }, reference]] },
      PrivateDnsEnabled: false,
      SubnetIds: [Match.anyValue(), Match.anyValue()],
    });
  });

  test('the path: endpoint service -> NLB TCP 80 -> alb target group 8888 -> ALB HTTP 8888 -> tasks 8080', () => {
    const { provider } = synth();
    const nlb = logicalIdOf(provider, 'AWS::ElasticLoadBalancingV2::LoadBalancer', { Type: 'network', Scheme: 'internal' });
    const alb = logicalIdOf(provider, 'AWS::ElasticLoadBalancingV2::LoadBalancer', { Type: 'application', Scheme: 'internal' });
    const albTg = logicalIdOf(provider, 'AWS::ElasticLoadBalancingV2::TargetGroup', { TargetType: 'alb' });
    const taskTg = logicalIdOf(provider, 'AWS::ElasticLoadBalancingV2::TargetGroup', { TargetType: 'ip' });

    provider.hasResourceProperties('AWS::EC2::VPCEndpointService', { NetworkLoadBalancerArns: [{ Ref: nlb }], AcceptanceRequired: true });
    provider.hasResourceProperties('AWS::EC2::VPCEndpointServicePermissions', {
      AllowedPrincipals: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':root']] }],
    });
    provider.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      LoadBalancerArn: { Ref: nlb }, Protocol: 'TCP', Port: 80, DefaultActions: [{ Type: 'forward', TargetGroupArn: { Ref: albTg } }],
    });
    provider.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      TargetType: 'alb', Port: 8888, Targets: [{ Id: { Ref: alb }, Port: 8888 }], HealthCheckPath: '/api/tasks',
    });
    provider.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      LoadBalancerArn: { Ref: alb }, Protocol: 'HTTP', Port: 8888, DefaultActions: [{ Type: 'forward', TargetGroupArn: { Ref: taskTg } }],
    });
    provider.hasResourceProperties('AWS::ECS::Service', {
      DesiredCount: 2,
      LoadBalancers: [{ ContainerName: 'api', ContainerPort: 8080, TargetGroupArn: { Ref: taskTg } }],
    });
    provider.hasResourceProperties('AWS::ECS::TaskDefinition', {
      Cpu: '256',
      Memory: '512',
      ContainerDefinitions: [Match.objectLike({ Image: 'lvthillo/python-flask-api', PortMappings: [Match.objectLike({ ContainerPort: 8080 })] })],
    });
  });

  test('provider security groups: tasks <- ALB on 8080, ALB <- NLB on 8888, nothing else', () => {
    const { provider } = synth();
    const sg = (d: string) => logicalIdOf(provider, 'AWS::EC2::SecurityGroup', { GroupDescription: Match.stringLikeRegexp(d) });
    const ingress = Object.values(provider.findResources('AWS::EC2::SecurityGroupIngress')).map(r => r.Properties);
    expect(ingress).toHaveLength(2);
    expect(ingress).toContainEqual(expect.objectContaining({ GroupId: groupIdOf(sg('^Tasks of')), SourceSecurityGroupId: groupIdOf(sg('^ALB of')), FromPort: 8080 }));
    expect(ingress).toContainEqual(expect.objectContaining({ GroupId: groupIdOf(sg('^ALB of')), SourceSecurityGroupId: groupIdOf(sg('^NLB of')), FromPort: 8888 }));
  });

  test('consumer: only the probe may reach the endpoint, on port 80, and the probe reaches nothing else; it calls the endpoint\'s URL', () => {
    const { consumer } = synth();
    const endpointSg = logicalIdOf(consumer, 'AWS::EC2::SecurityGroup', { GroupDescription: Match.stringLikeRegexp('^PrivateLink endpoint') });
    const probeSg = logicalIdOf(consumer, 'AWS::EC2::SecurityGroup', { GroupDescription: Match.stringLikeRegexp('^Probe ') });
    const ingress = Object.values(consumer.findResources('AWS::EC2::SecurityGroupIngress')).map(r => r.Properties);
    expect(ingress).toEqual([expect.objectContaining({
      GroupId: groupIdOf(endpointSg), SourceSecurityGroupId: groupIdOf(probeSg), FromPort: 80, ToPort: 80, IpProtocol: 'tcp',
    })]);
    const egress = Object.values(consumer.findResources('AWS::EC2::SecurityGroupEgress')).map(r => r.Properties);
    expect(egress).toEqual([expect.objectContaining({
      GroupId: groupIdOf(probeSg), DestinationSecurityGroupId: groupIdOf(endpointSg), FromPort: 80, ToPort: 80, IpProtocol: 'tcp',
    })]);
    expect(consumer.toJSON().Resources[endpointSg].Properties.SecurityGroupIngress).toBeUndefined();
    const endpoint = logicalIdOf(consumer, 'AWS::EC2::VPCEndpoint');
    const probe = logicalIdOf(consumer, 'AWS::Lambda::Function', { Description: Match.stringLikeRegexp('through PrivateLink') });
    consumer.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      VpcConfig: Match.objectLike({ SecurityGroupIds: [groupIdOf(probeSg)] }),
      Environment: { Variables: Match.objectLike({ API_URL: Match.anyValue(), PATHS: '["/api/tasks","/api/task/2"]' }) },
    });
    const url = JSON.stringify(consumer.toJSON().Resources[probe].Properties.Environment.Variables.API_URL);
    expect(url).toContain(endpoint);
    expect(url).toContain(':80');
  });

  test('operations: the provider accepts its own account automatically, is monitored, and the consumer probes every 5 minutes', () => {
    const { provider, consumer } = synth();
    provider.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('accepts connection requests'),
      Environment: { Variables: { SERVICE_ID: { Ref: logicalIdOf(provider, 'AWS::EC2::VPCEndpointService') }, AUTO_ACCEPT_ACCOUNTS: Match.anyValue() } },
    });
    provider.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    // the chain (4) and the one service (unhealthy targets, 5XX, response time, running tasks)
    provider.resourceCountIs('AWS::CloudWatch::Alarm', 8);
    consumer.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(5 minutes)' });
    consumer.hasResourceProperties('AWS::CloudWatch::Alarm', { Namespace: 'PrivateLinkProbe', MetricName: 'Success', TreatMissingData: 'breaching' });
  });

  test('the consumer VPC has no NAT gateway; the provider VPC has one', () => {
    const { provider, consumer } = synth();
    consumer.resourceCountIs('AWS::EC2::NatGateway', 0);
    provider.resourceCountIs('AWS::EC2::NatGateway', 1);
  });

  test('outputs tell the user what to run after deploy', () => {
    const { consumer, provider } = synth();
    expect(Object.keys(consumer.findOutputs('*'))).toEqual(expect.arrayContaining(['ProbeFunctionName', 'TestCommand', expect.stringMatching(/^TaskApiEndpointUrl/)]));
    expect(JSON.stringify(consumer.findOutputs('TestCommand'))).toContain('aws lambda invoke');
    expect(Object.keys(provider.findOutputs('*'))).toEqual(expect.arrayContaining([
      expect.stringMatching(/^TaskApiEndpointServiceName/), 'AlarmTopicArn', 'DashboardName',
    ]));
  });
});
