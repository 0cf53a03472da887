/** Each deploy-time rule rejects a template that breaks it, and accepts one that keeps it. */
import {
  albTargetGroup, capacityProviderDependency, DEPLOY_RULES, dualStackSubnets, indexedLookupRead, listenerRuleConditions,
  logGroupKeyPolicy, securityGroupDescriptions, servicePrincipalConditions, type DeployRule, type Template,
} from './rules';

const resources = (r: Template['Resources']): Template => ({ Resources: r });

/** An ALB with a listener on 8888, and an NLB target group of type alb on it. */
function albTarget(tg: Record<string, unknown> = {}, dependsOn: string[] = ['Listener']): Template {
  return resources({
    Alb: { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: { Type: 'application' } },
    Listener: { Type: 'AWS::ElasticLoadBalancingV2::Listener', Properties: { LoadBalancerArn: { Ref: 'Alb' }, Port: 8888, Protocol: 'HTTP' } },
    Tg: {
      Type: 'AWS::ElasticLoadBalancingV2::TargetGroup',
      DependsOn: dependsOn,
      Properties: { TargetType: 'alb', Protocol: 'TCP', Port: 8888, Targets: [{ Id: { Ref: 'Alb' }, Port: 8888 }], HealthCheckProtocol: 'HTTP', HealthCheckPath: '/health', ...tg },
    },
  });
}

