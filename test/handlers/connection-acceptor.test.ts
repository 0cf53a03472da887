import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { loadInlineHandler } from './inline-handler-harness';
import { EcsPrivateLinkApi } from '../../src';
import { IMAGE } from '../helpers';

const SERVICE_ID = 'vpce-svc-0123456789abcdef0';
const CUSTOMER = '111122223333';
const PARTNER = '444455556666';
const STRANGER = '777788889999';

/** The function's code exactly as the provider's template deploys it. */
function deployedSource(): string {
  const stack = new Stack(new App(), 'Provider');
  new EcsPrivateLinkApi(stack, 'Api', { image: IMAGE, allowedPrincipals: [CUSTOMER, PARTNER, STRANGER], autoAcceptAccounts: [CUSTOMER, PARTNER] });
  const [fn] = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function'))
    .filter(f => f.Properties.Description?.includes('accepts connection requests'));
  return fn.Properties.Code.ZipFile;
}

/**
 * The event Lambda gets from SNS, as the Lambda developer guide shows it. The message's body is
 * PrivateLink's, which AWS does not document: the function must not depend on it.
 * https://docs.aws.amazon.com/lambda/latest/dg/with-sns.html
 */
function snsEvent(message: string) {
  return {
    Records: [{
      EventVersion: '1.0',
      EventSubscriptionArn: 'arn:aws:sns:eu-west-1:123456789012:notifications:21be56ed-a058-49f5-8c98-aedd2564c486',
      EventSource: 'aws:sns',
      Sns: {
        SignatureVersion: '1',
        Timestamp: '2024-01-02T12:45:07.000Z',
        Signature: 'tcc6faL2yUC6dgZdmrwh1Y4cGa/ebXEkAi6RibDsvpi+tE/1+82j...65r==',
        SigningCertUrl: 'https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-ac565b8b1a6c5d002d285f9598aa1d9b.pem',
        MessageId: '95df01b4-ee98-5cb9-9903-4c221d41eb5e',
        Message: message,
        MessageAttributes: {},
        Type: 'Notification',
        UnsubscribeUrl: 'https://sns.eu-west-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=...',
        TopicArn: 'arn:aws:sns:eu-west-1:123456789012:notifications',
        Subject: null,
      },
    }],
  };
}

interface Connection { VpcEndpointId: string; VpcEndpointOwner: string; VpcEndpointState: string }

/**
 * An EC2 client that answers like AWS: DescribeVpcEndpointConnections applies the service-id and
 * vpc-endpoint-state filters and pages with NextToken; AcceptVpcEndpointConnections moves
 * pendingAcceptance connections to pending and reports the others in `Unsuccessful`.
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeVpcEndpointConnections.html
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AcceptVpcEndpointConnections.html
 */
function ec2(connections: Connection[], pageSize = 1000, refuse: string[] = []) {
  const calls: Array<{ command: string; input: any }> = [];
  class DescribeVpcEndpointConnectionsCommand {
    constructor(public readonly input: any) {}
  }
  class AcceptVpcEndpointConnectionsCommand {
    constructor(public readonly input: any) {}
  }
  class EC2Client {
    async send(command: any) {
      calls.push({ command: command.constructor.name, input: command.input });
      if (command instanceof DescribeVpcEndpointConnectionsCommand) {
        const filter = (name: string) => command.input.Filters.find((f: any) => f.Name === name)?.Values as string[] | undefined;
        // Every connection here is to SERVICE_ID: a call without that filter would see other services' too.
        expect(filter('service-id')).toEqual([SERVICE_ID]);
        const matching = connections
          .filter(c => !filter('vpc-endpoint-state') || filter('vpc-endpoint-state')!.includes(c.VpcEndpointState))
          .map(c => ({ ...c, ServiceId: SERVICE_ID, CreationTimestamp: '2024-01-02T12:45:00.000Z', DnsEntries: [], IpAddressType: 'ipv4' }));
        const start = Number(command.input.NextToken ?? 0);
        const nextToken = start + pageSize < matching.length ? String(start + pageSize) : undefined;
        return { VpcEndpointConnections: matching.slice(start, start + pageSize), NextToken: nextToken };
      }
      const unsuccessful = command.input.VpcEndpointIds.filter((id: string) => refuse.includes(id))
        .map((id: string) => ({ ResourceId: id, Error: { Code: 'InvalidVpcEndpointId.NotFound', Message: `The Vpc Endpoint Id '${id}' does not exist` } }));
      for (const c of connections.filter(x => command.input.VpcEndpointIds.includes(x.VpcEndpointId) && !refuse.includes(x.VpcEndpointId))) {
        c.VpcEndpointState = 'pending';
      }
      return { Unsuccessful: unsuccessful };
    }
  }
  return { module: { EC2Client, DescribeVpcEndpointConnectionsCommand, AcceptVpcEndpointConnectionsCommand }, calls };
}

