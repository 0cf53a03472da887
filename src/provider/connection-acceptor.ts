import { Duration, Fn, Stack } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { connectionAcceptorHandler } from './connection-acceptor.handler';
import { validateAcceptedAccounts } from './connection-automation-validation';
import type { EndpointServiceFunctionProps } from './endpoint-service-function-props';
import { acknowledgeNagFindings, inlineHandler, inPacks, LibraryFunction, NAG_PACKS, Validator } from '../common';

/** Properties of a `ConnectionAcceptor`. */
export interface ConnectionAcceptorProps extends EndpointServiceFunctionProps {
  /** The endpoint service whose connection requests are accepted. */
  readonly endpointService: ec2.IVpcEndpointService;

  /**
   * The topic the endpoint service's connection notifications go to (at least the `Connect`
   * event): each notification triggers the acceptance.
   */
  readonly notificationTopic: sns.ITopic;

  /**
   * The AWS accounts (12-digit IDs) whose endpoints are accepted. Requests from any other
   * account stay pending, for you to accept or reject.
   */
  readonly accounts: string[];
}

/**
 * Accepts the connection requests of listed AWS accounts to an endpoint service that requires
 * acceptance; every other request stays pending, and the notification topic tells its
 * subscribers about it. Many compliance rules require `acceptanceRequired`; this keeps it on
 * and still connects known customers without a manual step.
 *
 * A function subscribed to the connection-notification topic reads the pending requests
 * (`DescribeVpcEndpointConnections`) and accepts those whose endpoint a listed account owns
 * (`AcceptVpcEndpointConnections`, allowed on this endpoint service only). Failed attempts are
 * retried by Lambda and then kept in `deadLetterQueue`.
 *
 * `EcsPrivateLinkApi` creates one with `autoAcceptAccounts`.
 */
export class ConnectionAcceptor extends Construct {
  /** The function that accepts the requests. */
  public readonly lambdaFunction: lambda.IFunction;
  /**
   * Notifications SNS could not deliver to the function, or the function failed to act on after
   * Lambda's retries (kept 14 days).
   */
  public readonly deadLetterQueue: sqs.IQueue;

  constructor(scope: Construct, id: string, props: ConnectionAcceptorProps) {
    super(scope, id);
    validateAcceptedAccounts(new Validator(this), 'accounts', props.accounts);

    const serviceId = props.endpointService.vpcEndpointServiceId;
    const serviceArn = Stack.of(this).formatArn({ service: 'ec2', resource: 'vpc-endpoint-service', resourceName: serviceId });
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    const accept = new LibraryFunction(this, 'Function', {
      code: inlineHandler(connectionAcceptorHandler),
      description: `cdk-ecs-privatelink: accepts connection requests to ${this.node.path} from listed accounts`.slice(0, 256),
      environment: { SERVICE_ID: serviceId, AUTO_ACCEPT_ACCOUNTS: Fn.join(',', props.accounts), PENDING_RECHECKS: '2', PENDING_RECHECK_MS: '10000' },
      statements: [
        // DescribeVpcEndpointConnections has no resource-level permissions; accepting is
        // allowed on the vpc-endpoint-service resource type.
        // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html
        new iam.PolicyStatement({ actions: ['ec2:DescribeVpcEndpointConnections'], resources: ['*'] }),
        new iam.PolicyStatement({
          actions: ['ec2:AcceptVpcEndpointConnections', ...(props.multiRegion ? ['vpce:AllowMultiRegion'] : [])],
          resources: [serviceArn],
        }),
      ],
      deadLetterQueue: this.deadLetterQueue,
      logRetention: props.logRetention,
      logsEncryptionKey: props.logsEncryptionKey,
      removalPolicy: props.removalPolicy,
    });
    this.lambdaFunction = accept.function;
    // Notifications SNS could not deliver to the function go to the same queue.
    props.notificationTopic.addSubscription(new subscriptions.LambdaSubscription(accept.function, { deadLetterQueue: this.deadLetterQueue }));

    acknowledgeNagFindings(this.deadLetterQueue, [{
      id: `${NAG_PACKS.SERVERLESS}-SQSRedrivePolicy`,
      reason: 'This queue is the dead-letter queue (of the function and of its SNS subscription): it has no dead-letter queue of its own.',
    }]);
    acknowledgeNagFindings(accept.policy, [{
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'ec2:DescribeVpcEndpointConnections has no resource-level permissions; the function only reads the connection requests of its endpoint service.',
    }]);
    acknowledgeNagFindings(accept.function, [
      ...inPacks('LambdaConcurrency', 'The function runs once per connection notification; reserving concurrency for it would take from ' +
        'the account\'s unreserved pool, which Lambda keeps at 100 or more, and fails the deploy in accounts with a low quota.',
      [NAG_PACKS.NIST, NAG_PACKS.HIPAA]),
      ...inPacks('LambdaInsideVPC', 'The function only calls the EC2 API and reaches no resource in a VPC; inside one it would need a NAT ' +
        'gateway or an EC2 interface endpoint.'),
    ]);
  }
}