const CASES: Array<{ rule: DeployRule; bad: Template; good: Template; says: RegExp }> = [
  { rule: albTargetGroup, bad: albTarget({ HealthCheckTimeoutSeconds: 5, Matcher: { HttpCode: '200' } }), good: albTarget(), says: /HealthCheckTimeoutSeconds is set/ },
  { rule: albTargetGroup, bad: albTarget({ Port: 80, Targets: [{ Id: { Ref: 'Alb' }, Port: 80 }] }), good: albTarget(), says: /no listener of Alb on port 80/ },
  { rule: albTargetGroup, bad: albTarget({}, []), good: albTarget(), says: /does not depend on the ALB listener Listener/ },
  { rule: albTargetGroup, bad: albTarget({ HealthCheckPort: '8889' }), good: albTarget({ HealthCheckPort: '8888' }), says: /no listener of Alb on the health-check port 8889/ },
  {
    rule: indexedLookupRead,
    bad: resources({
      Lookup: { Type: 'Custom::AWS', Properties: { Create: JSON.stringify({ action: 'describeSubnets', parameters: { Filters: [] } }) } },
      Endpoint: { Type: 'AWS::EC2::VPCEndpoint', Properties: { SubnetIds: [{ 'Fn::GetAtt': ['Lookup', 'Subnets.0.SubnetId'] }, { 'Fn::GetAtt': ['Lookup', 'Subnets.1.SubnetId'] }] } },
    }),
    good: resources({
      Reader: { Type: 'Custom::AWS', Properties: { Create: JSON.stringify({ action: 'describeVpcEndpointServiceConfigurations', parameters: { ServiceIds: ['vpce-svc-1'] } }) } },
      Record: { Type: 'AWS::Route53::RecordSet', Properties: { Name: { 'Fn::GetAtt': ['Reader', 'ServiceConfigurations.0.PrivateDnsNameConfiguration.Name'] } } },
    }),
    says: /'Subnets.1.SubnetId' is read/,
  },
  {
    rule: securityGroupDescriptions,
    bad: resources({ Sg: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: `Tasks of ${'Deep/'.repeat(60)}Api` } } }),
    good: resources({ Sg: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'Tasks of Stack/Api: only the ALB may connect' } } }),
    says: /breaks EC2's limits/,
  },
  {
    rule: securityGroupDescriptions,
    bad: resources({ Rule: { Type: 'AWS::EC2::SecurityGroupIngress', Properties: { Description: 'Clients of Team «api» & co' } } }),
    good: resources({ Rule: { Type: 'AWS::EC2::SecurityGroupIngress', Properties: { Description: 'Clients of Team_api_' } } }),
    says: /Description 'Clients of Team «api» & co/,
  },
  {
    rule: capacityProviderDependency,
    bad: resources({
      Cluster: { Type: 'AWS::ECS::Cluster' },
      Association: { Type: 'AWS::ECS::ClusterCapacityProviderAssociations', Properties: { Cluster: { Ref: 'Cluster' } } },
      Service: { Type: 'AWS::ECS::Service', Properties: { Cluster: { Ref: 'Cluster' }, CapacityProviderStrategy: [{ CapacityProvider: 'FARGATE_SPOT', Weight: 1 }] } },
    }),
    good: resources({
      Cluster: { Type: 'AWS::ECS::Cluster' },
      Association: { Type: 'AWS::ECS::ClusterCapacityProviderAssociations', Properties: { Cluster: { Ref: 'Cluster' } } },
      Service: { Type: 'AWS::ECS::Service', DependsOn: ['Association'], Properties: { Cluster: { Ref: 'Cluster' }, CapacityProviderStrategy: [{ CapacityProvider: 'FARGATE_SPOT', Weight: 1 }] } },
    }),
    says: /does not depend on Association/,
  },
  {
    rule: servicePrincipalConditions,
    bad: resources({ Key: { Type: 'AWS::KMS::Key', Properties: { KeyPolicy: { Statement: [{ Effect: 'Allow', Principal: { Service: 'vpce.amazonaws.com' }, Action: ['kms:Decrypt'], Resource: '*' }] } } } }),
    good: resources({
      Key: {
        Type: 'AWS::KMS::Key',
        Properties: { KeyPolicy: { Statement: [{ Effect: 'Allow', Principal: { Service: 'vpce.amazonaws.com' }, Action: ['kms:Decrypt'], Resource: '*', Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' } } }] } },
      },
    }),
    says: /allows "vpce.amazonaws.com" without a source condition/,
  },
  {
    rule: dualStackSubnets,
    bad: resources({
      Subnet: { Type: 'AWS::EC2::Subnet', Properties: { CidrBlock: '10.0.0.0/24' } },
      Nlb: { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: { Type: 'network', IpAddressType: 'dualstack', Subnets: [{ Ref: 'Subnet' }] } },
    }),
    good: resources({
      Subnet: { Type: 'AWS::EC2::Subnet', Properties: { CidrBlock: '10.0.0.0/24', Ipv6CidrBlock: '2001:db8::/64' } },
      Nlb: { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: { Type: 'network', IpAddressType: 'dualstack', Subnets: [{ Ref: 'Subnet' }] } },
    }),
    says: /dual stack, in subnet Subnet without an IPv6 CIDR/,
  },
  {
    rule: dualStackSubnets,
    bad: resources({
      Subnet: { Type: 'AWS::EC2::Subnet', Properties: { CidrBlock: '10.0.0.0/24' } },
      Endpoint: { Type: 'AWS::EC2::VPCEndpoint', Properties: { IpAddressType: 'ipv6', SubnetIds: [{ Ref: 'Subnet' }] } },
    }),
    good: resources({ Endpoint: { Type: 'AWS::EC2::VPCEndpoint', Properties: { IpAddressType: 'ipv4', SubnetIds: ['subnet-1'] } } }),
    says: /ipv6, in subnet Subnet/,
  },
  {
    rule: listenerRuleConditions,
    bad: resources({ Rule: { Type: 'AWS::ElasticLoadBalancingV2::ListenerRule', Properties: { Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/a', '/b', '/c', '/d', '/e', '/f'] } }] } } }),
    good: resources({ Rule: { Type: 'AWS::ElasticLoadBalancingV2::ListenerRule', Properties: { Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/a', '/b'] } }] } } }),
    says: /6 condition values/,
  },
  {
    rule: listenerRuleConditions,
    bad: resources({ Rule: { Type: 'AWS::ElasticLoadBalancingV2::ListenerRule', Properties: { Conditions: [{ Field: 'host-header', HostHeaderConfig: { Values: ['api.example.com:443'] } }] } } }),
    good: resources({ Rule: { Type: 'AWS::ElasticLoadBalancingV2::ListenerRule', Properties: { Conditions: [{ Field: 'host-header', HostHeaderConfig: { Values: ['*.example.com'] } }] } } }),
    says: /host-header value 'api.example.com:443'/,
  },
  {
    rule: logGroupKeyPolicy,
    bad: resources({
      Key: { Type: 'AWS::KMS::Key', Properties: { KeyPolicy: { Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' }] } } },
      Logs: { Type: 'AWS::Logs::LogGroup', Properties: { KmsKeyId: { 'Fn::GetAtt': ['Key', 'Arn'] } } },
    }),
    good: resources({
      Key: {
        Type: 'AWS::KMS::Key',
        Properties: {
          KeyPolicy: {
            Statement: [{
              Effect: 'Allow',
              Principal: { Service: 'logs.eu-west-1.amazonaws.com' },
              Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:GenerateDataKey*'],
              Resource: '*',
              Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': 'arn:aws:logs:eu-west-1:111122223333:log-group:*' } },
            }],
          },
        },
      },
      Logs: { Type: 'AWS::Logs::LogGroup', Properties: { KmsKeyId: { 'Fn::GetAtt': ['Key', 'Arn'] } } },
    }),
    says: /encrypted with Key, whose policy doesn't let CloudWatch Logs use it/,
  },
];

describe('deploy-time rules', () => {
  test('every rule says what AWS requires and where AWS says so', () => {
    for (const rule of DEPLOY_RULES) {
      expect(rule.statement.length).toBeGreaterThan(20);
      expect(rule.source).toMatch(/https:\/\/docs\.aws\.amazon\.com\//);
    }
  });

  test('every rule has a case below', () => {
    expect(new Set(CASES.map(c => c.rule.id))).toEqual(new Set(DEPLOY_RULES.map(r => r.id)));
  });

  test.each(CASES.map(c => [c.rule.id, c.says.source, c] as const))('%s rejects a bad template (%s) and accepts a good one', (_id, _says, c) => {
    // WHEN / THEN
    expect(c.rule.check(c.bad).map(f => f.message)).toEqual(expect.arrayContaining([expect.stringMatching(c.says)]));
    expect(c.rule.check(c.good)).toEqual([]);
  });
});
