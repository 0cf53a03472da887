import { Fn, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { acknowledgeCustomResourceProvider, acknowledgeNagFindings, inPacks, Validator } from '../common';

export interface PrivateDnsNameProps {
  readonly endpointService: ec2.VpcEndpointService;
  readonly domainName: string;
  readonly publicHostedZone?: route53.IPublicHostedZone;
  readonly allowedRegions?: string[];
  readonly logsEncryptionKey?: kms.IKey;
  readonly removalPolicy?: RemovalPolicy;
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
    // The stack has one AwsCustomResource function, configured by the first resource: these
    // settings, and one log group in the stack's scope.
    const provider = {
      installLatestAwsSdk: false,
      memorySize: 256,
      logGroup: sharedLogGroup(this, props),
    };

    // The physical ID is the service's, whatever the name (as aws-cdk-lib's
    // VpcEndpointServiceDomainName does): a rename is then an update. Were it the name, a rename
    // would be a replacement, and CloudFormation's Delete of the old physical ID, sent after the
    // new name is set, would remove it.
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-requesttypes-delete.html
    const setName = new cr.AwsCustomResource(this, 'SetName', {
      onCreate: serviceCall('modifyVpcEndpointServiceConfiguration', { ServiceId: serviceId, PrivateDnsName: props.domainName }, serviceId),
      // No physical ID on update: the handler keeps the one it has, so a stack deployed by an
      // earlier release (whose physical ID was the name) is updated in place, not replaced.
      onUpdate: { service: 'EC2', action: 'modifyVpcEndpointServiceConfiguration', parameters: { ServiceId: serviceId, PrivateDnsName: props.domainName } },
      onDelete: serviceCall('modifyVpcEndpointServiceConfiguration', { ServiceId: serviceId, RemovePrivateDnsName: true }, serviceId),
      policy: scoped(
        ['ec2:ModifyVpcEndpointServiceConfiguration', ...(props.allowedRegions ? ['vpce:AllowMultiRegion'] : [])],
        [serviceArn],
      ),
      ...provider,
    });

    // Reads only, and only for one service ID, so index 0 always exists. Its physical ID names the
    // domain on purpose: a rename replaces it, which reads the new record; its Delete does nothing.
    const recordPaths = ['ServiceConfigurations.0.PrivateDnsNameConfiguration.Name', 'ServiceConfigurations.0.PrivateDnsNameConfiguration.Value'];
    const readRecord = new cr.AwsCustomResource(this, 'ReadVerificationRecord', {
      onCreate: serviceCall('describeVpcEndpointServiceConfigurations', { ServiceIds: [serviceId] }, `${props.domainName}:record`, recordPaths),
      onUpdate: serviceCall('describeVpcEndpointServiceConfigurations', { ServiceIds: [serviceId] }, `${props.domainName}:record`, recordPaths),
      policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: cr.AwsCustomResourcePolicy.ANY_RESOURCE }),
      ...provider,
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
        ...provider,
      });
      verify.node.addDependency(record);
    }

    acknowledgeCustomResourceProvider(setName);
    for (const resource of this.node.children.filter((c): c is cr.AwsCustomResource => c instanceof cr.AwsCustomResource)) {
      acknowledgeNagFindings(resource, inPacks('IAMNoInlinePolicy', 'aws-cdk-lib\'s AwsCustomResource writes the permissions ' +
        'of its call as a policy of its provider\'s role, scoped to this endpoint service where the call allows it.'));
    }
  }
}

/** The ID of the log group of aws-cdk-lib's AwsCustomResource function, in the stack's scope. */
const PROVIDER_LOGS = 'CdkEcsPrivateLinkCustomResourceLogs';

/** The settings the stack's shared log group was made with, and by whom. */
const logGroupSettings = new WeakMap<logs.LogGroup, { key?: kms.IKey; removalPolicy?: RemovalPolicy; by: string }>();

/**
 * The log group of the stack's one AwsCustomResource function: made by the first API that needs
 * it, with that API's key and removal policy. A later API with other settings can't change them,
 * so it hears so instead of finding out from the template.
 */
function sharedLogGroup(scope: Construct, props: PrivateDnsNameProps): logs.LogGroup {
  const stack = Stack.of(scope);
  const existing = stack.node.tryFindChild(PROVIDER_LOGS) as logs.LogGroup | undefined;
  if (!existing) {
    const logGroup = new logs.LogGroup(stack, PROVIDER_LOGS, {
      retention: logs.RetentionDays.ONE_MONTH,
      encryptionKey: props.logsEncryptionKey,
      removalPolicy: props.removalPolicy,
    });
    logGroupSettings.set(logGroup, { key: props.logsEncryptionKey, removalPolicy: props.removalPolicy, by: scope.node.path });
    return logGroup;
  }
  const first = logGroupSettings.get(existing);
  if (first && (first.key !== props.logsEncryptionKey || first.removalPolicy !== props.removalPolicy)) {
    new Validator(scope).warn('sharedCustomResourceLogs', `the stack's custom-resource log group ${existing.node.path} was made ` +
      `for ${first.by}, with its logsEncryptionKey and removalPolicy; this API's differ and don't apply to it (one ` +
      'AwsCustomResource function, and one log group, per stack). Give both APIs the same settings, or put them in separate stacks.');
  }
  return existing;
}
