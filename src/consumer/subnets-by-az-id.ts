import { CustomResource, Fn } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { subnetsByAzIdHandler } from './subnets-by-az-id.handler';
import { acknowledgeNagFindings, customResourceFunctionAcknowledgements, inlineHandler, LibraryFunction } from '../common';
import { respondToCloudFormation } from '../common/cfn-response.handler';

export interface SubnetsByAzIdProps {
  readonly vpc: ec2.IVpc;
  /** The candidate subnets. */
  readonly subnets: ec2.ISubnet[];
  /** Keep those in these AZ IDs. */
  readonly availabilityZoneIds: string[];
  /** For the function's log group. */
  readonly logsEncryptionKey?: kms.IKey;
}

/**
 * The subnets, among some of a VPC, that are in given AZ IDs: known only at deploy time (AZ
 * IDs need credentials to look up). A custom resource whose function answers with every
 * match, so a VPC that covers only some of the AZ IDs still gets an endpoint.
 */
export class SubnetsByAzId extends Construct {
  /** The IDs of the matching subnets (a deploy-time list). */
  public readonly subnetIds: string[];

  constructor(scope: Construct, id: string, props: SubnetsByAzIdProps) {
    super(scope, id);
    const lookup = new LibraryFunction(this, 'Function', {
      code: inlineHandler(subnetsByAzIdHandler, respondToCloudFormation),
      description: 'cdk-ecs-privatelink: finds the consumer subnets in given AZ IDs (ec2:DescribeSubnets)',
      // ec2:DescribeSubnets has no resource-level permissions.
      // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html
      statements: [new iam.PolicyStatement({ actions: ['ec2:DescribeSubnets'], resources: ['*'] })],
      logsEncryptionKey: props.logsEncryptionKey,
    });
    acknowledgeNagFindings(lookup.function, customResourceFunctionAcknowledgements('The AZ-ID lookup function'));
    acknowledgeNagFindings(lookup.policy, [{
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'ec2:DescribeSubnets has no resource-level permissions; the function only reads subnets to find those in the given AZ IDs.',
    }]);
    const resource = new CustomResource(this, 'Resource', {
      serviceToken: lookup.function.functionArn,
      resourceType: 'Custom::SubnetsByAzId',
      properties: {
        VpcId: props.vpc.vpcId,
        SubnetIds: props.subnets.map(s => s.subnetId),
        AvailabilityZoneIds: props.availabilityZoneIds,
      },
    });
    this.subnetIds = Fn.split(',', resource.getAttString('SubnetIds'));
  }
}
