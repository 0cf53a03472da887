/**
 * `autoAcceptAccounts` (ConnectionAcceptor) and `rejectConnectionsOnDelete` (EndpointServiceTeardown)
 * on the API: what they deploy, with which permissions, and the inputs they refuse. Their
 * functions' behaviour is tested in test/handlers.
 */
import { Aws } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { FLAG_SETTINGS, IMAGE, logicalIdOf, newStack } from './helpers';
import { ConnectionAcceptor, EcsPrivateLinkApi, EcsPrivateLinkApiProps } from '../src';

const CUSTOMER = '111122223333';
const PARTNER = '444455556666';

type Json = Record<string, any>;

describe.each(FLAG_SETTINGS)('connection automation with $name', ({ context }) => {
  function api(props: Partial<EcsPrivateLinkApiProps>) {
    const stack = newStack(context);
    const construct = new EcsPrivateLinkApi(stack, 'Api', { image: IMAGE, ...props });
    return { stack, api: construct, template: Template.fromStack(stack) };
  }
  const functionWith = (t: Template, description: RegExp) => logicalIdOf(t, 'AWS::Lambda::Function', { Description: Match.stringLikeRegexp(description.source) });
  /**
   * What the customer managed policy of a function's role allows, one `{ Action, Resource }` per
   * action (the minimizePolicies flag merges statements).
   */
  const statementsOf = (t: Template, fn: string): Json[] => {
    const role = t.toJSON().Resources[fn].Properties.Role['Fn::GetAtt'][0];
    const [policy] = Object.values(t.findResources('AWS::IAM::ManagedPolicy')).filter(p => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: role }]));
    return policy.Properties.PolicyDocument.Statement.flatMap((st: Json) => {
      expect(st.Effect).toBe('Allow');
      return [st.Action].flat().flatMap((Action: string) => [st.Resource].flat().map((Resource: unknown) => ({ Action, Resource })));
    });
  };
  const serviceArn = (t: Template) => ({
    'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ec2:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' },
      ':vpc-endpoint-service/', { Ref: logicalIdOf(t, 'AWS::EC2::VPCEndpointService') }]],
  });

  describe('autoAcceptAccounts', () => {
    test('acceptance stays required; notifications turn on; a function subscribed to them accepts the listed accounts', () => {
      const { template, api: construct } = api({ allowedPrincipals: [CUSTOMER, PARTNER], autoAcceptAccounts: [CUSTOMER] });
      template.hasResourceProperties('AWS::EC2::VPCEndpointService', { AcceptanceRequired: true });
      template.hasResourceProperties('AWS::EC2::VPCEndpointConnectionNotification', { ConnectionEvents: Match.arrayWith(['Connect']) });
      const fn = functionWith(template, /accepts connection requests/);
      template.hasResourceProperties('AWS::Lambda::Function', {
        Runtime: 'nodejs24.x',
        MemorySize: 256,
        TracingConfig: { Mode: 'Active' },
        Environment: { Variables: { SERVICE_ID: { Ref: logicalIdOf(template, 'AWS::EC2::VPCEndpointService') }, AUTO_ACCEPT_ACCOUNTS: CUSTOMER } },
        DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': [logicalIdOf(template, 'AWS::SQS::Queue'), 'Arn'] } },
      });
      template.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'lambda',
        Endpoint: { 'Fn::GetAtt': [fn, 'Arn'] },
        TopicArn: { Ref: logicalIdOf(template, 'AWS::SNS::Topic') },
        RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [logicalIdOf(template, 'AWS::SQS::Queue'), 'Arn'] } },
      });
      template.hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunction',
        Principal: 'sns.amazonaws.com',
        FunctionName: { 'Fn::GetAtt': [fn, 'Arn'] },
        SourceArn: { Ref: logicalIdOf(template, 'AWS::SNS::Topic') },
      });
      expect(construct.connectionAcceptor).toBeInstanceOf(ConnectionAcceptor);
    });

    test('least privilege: accept on this endpoint service only; describe (no resource-level permissions) on *, acknowledged with its reason', () => {
      const { template } = api({ allowedPrincipals: [CUSTOMER], autoAcceptAccounts: [CUSTOMER] });
      const fn = functionWith(template, /accepts connection requests/);
      const statements = statementsOf(template, fn);
      expect(statements).toEqual(expect.arrayContaining([
        { Action: 'ec2:DescribeVpcEndpointConnections', Resource: '*' },
        { Action: 'ec2:AcceptVpcEndpointConnections', Resource: serviceArn(template) },
        { Action: 'sqs:SendMessage', Resource: { 'Fn::GetAtt': [logicalIdOf(template, 'AWS::SQS::Queue'), 'Arn'] } },
      ]));
      expect(JSON.stringify(statements)).not.toMatch(/RejectVpcEndpointConnections|ModifyVpcEndpoint/);
      const acknowledgements = Object.values(template.findResources('AWS::IAM::ManagedPolicy')).flatMap(p => p.Metadata?.cdk_nag?.rules_to_suppress ?? []);
      expect(acknowledgements).toContainEqual(expect.objectContaining({
        id: 'AwsSolutions-IAM5',
        applies_to: ['Resource::*'],
        reason: expect.stringMatching(/ec2:DescribeVpcEndpointConnections has no resource-level permissions/),
      }));
    });

    test('with allowedRegions the function may also act on multi-region connections (vpce:AllowMultiRegion, on the service)', () => {
      const { template } = api({ allowedPrincipals: [CUSTOMER], autoAcceptAccounts: [CUSTOMER], allowedRegions: ['us-east-1'] });
      expect(statementsOf(template, functionWith(template, /accepts connection requests/))).toContainEqual(
        { Action: 'vpce:AllowMultiRegion', Resource: serviceArn(template) });
    });

    test('the dead-letter queue is encrypted and TLS-only', () => {
      const { template } = api({ allowedPrincipals: [CUSTOMER], autoAcceptAccounts: [CUSTOMER] });
      template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 1209600 });
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
      });
    });

    test('a given notification topic is the trigger', () => {
      const stack = newStack(context);
      const topic = new sns.Topic(stack, 'Mine');
      new EcsPrivateLinkApi(stack, 'Api', { image: IMAGE, allowedPrincipals: [CUSTOMER], autoAcceptAccounts: [CUSTOMER], notificationTopic: topic });
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::SNS::Topic', 1);
      template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'lambda', TopicArn: { Ref: Object.keys(template.findResources('AWS::SNS::Topic'))[0] } });
    });

    test('the stack\'s own account, a token, is allowed (the demo)', () => {
      const { template } = api({ allowedPrincipals: [Aws.ACCOUNT_ID], autoAcceptAccounts: [Aws.ACCOUNT_ID] });
      template.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ AUTO_ACCEPT_ACCOUNTS: { Ref: 'AWS::AccountId' } }) } });
    });

    test('without it, nothing is added', () => {
      const { template, api: construct } = api({ allowedPrincipals: [CUSTOMER] });
      template.resourceCountIs('AWS::SQS::Queue', 0);
      template.resourceCountIs('AWS::EC2::VPCEndpointConnectionNotification', 0);
      expect(construct.connectionAcceptor).toBeUndefined();
    });

    test.each([
      ['an ARN', { allowedPrincipals: ['arn:aws:iam::111122223333:role/x'], autoAcceptAccounts: ['arn:aws:iam::111122223333:role/x'] },
        /invalid autoAcceptAccounts 'arn:aws:iam::111122223333:role\/x': each must be a 12-digit AWS account ID: AWS reports the account that owns an endpoint/],
      ['an empty list', { allowedPrincipals: [CUSTOMER], autoAcceptAccounts: [] }, /invalid autoAcceptAccounts \[\]: give at least one AWS account ID/],
      ['acceptance off', { allowedPrincipals: [CUSTOMER], autoAcceptAccounts: [CUSTOMER], acceptanceRequired: false },
        /invalid acceptanceRequired false: must stay on with autoAcceptAccounts/],
      ['notifications off', { allowedPrincipals: [CUSTOMER], autoAcceptAccounts: [CUSTOMER], connectionNotifications: false },
        /invalid connectionNotifications false: must stay on with autoAcceptAccounts/],
      ['an account that may not connect', { allowedPrincipals: [CUSTOMER], autoAcceptAccounts: [PARTNER] },
        /invalid autoAcceptAccounts '444455556666': must be an account allowedPrincipals allows \(\["111122223333"\]\)/],
    ])('bad input: %s', (_name, props, error) => {
      expect(() => api(props as Partial<EcsPrivateLinkApiProps>)).toThrow(error);
    });

    test('an account allowed through a role of it, or through *, may be auto-accepted', () => {
      expect(() => api({ allowedPrincipals: [`arn:aws:iam::${PARTNER}:role/integration`], autoAcceptAccounts: [PARTNER] })).not.toThrow();
      expect(() => api({ allowedPrincipals: ['*'], autoAcceptAccounts: [PARTNER] })).not.toThrow();
    });
  });

  describe('rejectConnectionsOnDelete', () => {
    test('a custom resource that names the endpoint service (so CloudFormation deletes it first) and its logical ID', () => {
      const { template, api: construct, stack } = api({ rejectConnectionsOnDelete: true });
      const service = logicalIdOf(template, 'AWS::EC2::VPCEndpointService');
      const fn = functionWith(template, /rejects the connections/);
      template.hasResourceProperties('Custom::EndpointServiceTeardown', {
        ServiceToken: { 'Fn::GetAtt': [fn, 'Arn'] },
        ServiceId: { Ref: service },
        ServiceLogicalId: service,
      });
      template.hasResourceProperties('AWS::Lambda::Function', { Timeout: 300, Runtime: 'nodejs24.x' });
      expect(construct.endpointServiceTeardown).toBeDefined();
      expect(stack.resolve(construct.endpointService.vpcEndpointServiceId)).toEqual({ Ref: service });
    });

    test('least privilege: reject on this endpoint service; read this stack only; describe on * (acknowledged)', () => {
      const { template } = api({ rejectConnectionsOnDelete: true });
      const statements = statementsOf(template, functionWith(template, /rejects the connections/));
      expect(statements).toEqual(expect.arrayContaining([
        { Action: 'ec2:DescribeVpcEndpointConnections', Resource: '*' },
        { Action: 'ec2:RejectVpcEndpointConnections', Resource: serviceArn(template) },
        ...['DescribeStacks', 'GetTemplate', 'DescribeStackResource'].map(a => ({ Action: `cloudformation:${a}`, Resource: { Ref: 'AWS::StackId' } })),
      ]));
      expect(JSON.stringify(statements)).not.toMatch(/AcceptVpcEndpointConnections|DeleteVpcEndpoint/);
    });

    test('off by default: no custom resource', () => {
      const { template, api: construct } = api({});
      template.resourceCountIs('Custom::EndpointServiceTeardown', 0);
      expect(construct.endpointServiceTeardown).toBeUndefined();
    });
  });
});
