import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { NODEJS_RUNTIME } from './inline-handler';
import { acknowledgeNagFindings } from './nag';

/** A function the library deploys for itself (a custom resource or an automation). */
export interface LibraryFunctionProps {
  /** Its code, usually `inlineHandler(...)`. */
  readonly code: lambda.Code;
  /** What it does, for the console. */
  readonly description: string;
  /** What it may do besides writing its logs and traces. */
  readonly statements: iam.PolicyStatement[];
  /** @default Duration.minutes(1) */
  readonly timeout?: Duration;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /** @default RemovalPolicy.RETAIN (what aws-cdk-lib does for log groups) */
  readonly removalPolicy?: RemovalPolicy;
  /** @default - CloudWatch Logs' own encryption */
  readonly logsEncryptionKey?: kms.IKey;
  /** @default - a function outside any VPC */
  readonly vpcProps?: Pick<lambda.FunctionProps, 'vpc' | 'vpcSubnets' | 'securityGroups' | 'allowAllOutbound'>;
  /** @default - none */
  readonly environment?: { [key: string]: string };
  /**
   * Where Lambda puts the events of asynchronous invocations that failed every attempt (the role
   * may send to it).
   * @default - none
   */
  readonly deadLetterQueue?: sqs.IQueue;
}

/**
 * A Lambda function built the same way for everything the library deploys: the newest
 * Node.js runtime, an explicit memory size, active tracing, its own log group with a retention,
 * and a role whose permissions are one customer managed policy (its log group, its traces,
 * plus `statements`): no AWS managed policy, no inline policy.
 */
export class LibraryFunction extends Construct implements iam.IGrantable {
  public readonly function: lambda.Function;
  /** Grants to the function (`secret.grantRead(fn)`) go into its managed policy. */
  public readonly grantPrincipal: iam.IPrincipal;
  public readonly role: iam.Role;
  public readonly logGroup: logs.LogGroup;
  public readonly policy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: LibraryFunctionProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: props.removalPolicy,
      encryptionKey: props.logsEncryptionKey,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: props.description.slice(0, 1000),
    });
    const inVpc = props.vpcProps?.vpc !== undefined;
    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      roles: [this.role],
      statements: [
        new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [this.logGroup.logGroupArn] }),
        // X-Ray and the network interfaces of a function in a VPC have no resource-level permissions.
        // https://docs.aws.amazon.com/lambda/latest/dg/services-xray.html
        new iam.PolicyStatement({ actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], resources: ['*'] }),
        // The permissions of AWSLambdaVPCAccessExecutionRole, the minimum for a
        // function in a VPC (v3, with ec2:DescribeSubnets since January 2024):
        // https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSLambdaVPCAccessExecutionRole.html
        ...(inVpc ? [new iam.PolicyStatement({
          actions: ['ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets', 'ec2:DeleteNetworkInterface',
            'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'],
          resources: ['*'],
        })] : []),
        ...(props.deadLetterQueue ? [new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [props.deadLetterQueue.queueArn] })] : []),
        ...props.statements,
      ],
    });
    this.grantPrincipal = new ManagedPolicyPrincipal(this.role, this.policy);
    acknowledgeNagFindings(this.policy, [{
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray trace segments' + (inVpc ? ' and a VPC function\'s network interfaces' : '') +
        ' have no resource-level permissions (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsx-ray.html).',
    }]);
    this.function = new lambda.Function(this, 'Function', {
      runtime: NODEJS_RUNTIME,
      handler: 'index.handler',
      code: props.code,
      memorySize: 256,
      timeout: props.timeout ?? Duration.minutes(1),
      description: props.description,
      // Immutable for aws-cdk-lib: the grants it would add (logs, X-Ray, VPC) are in the policy above.
      role: this.role.withoutPolicyUpdates(),
      logGroup: this.logGroup,
      tracing: lambda.Tracing.ACTIVE,
      environment: props.environment,
      deadLetterQueue: props.deadLetterQueue,
      ...props.vpcProps,
    });
    // The function must not run before its role may write logs.
    this.function.node.addDependency(this.policy);
  }
}

/**
 * The function's role as a grantee whose statements land in its customer managed policy, not
 * in an inline policy of the role (which compliance packs flag): aws-cdk-lib's `grant*`
 * methods then add least-privilege statements (the secret's ARN with its suffix wildcard, a
 * key's `kms:ViaService` condition) without the library restating them.
 */
class ManagedPolicyPrincipal extends iam.PrincipalBase {
  public readonly policyFragment: iam.PrincipalPolicyFragment;
  public readonly principalAccount: string | undefined;

  constructor(private readonly role: iam.IRole, private readonly policy: iam.ManagedPolicy) {
    super();
    this.policyFragment = role.policyFragment;
    this.principalAccount = role.principalAccount;
  }

  public addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    this.policy.addStatements(statement);
    return { statementAdded: true, policyDependable: this.policy };
  }

  public dedupeString(): string | undefined {
    return `ManagedPolicyPrincipal:${this.role.roleArn}`;
  }
}
