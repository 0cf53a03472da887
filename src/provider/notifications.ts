/**
 * Connection notifications of an endpoint service: the SNS topic, the policies that let
 * PrivateLink publish to it, and the notification itself.
 *
 * The statements follow AWS's documented topic and key policies, with `aws:SourceArn` and
 * `aws:SourceAccount` against the confused deputy:
 * https://docs.aws.amazon.com/vpc/latest/privatelink/create-notification-endpoint-service.html
 */
import { RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { Validator } from '../common';

/** The events a provider hears of: a consumer asks, is accepted or rejected, or leaves. */
const CONNECTION_EVENTS = ['Connect', 'Accept', 'Reject', 'Delete'];
const VPCE = 'vpce.amazonaws.com';
const KMS_ACTIONS = ['kms:GenerateDataKey*', 'kms:Decrypt'];

export interface ConnectionNotificationsOptions {
  readonly endpointService: ec2.VpcEndpointService;
  /** The user's topic; a new encrypted one when not given. */
  readonly topic?: sns.ITopic;
  /** For the KMS key of a new topic. */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Notifies a topic of the endpoint service's connection events; returns the topic. Children
 * are created in `scope` (the API) with the IDs they always had, so their logical IDs stay.
 */
export function addConnectionNotifications(scope: Construct, options: ConnectionNotificationsOptions): sns.ITopic {
  const service = options.endpointService;
  const condition = sourceConditions(scope, service.vpcEndpointServiceId);
  const topic = options.topic ?? createTopic(scope, condition, options.removalPolicy);
  const topicStatement = new iam.PolicyStatement({
    actions: ['sns:Publish'],
    principals: [new iam.ServicePrincipal(VPCE)],
    resources: [topic.topicArn],
    conditions: condition,
  });
  const policy = topic.addToResourcePolicy(topicStatement);
  if (!policy.statementAdded) {
    // An imported topic: its policy belongs to its owner, and without the statement AWS
    // drops every notification without a word.
    new Validator(scope).warn('notificationTopicPolicy', importedTopicMessage(scope, topic));
  }
  // No L2 for connection notifications.
  const notification = new ec2.CfnVPCEndpointConnectionNotification(scope, 'ConnectionNotification', {
    serviceId: service.vpcEndpointServiceId,
    connectionEvents: CONNECTION_EVENTS,
    connectionNotificationArn: topic.topicArn,
  });
  // Created after the topic policy that lets PrivateLink publish (and its key's), so that the
  // first notifications are not dropped. AWS doesn't say whether it checks at creation; the
  // order costs nothing.
  if (policy.policyDependable) {
    notification.node.addDependency(policy.policyDependable);
  }
  return topic;
}

/** `aws:SourceArn` of this endpoint service and `aws:SourceAccount` of its account. */
function sourceConditions(scope: Construct, serviceId: string): Record<string, unknown> {
  const stack = Stack.of(scope);
  return {
    ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'ec2', resource: 'vpc-endpoint-service', resourceName: serviceId }) },
    StringEquals: { 'aws:SourceAccount': stack.account },
  };
}

/** A topic encrypted with a new key that PrivateLink may use, for this endpoint service only. */
function createTopic(scope: Construct, condition: Record<string, unknown>, removalPolicy?: RemovalPolicy): sns.Topic {
  const key = new kms.Key(scope, 'NotificationKey', {
    description: `Connection notifications of ${scope.node.path}`,
    enableKeyRotation: true,
    removalPolicy,
  });
  key.addToResourcePolicy(new iam.PolicyStatement({
    actions: KMS_ACTIONS,
    principals: [new iam.ServicePrincipal(VPCE)],
    resources: ['*'],
    conditions: condition,
  }));
  return new sns.Topic(scope, 'ConnectionNotifications', { masterKey: key, enforceSSL: true });
}

/** What the owner of an imported topic must add, with every value the library knows filled in. */
function importedTopicMessage(scope: Construct, topic: sns.ITopic): string {
  const stack = Stack.of(scope);
  const known = (value: string, placeholder: string) => Token.isUnresolved(value) ? placeholder : value;
  const account = known(stack.account, '<provider account>');
  const region = known(stack.region, '<region>');
  const partition = known(stack.partition, 'aws');
  const condition = JSON.stringify({
    ArnLike: { 'aws:SourceArn': `arn:${partition}:ec2:${region}:${account}:vpc-endpoint-service/<endpoint service ID>` },
    StringEquals: { 'aws:SourceAccount': account },
  });
  const principal = JSON.stringify({ Service: VPCE });
  return `notificationTopic ${known(topic.topicArn, '(imported)')} is imported: the library cannot change its policy, and ` +
    'PrivateLink publishes nothing to it until its owner adds this statement to the topic policy: ' +
    `{"Effect":"Allow","Principal":${principal},"Action":"sns:Publish","Resource":"${known(topic.topicArn, '<topic ARN>')}","Condition":${condition}}` +
    '. If the topic is encrypted with a customer managed KMS key, also add to the key policy: ' +
    `{"Effect":"Allow","Principal":${principal},"Action":${JSON.stringify(KMS_ACTIONS)},"Resource":"*","Condition":${condition}}` +
    '. The endpoint service ID is the end of the EndpointServiceName output. ' +
    'See https://docs.aws.amazon.com/vpc/latest/privatelink/create-notification-endpoint-service.html';
}
