import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { cfnEvent, loadInlineHandler } from './inline-handler-harness';
import { EcsPrivateLinkApi } from '../../src';
import { IMAGE } from '../helpers';

const SERVICE_ID = 'vpce-svc-0123456789abcdef0';
const NEW_SERVICE_ID = 'vpce-svc-0fedcba9876543210';
const LOGICAL_ID = 'ApiEndpointService1234ABCD';
const STACK_ID = 'arn:aws:cloudformation:eu-west-1:111122223333:stack/Provider/guid';

/** The function's code exactly as the provider's template deploys it. */
function deployedSource(): string {
  const stack = new Stack(new App(), 'Provider');
  new EcsPrivateLinkApi(stack, 'Api', { image: IMAGE, rejectConnectionsOnDelete: true });
  const [fn] = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function'))
    .filter(f => f.Properties.Description?.includes('rejects the connections'));
  return fn.Properties.Code.ZipFile;
}

interface Connection { VpcEndpointId: string; VpcEndpointState: string }

/** What CloudFormation says about the stack while the function runs. */
interface StackView {
  readonly status: string;
  /** The current template's resources (logical IDs). */
  readonly resources: string[];
  /** The endpoint service's physical ID, as DescribeStackResource returns it. */
  readonly servicePhysicalId?: string;
}

/**
 * AWS, as the function sees it. EC2: DescribeVpcEndpointConnections (service-id filter, NextToken
 * pages) and RejectVpcEndpointConnections (`Unsuccessful` for what it can't reject); a rejected
 * connection reads `rejected` from the next describe on, and a `pending` one becomes `available`
 * after one describe (AWS sets it up). CloudFormation: DescribeStacks, GetTemplate (a JSON
 * TemplateBody) and DescribeStackResource (a ValidationError for a logical ID not in the stack).
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeVpcEndpointConnections.html
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_RejectVpcEndpointConnections.html
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeStacks.html
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_GetTemplate.html
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeStackResource.html
 */
function aws(connections: Connection[], stack: StackView, options: { pageSize?: number; refuse?: string[]; neverSettles?: boolean } = {}) {
  const calls: Array<{ command: string; input: any }> = [];
  const commands = (names: string[]) => Object.fromEntries(names.map(name => [name, class {
    public readonly name = name;
    constructor(public readonly input: any) {}
  }]));
  const ec2Commands = commands(['DescribeVpcEndpointConnectionsCommand', 'RejectVpcEndpointConnectionsCommand']);
  const cfnCommands = commands(['DescribeStacksCommand', 'GetTemplateCommand', 'DescribeStackResourceCommand']);
  const pageSize = options.pageSize ?? 1000;
  class EC2Client {
    async send(command: any) {
      calls.push({ command: command.name, input: command.input });
      if (command.name === 'DescribeVpcEndpointConnectionsCommand') {
        expect(command.input.Filters).toEqual([{ Name: 'service-id', Values: [SERVICE_ID] }]);
        const start = Number(command.input.NextToken ?? 0);
        const page = connections.slice(start, start + pageSize).map(c => ({ ...c, ServiceId: SERVICE_ID, VpcEndpointOwner: '444455556666' }));
        if (start + pageSize >= connections.length && !options.neverSettles) {
          for (const c of connections.filter(x => x.VpcEndpointState === 'pending')) {
            c.VpcEndpointState = 'available';
          }
        }
        return { VpcEndpointConnections: page, NextToken: start + pageSize < connections.length ? String(start + pageSize) : undefined };
      }
      const refuse = options.refuse ?? [];
      for (const c of connections.filter(x => command.input.VpcEndpointIds.includes(x.VpcEndpointId) && !refuse.includes(x.VpcEndpointId))) {
        c.VpcEndpointState = options.neverSettles ? c.VpcEndpointState : 'rejected';
      }
      return {
        Unsuccessful: command.input.VpcEndpointIds.filter((id: string) => refuse.includes(id))
          .map((id: string) => ({ ResourceId: id, Error: { Code: 'InvalidState', Message: 'The endpoint is not in a state to be rejected' } })),
      };
    }
  }
  class CloudFormationClient {
    async send(command: any) {
      calls.push({ command: command.name, input: command.input });
      expect(command.input.StackName).toBe(STACK_ID);
      if (command.name === 'DescribeStacksCommand') {
        return { Stacks: [{ StackId: STACK_ID, StackName: 'Provider', StackStatus: stack.status }] };
      }
      if (command.name === 'GetTemplateCommand') {
        expect(command.input.TemplateStage).toBe('Processed');
        const resources = Object.fromEntries(stack.resources.map(id => [id, { Type: 'AWS::EC2::VPCEndpointService' }]));
        return { TemplateBody: JSON.stringify({ Resources: resources }), StagesAvailable: ['Original', 'Processed'] };
      }
      if (!stack.resources.includes(command.input.LogicalResourceId)) {
        throw Object.assign(new Error(`Resource ${command.input.LogicalResourceId} does not exist for stack Provider`), { name: 'ValidationError' });
      }
      return { StackResourceDetail: { LogicalResourceId: LOGICAL_ID, PhysicalResourceId: stack.servicePhysicalId, ResourceStatus: 'UPDATE_COMPLETE' } };
    }
  }
  return {
    modules: {
      '@aws-sdk/client-ec2': { EC2Client, ...ec2Commands },
      '@aws-sdk/client-cloudformation': { CloudFormationClient, ...cfnCommands },
    },
    calls,
    rejects: () => calls.filter(c => c.command === 'RejectVpcEndpointConnectionsCommand').map(c => c.input.VpcEndpointIds),
  };
}

