import { Aws, CfnParameter, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { FLAG_SETTINGS, IMAGE, groupIdOf, logicalIdOf, newStack, newVpc, warnings } from './helpers';
import { EcsPrivateLinkApi, PrivateLinkConsumer, PrivateLinkConsumerProps } from '../src';

const SERVICE = 'com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0';

describe.each(FLAG_SETTINGS)('PrivateLinkConsumer with $name', ({ context }) => {
  function build(props: Partial<PrivateLinkConsumerProps> = {}, stack: Stack = newStack(context)) {
    const vpc = props.vpc ?? newVpc(stack);
    const consumer = new PrivateLinkConsumer(stack, 'Consumer', { serviceName: SERVICE, ...props, vpc });
    return { stack, vpc, consumer, template: () => Template.fromStack(stack) };
  }
  const endpointSg = (template: Template) =>
    logicalIdOf(template, 'AWS::EC2::SecurityGroup', { GroupDescription: Match.stringLikeRegexp('^PrivateLink endpoint') });

  describe('defaults', () => {
    test('an interface endpoint to the service, in the private subnets, without private DNS', () => {
      // WHEN
      const { template, vpc, stack } = build();
      // THEN
      template().hasResourceProperties('AWS::EC2::VPCEndpoint', {
        VpcEndpointType: 'Interface',
        ServiceName: SERVICE,
        PrivateDnsEnabled: false,
        SubnetIds: vpc.privateSubnets.map(s => stack.resolve(s.subnetId)),
        SecurityGroupIds: [groupIdOf(endpointSg(template()))],
      });
    });

    test('its own security group admits the VPC CIDR on port 80 (a rule of its own) and has no egress', () => {
      const { template, vpc, stack } = build();
      const t = template();
      const sg = t.toJSON().Resources[endpointSg(t)].Properties;
      expect(sg.SecurityGroupIngress).toBeUndefined();
      expect(Object.values(t.findResources('AWS::EC2::SecurityGroupIngress')).map(r => r.Properties)).toEqual([
        expect.objectContaining({ GroupId: groupIdOf(endpointSg(t)), CidrIp: stack.resolve(vpc.vpcCidrBlock), FromPort: 80, ToPort: 80, IpProtocol: 'tcp' }),
      ]);
      expect(sg.SecurityGroupEgress).toEqual([expect.objectContaining({ CidrIp: '255.255.255.255/32', Description: 'Disallow all traffic' })]);
    });

    test('one subnet per AZ when the VPC has several private subnet groups', () => {
      const stack = newStack(context);
      const vpc = new ec2.Vpc(stack, 'Vpc', {
        maxAzs: 2,
        subnetConfiguration: [
          { name: 'public', subnetType: ec2.SubnetType.PUBLIC },
          { name: 'app', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
          { name: 'data', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
        ],
      });
      const { template } = build({ vpc }, stack);
      template().hasResourceProperties('AWS::EC2::VPCEndpoint', { SubnetIds: [Match.anyValue(), Match.anyValue()] });
    });

    test('isolated subnets when the VPC has no private subnets with egress (a VPC without NAT)', () => {
      const stack = newStack(context);
      const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, subnetConfiguration: [{ name: 'iso', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
      const { template } = build({ vpc }, stack);
      template().hasResourceProperties('AWS::EC2::VPCEndpoint', { SubnetIds: vpc.isolatedSubnets.map(s => stack.resolve(s.subnetId)) });
    });

    test('exposes the endpoint, its id, DNS name and URL, and outputs the URL', () => {
      const { consumer, stack, template } = build();
      const endpoint = logicalIdOf(template(), 'AWS::EC2::VPCEndpoint');
      expect(stack.resolve(consumer.endpointId)).toEqual({ Ref: endpoint });
      const dns = { 'Fn::Select': [1, { 'Fn::Split': [':', { 'Fn::Select': [0, { 'Fn::GetAtt': [endpoint, 'DnsEntries'] }] }] }] };
      expect(stack.resolve(consumer.dnsName)).toEqual(dns);
      expect(stack.resolve(consumer.url)).toEqual({ 'Fn::Join': ['', ['http://', dns, ':80']] });
      expect(consumer.port).toBe(80);
      expect(consumer.serviceName).toBe(SERVICE);
      expect(Object.values(template().findOutputs('*')).map(o => o.Value)).toEqual([{ 'Fn::Join': ['', ['http://', dns, ':80']] }]);
    });
  });

  describe('props', () => {
    test('api: the provider construct in the same app gives the service name and port', () => {
      const stack = newStack(context);
      const api = new EcsPrivateLinkApi(stack, 'Api', { image: IMAGE, port: 8080, allowedPrincipals: [Aws.ACCOUNT_ID] });
      const { template, consumer } = build({ serviceName: undefined, api }, stack);
      const service = logicalIdOf(template(), 'AWS::EC2::VPCEndpointService');
      template().hasResourceProperties('AWS::EC2::VPCEndpoint', {
        ServiceName: { 'Fn::Join': ['.', ['com.amazonaws.vpce', { Ref: 'AWS::Region' }, { Ref: service }]] },
      });
      expect(consumer.port).toBe(8080);
      template().hasResourceProperties('AWS::EC2::SecurityGroupIngress', { GroupId: groupIdOf(endpointSg(template())), FromPort: 8080 });
    });

    test('port: the security group and the URL use it', () => {
      const { consumer, template, stack } = build({ port: 8443 });
      expect(JSON.stringify(stack.resolve(consumer.url))).toContain(':8443');
      template().hasResourceProperties('AWS::EC2::SecurityGroupIngress', { FromPort: 8443, ToPort: 8443 });
    });

    test('subnets: the selection is used', () => {
      const stack = newStack(context);
      const vpc = newVpc(stack);
      const { template } = build({ vpc, subnets: { subnets: [vpc.privateSubnets[1]] } }, stack);
      template().hasResourceProperties('AWS::EC2::VPCEndpoint', { SubnetIds: [stack.resolve(vpc.privateSubnets[1].subnetId)] });
    });

    test('allowedPeers: only the named peers; [] admits nobody until connections say so', () => {
      const { template } = build({ allowedPeers: [ec2.Peer.ipv4('10.20.0.0/16'), ec2.Peer.ipv4('192.168.0.0/24')] });
      template().hasResourceProperties('AWS::EC2::SecurityGroup', {
        SecurityGroupIngress: [
          Match.objectLike({ CidrIp: '10.20.0.0/16', FromPort: 80 }),
          Match.objectLike({ CidrIp: '192.168.0.0/24', FromPort: 80 }),
        ],
      });
      const none = build({ allowedPeers: [] }).template();
      expect(none.toJSON().Resources[endpointSg(none)].Properties.SecurityGroupIngress).toBeUndefined();
    });

    test('connections: allowDefaultPortFrom admits a client on the service port', () => {
      const stack = newStack(context);
      const vpc = newVpc(stack);
      const client = new ec2.SecurityGroup(stack, 'Client', { vpc });
      const { consumer, template } = build({ vpc, allowedPeers: [], port: 8080 }, stack);
      // WHEN
      consumer.connections.allowDefaultPortFrom(client);
      // THEN
      template().hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
        GroupId: groupIdOf(endpointSg(template())),
        SourceSecurityGroupId: stack.resolve(client.securityGroupId),
        FromPort: 8080,
        ToPort: 8080,
      });
    });

    test('privateDnsEnabled: true, with a warning that the provider must have verified a name', () => {
      const { template, stack } = build({ privateDnsEnabled: true });
      template().hasResourceProperties('AWS::EC2::VPCEndpoint', { PrivateDnsEnabled: true });
      expect(warnings(stack, /privateDnsEnabled is true/)).toHaveLength(1);
    });

    test('serviceRegion: a cross-region service', () => {
      const { template } = build({ serviceRegion: 'eu-west-1' });
      template().hasResourceProperties('AWS::EC2::VPCEndpoint', { ServiceRegion: 'eu-west-1' });
    });

    test('availabilityZoneIds: subnets are looked up by AZ ID at deploy time, and the endpoint takes every match', () => {
      const { template, vpc, stack } = build({ availabilityZoneIds: ['euw1-az1', 'euw1-az3'] });
      const t = template();
      const lookup = logicalIdOf(t, 'Custom::SubnetsByAzId');
      t.hasResourceProperties('Custom::SubnetsByAzId', {
        VpcId: stack.resolve(vpc.vpcId),
        SubnetIds: vpc.privateSubnets.map(s => stack.resolve(s.subnetId)),
        AvailabilityZoneIds: ['euw1-az1', 'euw1-az3'],
      });
      // One comma-joined attribute, split: no indexed read that fails when fewer subnets match.
      t.hasResourceProperties('AWS::EC2::VPCEndpoint', {
        SubnetIds: { 'Fn::Split': [',', { 'Fn::GetAtt': [lookup, 'SubnetIds'] }] },
      });
    });

    test('an HTTPS provider: the URL is https; with private DNS, it uses the provider\'s private DNS name', () => {
      const stack = newStack(context);
      const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:eu-west-1:111122223333:certificate/abc');
      const api = new EcsPrivateLinkApi(stack, 'Api', { image: IMAGE, certificate, privateDnsName: 'api.example.com' });
      const plain = new PrivateLinkConsumer(stack, 'Plain', { vpc: newVpc(stack, 'V1'), api });
      const named = new PrivateLinkConsumer(stack, 'Named', { vpc: newVpc(stack, 'V2'), api, privateDnsEnabled: true });
      expect(stack.resolve(plain.url)).toEqual({ 'Fn::Join': ['', ['https://', expect.anything(), ':443']] });
      expect(named.url).toBe('https://api.example.com:443');
      Template.fromStack(stack).hasResourceProperties('AWS::EC2::VPCEndpoint', { PrivateDnsEnabled: true });
      // ... which works only once the provider's name is verified, after its deploy: the user hears it
      expect(warnings(stack, /privateDnsEnabled/).map(w => (w as { entry: { data: string } }).entry.data)).toEqual([
        expect.stringMatching(/the endpoint can be created only once Test\/Api's private DNS name \(api.example.com\) is verified.*not in the same deploy or stack/),
      ]);
    });

    test('protocol: given explicitly, or https on port 443', () => {
      const { consumer: explicit, stack } = build({ protocol: elbv2.ApplicationProtocol.HTTPS, port: 8443 });
      expect(JSON.stringify(stack.resolve(explicit.url))).toMatch(/"https:\/\/"/);
      const { consumer: on443, stack: s2 } = build({ port: 443 });
      expect(JSON.stringify(s2.resolve(on443.url))).toMatch(/"https:\/\/"/);
      // HTTPS without a port: 443, for the URL and the security group
      const { consumer: https, stack: s3 } = build({ protocol: elbv2.ApplicationProtocol.HTTPS });
      expect(https.port).toBe(443);
      expect(JSON.stringify(s3.resolve(https.url))).toMatch(/:443"/);
      Template.fromStack(s3).hasResourceProperties('AWS::EC2::SecurityGroupIngress', { FromPort: 443, ToPort: 443 });
    });

    test('ipAddressType and dnsRecordIpType: a dual-stack endpoint to a dual-stack provider', () => {
      const stack = newStack(context);
      const api = new EcsPrivateLinkApi(stack, 'Api', { image: IMAGE, ipAddressType: elbv2.IpAddressType.DUAL_STACK });
      new PrivateLinkConsumer(stack, 'Consumer', {
        vpc: new ec2.Vpc(stack, 'V', { maxAzs: 2, ipProtocol: ec2.IpProtocol.DUAL_STACK }),
        api,
        ipAddressType: ec2.VpcEndpointIpAddressType.DUALSTACK,
        dnsRecordIpType: ec2.VpcEndpointDnsRecordIpType.DUALSTACK,
      });
      Template.fromStack(stack).hasResourceProperties('AWS::EC2::VPCEndpoint', {
        IpAddressType: 'dualstack',
        DnsOptions: Match.objectLike({ DnsRecordIpType: 'dualstack' }),
      });
    });

    test('urlOutput: false adds no output', () => {
      const { template } = build({ urlOutput: false });
      expect(template().findOutputs('*')).toEqual({});
    });

    test('a service name given as a token is not validated', () => {
      const stack = newStack(context);
      const name = new CfnParameter(stack, 'ServiceName').valueAsString;
      const { template } = build({ serviceName: name }, stack);
      template().hasResourceProperties('AWS::EC2::VPCEndpoint', { ServiceName: { Ref: 'ServiceName' } });
    });
  });
});
