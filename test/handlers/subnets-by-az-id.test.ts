import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { cfnEvent, loadInlineHandler } from './inline-handler-harness';
import { PrivateLinkConsumer } from '../../src';

const SERVICE = 'com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0';
const SUBNETS = ['subnet-a', 'subnet-b', 'subnet-c'];
const AZ_IDS = ['euw1-az1', 'euw1-az2', 'euw1-az3'];

/** The function's code exactly as the consumer's template deploys it. */
function deployedSource(): string {
  const stack = new Stack(new App(), 'Consumer');
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 });
  new PrivateLinkConsumer(stack, 'Consumer', { vpc, serviceName: SERVICE, availabilityZoneIds: AZ_IDS });
  const functions = Template.fromStack(stack).findResources('AWS::Lambda::Function');
  const [fn] = Object.values(functions).filter(f => f.Properties.Description?.includes('AZ IDs'));
  return fn.Properties.Code.ZipFile;
}

/**
 * An EC2 client whose DescribeSubnets answers like AWS: only the subnets that match both
 * filters (subnet-id and availability-zone-id), with `pageSize` per page (NextToken).
 */
function ec2Client(azIdOf: Record<string, string>, pageSize = 1000) {
  const calls: any[] = [];
  class DescribeSubnetsCommand {
    constructor(public readonly input: any) {}
  }
  class EC2Client {
    async send(command: DescribeSubnetsCommand) {
      calls.push(command.input);
      const filter = (name: string) => command.input.Filters.find((f: any) => f.Name === name).Values as string[];
      const matching = filter('subnet-id').filter(id => filter('availability-zone-id').includes(azIdOf[id]))
        .map(id => ({ SubnetId: id, AvailabilityZoneId: azIdOf[id], VpcId: 'vpc-1' }));
      const start = Number(command.input.NextToken ?? 0);
      const page = matching.slice(start, start + pageSize);
      return { Subnets: page, NextToken: start + pageSize < matching.length ? String(start + pageSize) : undefined };
    }
  }
  return { module: { EC2Client, DescribeSubnetsCommand }, calls };
}

const properties = (azIds: string[]) => ({ VpcId: 'vpc-1', SubnetIds: SUBNETS, AvailabilityZoneIds: azIds });

describe('SubnetsByAzId function, against DescribeSubnets response shapes', () => {
  const source = deployedSource();

  test.each([
    // [VPC's subnets in AZ IDs, matches]
    ['3 matches: a VPC in all three AZ IDs', { 'subnet-a': 'euw1-az1', 'subnet-b': 'euw1-az2', 'subnet-c': 'euw1-az3' }, 'subnet-a,subnet-b,subnet-c'],
    ['2 matches: a 2-AZ VPC asked for 3 AZ IDs (the usual cross-account case)', { 'subnet-a': 'euw1-az1', 'subnet-b': 'euw1-az3', 'subnet-c': 'euw1-az4' }, 'subnet-a,subnet-b'],
    ['1 match', { 'subnet-a': 'euw1-az4', 'subnet-b': 'euw1-az2', 'subnet-c': 'euw1-az5' }, 'subnet-b'],
  ])('%s: SUCCESS with every matching subnet', async (_name, azIdOf, expected) => {
    // GIVEN
    const client = ec2Client(azIdOf);
    const { handler, responses } = loadInlineHandler(source, { '@aws-sdk/client-ec2': client.module });
    // WHEN
    await handler(cfnEvent('Create', properties(AZ_IDS)));
    // THEN
    expect(responses).toEqual([expect.objectContaining({ Status: 'SUCCESS', Data: { SubnetIds: expected } })]);
    expect(client.calls[0].Filters).toEqual([
      { Name: 'subnet-id', Values: SUBNETS },
      { Name: 'availability-zone-id', Values: AZ_IDS },
    ]);
  });

  test('0 matches: FAILED, naming the AZ IDs and the VPC', async () => {
    const client = ec2Client({ 'subnet-a': 'euw1-az4', 'subnet-b': 'euw1-az5', 'subnet-c': 'euw1-az6' });
    const { handler, responses } = loadInlineHandler(source, { '@aws-sdk/client-ec2': client.module });
    await handler(cfnEvent('Create', properties(AZ_IDS)));
    expect(responses).toEqual([expect.objectContaining({ Status: 'FAILED' })]);
    expect(responses[0].Reason).toMatch(/vpc-1/);
    expect(responses[0].Reason).toMatch(/euw1-az1, euw1-az2, euw1-az3/);
  });

  test('reads every page (NextToken)', async () => {
    const client = ec2Client({ 'subnet-a': 'euw1-az1', 'subnet-b': 'euw1-az2', 'subnet-c': 'euw1-az3' }, 1);
    const { handler, responses } = loadInlineHandler(source, { '@aws-sdk/client-ec2': client.module });
    await handler(cfnEvent('Create', properties(AZ_IDS)));
    expect(client.calls).toHaveLength(3);
    expect(responses[0].Data).toEqual({ SubnetIds: 'subnet-a,subnet-b,subnet-c' });
  });

  test('an API error: FAILED with its message', async () => {
    class EC2Client {
      async send() {
        throw new Error('UnauthorizedOperation');
      }
    }
    const { handler, responses } = loadInlineHandler(source, { '@aws-sdk/client-ec2': { EC2Client, DescribeSubnetsCommand: class {} } });
    await handler(cfnEvent('Create', properties(AZ_IDS)));
    expect(responses).toEqual([expect.objectContaining({ Status: 'FAILED', Reason: expect.stringMatching(/UnauthorizedOperation/) })]);
  });

  test('lifecycle: create, update with other AZ IDs (same physical ID: an update, not a replacement), delete (nothing to undo)', async () => {
    const client = ec2Client({ 'subnet-a': 'euw1-az1', 'subnet-b': 'euw1-az2', 'subnet-c': 'euw1-az3' });
    const { handler, responses } = loadInlineHandler(source, { '@aws-sdk/client-ec2': client.module });
    // CREATE
    await handler(cfnEvent('Create', properties(['euw1-az1', 'euw1-az2'])));
    const physicalId = responses[0].PhysicalResourceId;
    expect(responses[0].Data).toEqual({ SubnetIds: 'subnet-a,subnet-b' });
    // UPDATE: the AZ IDs changed
    await handler(cfnEvent('Update', properties(['euw1-az3']), { PhysicalResourceId: physicalId, OldResourceProperties: properties(['euw1-az1', 'euw1-az2']) }));
    expect(responses[1]).toEqual(expect.objectContaining({ Status: 'SUCCESS', PhysicalResourceId: physicalId, Data: { SubnetIds: 'subnet-c' } }));
    // DELETE
    const callsBefore = client.calls.length;
    await handler(cfnEvent('Delete', properties(['euw1-az3']), { PhysicalResourceId: physicalId }));
    expect(responses[2]).toEqual(expect.objectContaining({ Status: 'SUCCESS', PhysicalResourceId: physicalId }));
    expect(client.calls).toHaveLength(callsBefore);
  });
});
