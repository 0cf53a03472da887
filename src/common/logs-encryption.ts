import { ArnFormat, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { IConstruct } from 'constructs';
import { Validator } from './validation';

/**
 * Lets CloudWatch Logs of the stack's account and region use `key` for its log groups, with
 * AWS's documented key-policy statement (the service principal of the region, conditioned on
 * the log groups' encryption context). A key imported into the app can't be changed: then a
 * warning gives the statement its owner must add.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
 */
export function allowLogsToUseKey(scope: IConstruct, prop: string, key: kms.IKey): void {
  const stack = Stack.of(scope);
  const statement = new iam.PolicyStatement({
    actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
    principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
    resources: ['*'],
    conditions: {
      ArnLike: { 'kms:EncryptionContext:aws:logs:arn': stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
    },
  });
  if (!key.addToResourcePolicy(statement, /* allowNoOp */ true).statementAdded) {
    const known = (value: string, placeholder: string) => Token.isUnresolved(value) ? placeholder : value;
    const region = known(stack.region, '<region>');
    const account = known(stack.account, '<account>');
    new Validator(scope).warn('logsEncryptionKeyPolicy', `${prop} is a key imported into the app: the library cannot change ` +
      'its policy, and CloudWatch Logs can\'t create the encrypted log groups unless its owner adds: ' +
      `{"Effect":"Allow","Principal":{"Service":"logs.${region}.amazonaws.com"},"Action":["kms:Encrypt*","kms:Decrypt*",` +
      '"kms:ReEncrypt*","kms:GenerateDataKey*","kms:Describe*"],"Resource":"*","Condition":{"ArnLike":' +
      `{"kms:EncryptionContext:aws:logs:arn":"arn:aws:logs:${region}:${account}:log-group:*"}}}. ` +
      'See https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html');
  }
}
