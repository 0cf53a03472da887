/* The function behind `SubnetsByAzId`: inlined into the template by `inlineHandler`, so every
 * function here is self-contained. */
import type { respondToCloudFormation as Respond } from '../common/cfn-response.handler';

declare const respondToCloudFormation: typeof Respond;

/** What CloudFormation sends (the fields this handler reads). */
export interface SubnetsByAzIdEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly ResponseURL: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties: {
    readonly VpcId: string;
    readonly SubnetIds: string[];
    readonly AvailabilityZoneIds: string[];
  };
}

/**
 * Picks, among the consumer's subnets, those in the given AZ IDs (`DescribeSubnets` with
 * `subnet-id` and `availability-zone-id` filters), and returns their IDs comma-joined as
 * `SubnetIds`. Whatever number matches is used; none fails the deploy with a message naming
 * the AZ IDs and the VPC. Delete has nothing to undo. The physical ID is the same for every
 * input, so a change of AZ IDs is an update of this resource, never a replacement.
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeSubnets.html
 */
export async function subnetsByAzIdHandler(event: SubnetsByAzIdEvent): Promise<void> {
  const physicalResourceId = event.PhysicalResourceId ?? `${event.LogicalResourceId}-subnets-by-az-id`;
  if (event.RequestType === 'Delete') {
    return respondToCloudFormation(event, 'SUCCESS', physicalResourceId);
  }
  const { VpcId: vpcId, SubnetIds: subnetIds, AvailabilityZoneIds: azIds } = event.ResourceProperties;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- inlined code loads the SDK the runtime provides
    const { EC2Client, DescribeSubnetsCommand } = require('@aws-sdk/client-ec2');
    const ec2 = new EC2Client({});
    const found: Array<{ SubnetId: string; AvailabilityZoneId: string }> = [];
    let nextToken: string | undefined;
    do {
      const page = await ec2.send(new DescribeSubnetsCommand({
        Filters: [{ Name: 'subnet-id', Values: subnetIds }, { Name: 'availability-zone-id', Values: azIds }],
        NextToken: nextToken,
      }));
      found.push(...(page.Subnets ?? []));
      nextToken = page.NextToken;
    } while (nextToken);
    if (found.length === 0) {
      return await respondToCloudFormation(event, 'FAILED', physicalResourceId,
        `None of the subnets ${subnetIds.join(', ')} of VPC ${vpcId} is in the AZ IDs ${azIds.join(', ')}: ` +
        'give subnets in those AZs (the AZs the provider\'s NLB serves), or other availabilityZoneIds.');
    }
    const ids = found.map(s => s.SubnetId).sort();
    console.log(JSON.stringify({ vpcId, azIds, subnets: found }));
    return await respondToCloudFormation(event, 'SUCCESS', physicalResourceId, undefined, { SubnetIds: ids.join(',') });
  } catch (e) {
    return respondToCloudFormation(event, 'FAILED', physicalResourceId, `DescribeSubnets failed: ${(e as Error).message}`);
  }
}
