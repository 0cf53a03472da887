import { Fn, Stack } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { acknowledgeCustomResourceProvider, acknowledgeNagFindings } from '../common';

export interface PrivateDnsNameProps {
  readonly endpointService: ec2.VpcEndpointService;
  readonly domainName: string;
  readonly publicHostedZone?: route53.IPublicHostedZone;
  readonly allowedRegions?: string[];
}

/**
 * Sets a private DNS name on an endpoint service and reads the TXT record AWS wants for
 * domain-ownership verification; with a public hosted zone, also publishes that record
 * and starts the verification.
 *
 * Why not `route53.VpcEndpointServiceDomainName`: it needs a hosted zone (this also serves
 * owners who publish the record elsewhere), doesn't expose the record, and its policy lacks
 * `vpce:AllowMultiRegion`, which the call needs once the service has `allowedRegions`
 * (aws/aws-cdk#36216). The L1 `PrivateDnsName` property needs aws-cdk-lib 2.268.0.
 */
export class PrivateDnsName extends Construct {
  /** The TXT record's name, as AWS returns it. */
  public readonly verificationRecordName: string;
  /** The TXT record's value. */
  public readonly verificationRecordValue: string;

  constructor(scope: Construct, id: string, props: PrivateDnsNameProps) {
    super(scope, id);
    const serviceId = props.endpointService.vpcEndpointServiceId;
    const stack = Stack.of(this);
    const serviceArn = stack.formatArn({ service: 'ec2', resource: 'vpc-endpoint-service', resourceName: serviceId });
    const serviceCall = (action: string, parameters: object, physicalId: string, outputPaths?: string[]): cr.AwsSdkCall => ({
      service: 'EC2', action, parameters, physicalResourceId: cr.PhysicalResourceId.of(physicalId), outputPaths,
    });
    const scoped = (actions: string[], resources: string[]) =>
      cr.AwsCustomResourcePolicy.fromStatements([new iam.PolicyStatement({ actions, resources })]);

    // The physical ID is the service's, whatever the name (as aws-cdk-lib's
    // VpcEndpointServiceDomainName does): a rename is then an update. Were it the name, a rename
    // would be a replacement, and CloudFormation's Delete of the old physical ID, sent after the
    // new name is set, would remove it.
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-requesttypes-delete.html
    const setName = new cr.AwsCustomResource(this, 'SetName', {
      onCreate: serviceCall('modifyVpcEndpointServiceConfiguration', { ServiceId: serviceId, PrivateDnsName: props.domainName }, serviceId),
      onUpdate: serviceCall('modifyVpcEndpointServiceConfiguration', { ServiceId: serviceId, PrivateDnsName: props.domainName }, serviceId),
      onDelete: serviceCall('modifyVpcEndpointServiceConfiguration', { ServiceId: serviceId, RemovePrivateDnsName: true }, serviceId),
      policy: scoped(
        ['ec2:ModifyVpcEndpointServiceConfiguration', ...(props.allowedRegions ? ['vpce:AllowMultiRegion'] : [])],
        [serviceArn],
      ),
      installLatestAwsSdk: false,
    });

    // Reads only, and only for one service ID, so index 0 always exists. Its physical ID names the
    // domain on purpose: a rename replaces it, which reads the new record; its Delete does nothing.
    const recordPaths = ['ServiceConfigurations.0.PrivateDnsNameConfiguration.Name', 'ServiceConfigurations.0.PrivateDnsNameConfiguration.Value'];
    const readRecord = new cr.AwsCustomResource(this, 'ReadVerificationRecord', {
      onCreate: serviceCall('describeVpcEndpointServiceConfigurations', { ServiceIds: [serviceId] }, `${props.domainName}:record`, recordPaths),
      onUpdate: serviceCall('describeVpcEndpointServiceConfigurations', { ServiceIds: [serviceId] }, `${props.domainName}:record`, recordPaths),
      policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: cr.AwsCustomResourcePolicy.ANY_RESOURCE }),
      installLatestAwsSdk: false,
    });
    readRecord.node.addDependency(setName);
    this.verificationRecordName = readRecord.getResponseField('ServiceConfigurations.0.PrivateDnsNameConfiguration.Name');
    this.verificationRecordValue = readRecord.getResponseField('ServiceConfigurations.0.PrivateDnsNameConfiguration.Value');
    acknowledgeNagFindings(readRecord, [{
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'ec2:DescribeVpcEndpointServiceConfigurations cannot be scoped to resources; the call only reads the verification record.',
    }]);

    if (props.publicHostedZone) {
      const record = new route53.TxtRecord(this, 'VerificationRecord', {
        zone: props.publicHostedZone,
        recordName: this.verificationRecordName,
        values: [this.verificationRecordValue],
      });
      // Like the record's reader: a new name (or record) replaces it, which starts a new
      // verification; its Delete does nothing.
      const verify = new cr.AwsCustomResource(this, 'StartVerification', {
        onCreate: serviceCall('startVpcEndpointServicePrivateDnsVerification', { ServiceId: serviceId }, Fn.join(':', [props.domainName, this.verificationRecordValue])),
        onUpdate: serviceCall('startVpcEndpointServicePrivateDnsVerification', { ServiceId: serviceId }, Fn.join(':', [props.domainName, this.verificationRecordValue])),
        policy: scoped(['ec2:StartVpcEndpointServicePrivateDnsVerification'], [serviceArn]),
        installLatestAwsSdk: false,
      });
      verify.node.addDependency(record);
    }

    acknowledgeCustomResourceProvider(setName);
  }
}