function load(client: ReturnType<typeof ec2>, pauses: number[] = []) {
  const env = { SERVICE_ID, AUTO_ACCEPT_ACCOUNTS: `${CUSTOMER},${PARTNER}`, PENDING_RECHECKS: '2', PENDING_RECHECK_MS: '10000' };
  // The pauses between reads are recorded, not waited for.
  const setTimeout = (resolve: () => void, ms: number) => {
    pauses.push(ms); resolve();
  };
  return loadInlineHandler(deployedSource(), { '@aws-sdk/client-ec2': client.module }, { process: { env }, setTimeout }).handler;
}

describe('ConnectionAcceptor function, against DescribeVpcEndpointConnections and AcceptVpcEndpointConnections', () => {
  test('accepts the pending requests of listed accounts; others stay pending', async () => {
    // GIVEN two listed accounts and a stranger waiting, and one connection already available
    const client = ec2([
      { VpcEndpointId: 'vpce-customer', VpcEndpointOwner: CUSTOMER, VpcEndpointState: 'pendingAcceptance' },
      { VpcEndpointId: 'vpce-partner', VpcEndpointOwner: PARTNER, VpcEndpointState: 'pendingAcceptance' },
      { VpcEndpointId: 'vpce-stranger', VpcEndpointOwner: STRANGER, VpcEndpointState: 'pendingAcceptance' },
      { VpcEndpointId: 'vpce-old', VpcEndpointOwner: CUSTOMER, VpcEndpointState: 'available' },
    ]);
    // WHEN a notification arrives
    const result = await load(client)(snsEvent('{"Service ID":"vpce-svc-0123456789abcdef0","Event Type":"Connect"}'));
    // THEN
    expect(client.calls[0]).toEqual({
      command: 'DescribeVpcEndpointConnectionsCommand',
      input: { Filters: [{ Name: 'service-id', Values: [SERVICE_ID] }, { Name: 'vpc-endpoint-state', Values: ['pendingAcceptance'] }], NextToken: undefined },
    });
    expect(client.calls[1]).toEqual({
      command: 'AcceptVpcEndpointConnectionsCommand', input: { ServiceId: SERVICE_ID, VpcEndpointIds: ['vpce-customer', 'vpce-partner'] },
    });
    expect(result).toEqual({ accepted: ['vpce-customer', 'vpce-partner'], leftPending: [{ vpcEndpointId: 'vpce-stranger', owner: STRANGER }] });
  });

  test('the message\'s body is never relied on: any text triggers the same reconciliation', async () => {
    const client = ec2([{ VpcEndpointId: 'vpce-customer', VpcEndpointOwner: CUSTOMER, VpcEndpointState: 'pendingAcceptance' }]);
    const result = await load(client)(snsEvent('not json at all'));
    expect(result).toEqual({ accepted: ['vpce-customer'], leftPending: [] });
  });

  test('only strangers waiting: nothing accepted, no AcceptVpcEndpointConnections call', async () => {
    const client = ec2([{ VpcEndpointId: 'vpce-stranger', VpcEndpointOwner: STRANGER, VpcEndpointState: 'pendingAcceptance' }]);
    const result = await load(client)(snsEvent('x'));
    expect(client.calls.map(c => c.command)).toEqual(['DescribeVpcEndpointConnectionsCommand']);
    expect(result).toEqual({ accepted: [], leftPending: [{ vpcEndpointId: 'vpce-stranger', owner: STRANGER }] });
  });

  test('a request not listed yet (EC2\'s eventual consistency): read again after a pause, then accepted', async () => {
    // GIVEN a connection that DescribeVpcEndpointConnections lists only from its second call
    const connections: Connection[] = [];
    const client = ec2(connections);
    const send = client.module.EC2Client.prototype.send;
    client.module.EC2Client.prototype.send = async function (command: any) {
      const result = await send.call(this, command);
      if (connections.length === 0) {
        connections.push({ VpcEndpointId: 'vpce-customer', VpcEndpointOwner: CUSTOMER, VpcEndpointState: 'pendingAcceptance' });
      }
      return result;
    };
    const pauses: number[] = [];
    // WHEN
    const result = await load(client, pauses)(snsEvent('x'));
    // THEN
    expect(client.calls.map(c => c.command)).toEqual(['DescribeVpcEndpointConnectionsCommand', 'DescribeVpcEndpointConnectionsCommand',
      'AcceptVpcEndpointConnectionsCommand']);
    expect(pauses).toEqual([10000]);
    expect(result).toEqual({ accepted: ['vpce-customer'], leftPending: [] });
  });

  test('nothing pending (an Accept or Delete notification): three reads, 10 s apart, then done', async () => {
    const client = ec2([{ VpcEndpointId: 'vpce-old', VpcEndpointOwner: CUSTOMER, VpcEndpointState: 'available' }]);
    const pauses: number[] = [];
    const result = await load(client, pauses)(snsEvent('x'));
    expect(client.calls.map(c => c.command)).toEqual(Array(3).fill('DescribeVpcEndpointConnectionsCommand'));
    expect(pauses).toEqual([10000, 10000]);
    expect(result).toEqual({ accepted: [], leftPending: [] });
  });

  test('reads every page (NextToken)', async () => {
    const client = ec2([
      { VpcEndpointId: 'vpce-1', VpcEndpointOwner: CUSTOMER, VpcEndpointState: 'pendingAcceptance' },
      { VpcEndpointId: 'vpce-2', VpcEndpointOwner: STRANGER, VpcEndpointState: 'pendingAcceptance' },
      { VpcEndpointId: 'vpce-3', VpcEndpointOwner: PARTNER, VpcEndpointState: 'pendingAcceptance' },
    ], 1);
    const result = await load(client)(snsEvent('x'));
    expect(client.calls.filter(c => c.command === 'DescribeVpcEndpointConnectionsCommand').map(c => c.input.NextToken)).toEqual([undefined, '1', '2']);
    expect(result).toEqual(expect.objectContaining({ accepted: ['vpce-1', 'vpce-3'] }));
  });

  test('a connection AWS did not accept fails the invocation (Lambda retries it, then the dead-letter queue keeps it)', async () => {
    const client = ec2([
      { VpcEndpointId: 'vpce-customer', VpcEndpointOwner: CUSTOMER, VpcEndpointState: 'pendingAcceptance' },
      { VpcEndpointId: 'vpce-gone', VpcEndpointOwner: PARTNER, VpcEndpointState: 'pendingAcceptance' },
    ], 1000, ['vpce-gone']);
    await expect(load(client)(snsEvent('x'))).rejects.toThrow(/did not accept vpce-gone: InvalidVpcEndpointId.NotFound/);
  });

  test('a retry after a partial failure accepts only what is still pending (idempotent)', async () => {
    const connections = [{ VpcEndpointId: 'vpce-customer', VpcEndpointOwner: CUSTOMER, VpcEndpointState: 'pendingAcceptance' }];
    const client = ec2(connections);
    const handler = load(client);
    await handler(snsEvent('x'));
    await expect(handler(snsEvent('x'))).resolves.toEqual({ accepted: [], leftPending: [] });
    expect(client.calls.filter(c => c.command === 'AcceptVpcEndpointConnectionsCommand')).toHaveLength(1);
  });
});
