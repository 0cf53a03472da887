/* The function behind `EndpointServiceTeardown`: inlined into the template by `inlineHandler`, so
 * every function here is self-contained. */
import type { CloudFormationRequest, respondToCloudFormation as Respond } from '../common/cfn-response.handler';

declare const respondToCloudFormation: typeof Respond;

/** What CloudFormation sends (the fields this handler reads). */
export interface TeardownEvent extends CloudFormationRequest {
  readonly ResourceProperties: {
    /** The endpoint service (`vpce-svc-…`). */
    readonly ServiceId: string;
    /** Its logical ID in the stack, to tell its deletion from this resource's alone. */
    readonly ServiceLogicalId: string;
  };
}

/** The Lambda context (what this handler reads). */
export interface TeardownContext {
  getRemainingTimeInMillis(): number;
}

/**
 * On Delete, rejects every connection to the endpoint service that would stop CloudFormation
 * from deleting it, and waits until none is left: "Before you can delete an endpoint service
 * configuration, you must reject any Available or PendingAcceptance interface endpoint
 * connections that are attached to the service".
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteVpcEndpointServiceConfigurations.html
 *
 * Only when the service itself goes: the stack is being deleted (or rolled back from its
 * creation), or the service left the template or was replaced. Removing just this resource (the
 * option turned off) leaves the consumers connected. Create and Update do nothing; the physical
 * ID names the service, so a replaced service replaces this resource, and CloudFormation's Delete
 * of the old one rejects the old service's connections.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-requesttypes-delete.html
 */
export async function endpointServiceTeardownHandler(event: TeardownEvent, context: TeardownContext): Promise<void> {
  const serviceId = event.ResourceProperties.ServiceId;
  if (event.RequestType !== 'Delete') {
    return respondToCloudFormation(event, 'SUCCESS', `${serviceId}-teardown`);
  }
  const physicalResourceId = event.PhysicalResourceId ?? `${serviceId}-teardown`;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- inlined code loads the SDK the runtime provides
    const cfn = require('@aws-sdk/client-cloudformation');
    const client = new cfn.CloudFormationClient({});
    const goes = await serviceGoes(client, cfn, event);
    if (!goes.goes) {
      console.log(JSON.stringify({ serviceId, rejected: [], reason: goes.reason }));
      return await respondToCloudFormation(event, 'SUCCESS', physicalResourceId);
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- inlined code loads the SDK the runtime provides
    const ec2 = require('@aws-sdk/client-ec2');
    const rejected = await rejectConnections(new ec2.EC2Client({}), ec2, serviceId, Date.now() + context.getRemainingTimeInMillis() - 15000);
    console.log(JSON.stringify({ serviceId, rejected, reason: goes.reason }));
    return await respondToCloudFormation(event, 'SUCCESS', physicalResourceId);
  } catch (e) {
    return respondToCloudFormation(event, 'FAILED', physicalResourceId,
      `Rejecting the connections of ${serviceId} failed: ${(e as Error).message}. Reject them yourself ` +
      `(aws ec2 reject-vpc-endpoint-connections --service-id ${serviceId} --vpc-endpoint-ids ...), then retry.`);
  }
}

/**
 * Whether the endpoint service is deleted in this stack operation: the stack is being deleted or
 * rolled back from its creation, or the current template no longer has the service, or has
 * another one under its logical ID (a replacement).
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeStacks.html
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_GetTemplate.html
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeStackResource.html
 */
export async function serviceGoes(client: any, cfn: any, event: TeardownEvent): Promise<{ goes: boolean; reason: string }> {
  const { ServiceId: serviceId, ServiceLogicalId: logicalId } = event.ResourceProperties;
  const stacks = await client.send(new cfn.DescribeStacksCommand({ StackName: event.StackId }));
  const status: string = stacks.Stacks?.[0]?.StackStatus ?? '';
  if (status === 'DELETE_IN_PROGRESS' || status === 'ROLLBACK_IN_PROGRESS') {
    return { goes: true, reason: `the stack is ${status}` };
  }
  const template = await client.send(new cfn.GetTemplateCommand({ StackName: event.StackId, TemplateStage: 'Processed' }));
  const body = template.TemplateBody;
  const resources = (typeof body === 'string' ? JSON.parse(body) : body ?? {}).Resources ?? {};
  if (!(logicalId in resources)) {
    return { goes: true, reason: `${logicalId} left the template` };
  }
  const resource = await client.send(new cfn.DescribeStackResourceCommand({ StackName: event.StackId, LogicalResourceId: logicalId }));
  const current: string | undefined = resource.StackResourceDetail?.PhysicalResourceId;
  if (current !== serviceId) {
    return { goes: true, reason: `${logicalId} is now ${current}: ${serviceId} was replaced` };
  }
  return { goes: false, reason: `${serviceId} stays (only the teardown resource is removed): its connections stay` };
}

/**
 * Rejects every connection that blocks the service's deletion and waits until none is left;
 * throws with the ones left at the deadline, or with those AWS did not reject.
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeVpcEndpointConnections.html
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_RejectVpcEndpointConnections.html
 */
export async function rejectConnections(client: any, ec2: any, serviceId: string, deadline: number): Promise<string[]> {
  // pending: accepted and being set up; it becomes available, then it can be rejected.
  const blocking = ['pendingAcceptance', 'pending', 'available'];
  const rejectable = ['pendingAcceptance', 'available'];
  const rejected: string[] = [];
  for (;;) {
    const connections: Array<{ VpcEndpointId: string; VpcEndpointState: string }> = [];
    let nextToken: string | undefined;
    do {
      const page = await client.send(new ec2.DescribeVpcEndpointConnectionsCommand({
        Filters: [{ Name: 'service-id', Values: [serviceId] }], NextToken: nextToken,
      }));
      connections.push(...(page.VpcEndpointConnections ?? []));
      nextToken = page.NextToken;
    } while (nextToken);
    const left = connections.filter(c => blocking.includes(c.VpcEndpointState));
    if (left.length === 0) {
      return rejected;
    }
    const toReject = left.filter(c => rejectable.includes(c.VpcEndpointState) && !rejected.includes(c.VpcEndpointId)).map(c => c.VpcEndpointId);
    if (toReject.length > 0) {
      const result = await client.send(new ec2.RejectVpcEndpointConnectionsCommand({ ServiceId: serviceId, VpcEndpointIds: toReject }));
      const failed: Array<{ ResourceId?: string; Error?: { Code?: string; Message?: string } }> = result.Unsuccessful ?? [];
      if (failed.length > 0) {
        throw new Error('RejectVpcEndpointConnections did not reject ' + failed.map(f => `${f.ResourceId}: ${f.Error?.Code} ${f.Error?.Message}`).join('; '));
      }
      rejected.push(...toReject);
    }
    if (Date.now() > deadline) {
      throw new Error('connections still open at the deadline: ' + left.map(c => `${c.VpcEndpointId} (${c.VpcEndpointState})`).join(', '));
    }
    await new Promise(resolve => setTimeout(resolve, 5000));
  }
}
