import { CustomResource, Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import type { EndpointServiceFunctionProps } from './endpoint-service-function-props';
import { endpointServiceTeardownHandler, rejectConnections, serviceGoes } from './endpoint-service-teardown.handler';
import { acknowledgeNagFindings, customResourceFunctionAcknowledgements, inlineHandler, LibraryFunction } from '../common';
import { respondToCloudFormation } from '../common/cfn-response.handler';

/** Properties of an `EndpointServiceTeardown`. */
export interface EndpointServiceTeardownProps extends EndpointServiceFunctionProps {
  /** The endpoint service whose connections are rejected before CloudFormation deletes it. */
  readonly endpointService: ec2.VpcEndpointService;
}

/**
 * Lets CloudFormation delete an endpoint service that consumers are still connected to: AWS
 * refuses to delete one with available or pending connections, so `cdk destroy` of the provider
 * fails while any customer's endpoint exists. This custom resource depends on the endpoint
 * service, so CloudFormation deletes it first; its Delete rejects the remaining connections
 * (`RejectVpcEndpointConnections`, allowed on this endpoint service only) and waits until none
 * is left. The consumers' endpoints stay, rejected, until their owners delete them.
 *
 * It acts only when the endpoint service itself is deleted (the stack is deleted, or the service
 * leaves the template or is replaced): removing this construct alone leaves every connection.
 *
 * `EcsPrivateLinkApi` creates one with `rejectConnectionsOnDelete: true`.
 */
export class EndpointServiceTeardown extends Construct {
  /** The custom resource's function. */
  public readonly lambdaFunction: lambda.IFunction;

  constructor(scope: Construct, id: string, props: EndpointServiceTeardownProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const serviceId = props.endpointService.vpcEndpointServiceId;
    const serviceArn = stack.formatArn({ service: 'ec2', resource: 'vpc-endpoint-service', resourceName: serviceId });
    const teardown = new LibraryFunction(this, 'Function', {
      code: inlineHandler(endpointServiceTeardownHandler, respondToCloudFormation, serviceGoes, rejectConnections),
      description: `cdk-ecs-privatelink: rejects the connections of ${this.node.path} before CloudFormation deletes its endpoint service`.slice(0, 256),
      timeout: Duration.minutes(5),
      statements: [
        // Describe has no resource-level permissions; rejecting is allowed on the service.
        // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html
        new iam.PolicyStatement({ actions: ['ec2:DescribeVpcEndpointConnections'], resources: ['*'] }),
        new iam.PolicyStatement({
          actions: ['ec2:RejectVpcEndpointConnections', ...(props.multiRegion ? ['vpce:AllowMultiRegion'] : [])],
          resources: [serviceArn],
        }),
        // Is the service deleted too? Read this stack only.
        // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscloudformation.html
        new iam.PolicyStatement({
          actions: ['cloudformation:DescribeStacks', 'cloudformation:GetTemplate', 'cloudformation:DescribeStackResource'],
          resources: [stack.stackId],
        }),
      ],
      logRetention: props.logRetention,
      logsEncryptionKey: props.logsEncryptionKey,
      removalPolicy: props.removalPolicy,
    });
    this.lambdaFunction = teardown.function;
    acknowledgeNagFindings(teardown.function, customResourceFunctionAcknowledgements('The teardown function'));
    acknowledgeNagFindings(teardown.policy, [{
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'ec2:DescribeVpcEndpointConnections has no resource-level permissions; the function only reads the connections of its endpoint service.',
    }]);

    // References the service, so CloudFormation deletes this first.
    new CustomResource(this, 'Resource', {
      serviceToken: teardown.function.functionArn,
      resourceType: 'Custom::EndpointServiceTeardown',
      properties: {
        ServiceId: serviceId,
        ServiceLogicalId: stack.getLogicalId(cfnServiceOf(props.endpointService)),
      },
    });
  }
}

/** The L1 of an endpoint service: aws-cdk-lib names it like the L2, so it is not `defaultChild`. */
function cfnServiceOf(service: ec2.VpcEndpointService): ec2.CfnVPCEndpointService {
  return service.node.children.find((c): c is ec2.CfnVPCEndpointService => c instanceof ec2.CfnVPCEndpointService)!;
}
