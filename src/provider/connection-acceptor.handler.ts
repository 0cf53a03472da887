/* The function behind `ConnectionAcceptor`: inlined into the template by `inlineHandler`, so every
 * function here is self-contained. */

/**
 * What Lambda receives from SNS (the fields this handler reads).
 * https://docs.aws.amazon.com/lambda/latest/dg/with-sns.html
 */
export interface SnsEvent {
  readonly Records?: ReadonlyArray<{ readonly EventSource?: string; readonly Sns?: { readonly MessageId?: string; readonly Message?: string } }>;
}

/** What the function did, also written to its log. */
export interface AcceptorResult {
  readonly accepted: string[];
  readonly leftPending: Array<{ readonly vpcEndpointId: string; readonly owner: string }>;
}

/**
 * Accepts the pending connection requests to the endpoint service (`SERVICE_ID`) whose endpoint
 * belongs to one of `AUTO_ACCEPT_ACCOUNTS`; every other request stays pending for the provider.
 *
 * A connection notification only triggers the function: the SNS message's body is not a
 * documented format, so the function reads the state from `DescribeVpcEndpointConnections`
 * (every page, filtered to this service and `pendingAcceptance`), whose `VpcEndpointOwner` is the
 * endpoint's account. That also catches requests a lost or failed notification missed.
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeVpcEndpointConnections.html
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AcceptVpcEndpointConnections.html
 * A connection AWS did not accept (`Unsuccessful`) fails the invocation: Lambda retries it, then
 * keeps the event in the dead-letter queue.
 */
export async function connectionAcceptorHandler(event: SnsEvent): Promise<AcceptorResult> {
  const serviceId = process.env.SERVICE_ID as string;
  const accounts = (process.env.AUTO_ACCEPT_ACCOUNTS ?? '').split(',').filter(a => a.length > 0);
  const notifications = (event?.Records ?? []).map(r => ({ messageId: r.Sns?.MessageId, message: r.Sns?.Message }));
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- inlined code loads the SDK the runtime provides
  const { EC2Client, DescribeVpcEndpointConnectionsCommand, AcceptVpcEndpointConnectionsCommand } = require('@aws-sdk/client-ec2');
  const ec2 = new EC2Client({});

  // EC2's API is eventually consistent: the request a Connect notification announces may not be
  // listed yet. With nothing pending, read again (PENDING_RECHECKS times, PENDING_RECHECK_MS
  // apart); a notification of another event (Accept, Reject, Delete) costs those seconds.
  // https://docs.aws.amazon.com/ec2/latest/devguide/eventual-consistency.html
  const rechecks = Number(process.env.PENDING_RECHECKS ?? '2');
  const pause = Number(process.env.PENDING_RECHECK_MS ?? '10000');
  let pending: Array<{ VpcEndpointId: string; VpcEndpointOwner: string }> = [];
  for (let read = 0; read <= rechecks; read++) {
    if (read > 0) {
      await new Promise(resolve => setTimeout(resolve, pause));
    }
    pending = [];
    let nextToken: string | undefined;
    do {
      const page = await ec2.send(new DescribeVpcEndpointConnectionsCommand({
        Filters: [{ Name: 'service-id', Values: [serviceId] }, { Name: 'vpc-endpoint-state', Values: ['pendingAcceptance'] }],
        NextToken: nextToken,
      }));
      pending.push(...(page.VpcEndpointConnections ?? []));
      nextToken = page.NextToken;
    } while (nextToken);
    if (pending.length > 0) {
      break;
    }
  }

  const accepted = pending.filter(c => accounts.includes(c.VpcEndpointOwner)).map(c => c.VpcEndpointId);
  const leftPending = pending.filter(c => !accounts.includes(c.VpcEndpointOwner))
    .map(c => ({ vpcEndpointId: c.VpcEndpointId, owner: c.VpcEndpointOwner }));
  if (accepted.length > 0) {
    const result = await ec2.send(new AcceptVpcEndpointConnectionsCommand({ ServiceId: serviceId, VpcEndpointIds: accepted }));
    const failed: Array<{ ResourceId?: string; Error?: { Code?: string; Message?: string } }> = result.Unsuccessful ?? [];
    if (failed.length > 0) {
      throw new Error(`AcceptVpcEndpointConnections for ${serviceId} did not accept ` +
        failed.map(f => `${f.ResourceId}: ${f.Error?.Code} ${f.Error?.Message}`).join('; '));
    }
  }
  console.log(JSON.stringify({ serviceId, notifications, accepted, leftPending }));
  return { accepted, leftPending };
}