const properties = (serviceId = SERVICE_ID) => ({ ServiceId: serviceId, ServiceLogicalId: LOGICAL_ID });
const context = (remainingMs = 300000) => ({ getRemainingTimeInMillis: () => remainingMs });
const now = { value: 0 };
const globals = {
  setTimeout: (f: () => void) => { now.value += 5000; f(); },
  Date: { now: () => now.value },
};

function load(fake: ReturnType<typeof aws>) {
  return loadInlineHandler(deployedSource(), fake.modules, globals);
}

const deleteEvent = (physicalId = `${SERVICE_ID}-teardown`, serviceId = SERVICE_ID) =>
  cfnEvent('Delete', properties(serviceId), { PhysicalResourceId: physicalId, StackId: STACK_ID });

describe('EndpointServiceTeardown function: create, update, delete', () => {
  beforeEach(() => {
    now.value = 0;
  });

  test('create and update do nothing but answer; the physical ID names the service, so a new service replaces it', async () => {
    const fake = aws([{ VpcEndpointId: 'vpce-1', VpcEndpointState: 'available' }], { status: 'CREATE_IN_PROGRESS', resources: [LOGICAL_ID] });
    const { handler, responses } = load(fake);
    // CREATE
    await handler(cfnEvent('Create', properties(), { StackId: STACK_ID }), context());
    // UPDATE, same service (another input changed): same physical ID, an update
    await handler(cfnEvent('Update', properties(), {
      PhysicalResourceId: `${SERVICE_ID}-teardown`,
      StackId: STACK_ID,
      OldResourceProperties: { ...properties(), Other: 'x' },
    }), context());
    // UPDATE, the service was replaced: a new physical ID, so CloudFormation deletes the old one afterwards
    await handler(cfnEvent('Update', properties(NEW_SERVICE_ID), {
      PhysicalResourceId: `${SERVICE_ID}-teardown`,
      StackId: STACK_ID,
      OldResourceProperties: properties(),
    }), context());
    expect(responses.map(r => [r.Status, r.PhysicalResourceId])).toEqual([
      ['SUCCESS', `${SERVICE_ID}-teardown`],
      ['SUCCESS', `${SERVICE_ID}-teardown`],
      ['SUCCESS', `${NEW_SERVICE_ID}-teardown`],
    ]);
    expect(fake.calls).toEqual([]);
  });

  test('delete with the stack: rejects pending and available connections (every page), waits for pending ones, then answers', async () => {
    // GIVEN consumers in every state, over three pages
    const connections = [
      { VpcEndpointId: 'vpce-waiting', VpcEndpointState: 'pendingAcceptance' },
      { VpcEndpointId: 'vpce-live', VpcEndpointState: 'available' },
      { VpcEndpointId: 'vpce-setting-up', VpcEndpointState: 'pending' },
      { VpcEndpointId: 'vpce-rejected', VpcEndpointState: 'rejected' },
      { VpcEndpointId: 'vpce-deleted', VpcEndpointState: 'deleted' },
    ];
    const fake = aws(connections, { status: 'DELETE_IN_PROGRESS', resources: [LOGICAL_ID], servicePhysicalId: SERVICE_ID }, { pageSize: 2 });
    const { handler, responses } = load(fake);
    // WHEN
    await handler(deleteEvent(), context());
    // THEN the first round rejects what can be; the pending one, once available, is rejected next
    expect(fake.rejects()).toEqual([['vpce-waiting', 'vpce-live'], ['vpce-setting-up']]);
    expect(connections.map(c => c.VpcEndpointState)).toEqual(['rejected', 'rejected', 'rejected', 'rejected', 'deleted']);
    expect(fake.calls.filter(c => c.command === 'DescribeVpcEndpointConnectionsCommand').slice(0, 3).map(c => c.input.NextToken)).toEqual([undefined, '2', '4']);
    expect(responses).toEqual([expect.objectContaining({ Status: 'SUCCESS', PhysicalResourceId: `${SERVICE_ID}-teardown` })]);
  });

  test('delete when creating the stack rolled back (ROLLBACK_IN_PROGRESS): the service goes too, so its connections are rejected', async () => {
    const fake = aws([{ VpcEndpointId: 'vpce-live', VpcEndpointState: 'available' }], { status: 'ROLLBACK_IN_PROGRESS', resources: [LOGICAL_ID] });
    const { handler, responses } = load(fake);
    await handler(deleteEvent(), context());
    expect(fake.rejects()).toEqual([['vpce-live']]);
    expect(responses[0].Status).toBe('SUCCESS');
  });

  test('delete of this resource alone (rejectConnectionsOnDelete turned off): the service stays, so nothing is rejected', async () => {
    const fake = aws([{ VpcEndpointId: 'vpce-live', VpcEndpointState: 'available' }],
      { status: 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', resources: [LOGICAL_ID], servicePhysicalId: SERVICE_ID });
    const { handler, responses } = load(fake);
    await handler(deleteEvent(), context());
    expect(fake.rejects()).toEqual([]);
    expect(fake.calls.map(c => c.command)).toEqual(['DescribeStacksCommand', 'GetTemplateCommand', 'DescribeStackResourceCommand']);
    expect(responses).toEqual([expect.objectContaining({ Status: 'SUCCESS' })]);
  });

  test('delete after the service was replaced (the old physical ID, in the update\'s cleanup): the old service\'s connections are rejected', async () => {
    const fake = aws([{ VpcEndpointId: 'vpce-live', VpcEndpointState: 'available' }],
      { status: 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', resources: [LOGICAL_ID], servicePhysicalId: NEW_SERVICE_ID });
    const { handler, responses } = load(fake);
    await handler(deleteEvent(), context());
    expect(fake.rejects()).toEqual([['vpce-live']]);
    expect(responses[0].Status).toBe('SUCCESS');
  });

  test('delete after the service left the template (the API removed from the stack): its connections are rejected', async () => {
    const fake = aws([{ VpcEndpointId: 'vpce-live', VpcEndpointState: 'available' }],
      { status: 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', resources: ['SomethingElse'] });
    const { handler } = load(fake);
    await handler(deleteEvent(), context());
    expect(fake.rejects()).toEqual([['vpce-live']]);
  });

  test('a connection AWS refuses to reject: FAILED, naming it and the command to run', async () => {
    const fake = aws([{ VpcEndpointId: 'vpce-stuck', VpcEndpointState: 'available' }], { status: 'DELETE_IN_PROGRESS', resources: [LOGICAL_ID] },
      { refuse: ['vpce-stuck'] });
    const { handler, responses } = load(fake);
    await handler(deleteEvent(), context());
    expect(responses).toEqual([expect.objectContaining({ Status: 'FAILED', PhysicalResourceId: `${SERVICE_ID}-teardown` })]);
    expect(responses[0].Reason).toMatch(/vpce-stuck: InvalidState/);
    expect(responses[0].Reason).toMatch(/aws ec2 reject-vpc-endpoint-connections --service-id vpce-svc-0123456789abcdef0/);
  });

  test('connections still open at the deadline (before Lambda\'s timeout): FAILED with what is left', async () => {
    const fake = aws([{ VpcEndpointId: 'vpce-slow', VpcEndpointState: 'pending' }], { status: 'DELETE_IN_PROGRESS', resources: [LOGICAL_ID] },
      { neverSettles: true });
    const { handler, responses } = load(fake);
    await handler(deleteEvent(), context(60000));
    expect(responses).toEqual([expect.objectContaining({ Status: 'FAILED' })]);
    expect(responses[0].Reason).toMatch(/still open at the deadline: vpce-slow \(pending\)/);
    // it polled every 5 s until 15 s before Lambda's timeout
    expect(now.value).toBeLessThanOrEqual(60000 - 15000 + 5000);
  });

  test('no connection at all: nothing to reject, SUCCESS', async () => {
    const fake = aws([], { status: 'DELETE_IN_PROGRESS', resources: [LOGICAL_ID] });
    const { handler, responses } = load(fake);
    await handler(deleteEvent(), context());
    expect(fake.rejects()).toEqual([]);
    expect(responses[0].Status).toBe('SUCCESS');
  });
});
