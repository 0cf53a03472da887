import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { NODEJS_RUNTIME } from './inline-handler';

/** A function the library deploys for itself (a custom resource or an automation). */
export interface LibraryFunctionProps {
  /** Its code, usually `inlineHandler(...)`. */
  readonly code: lambda.Code;
  /** What it does, for the console. */
  readonly description: string;
  /** What it may do besides writing its own logs. */
  readonly statements: iam.PolicyStatement[];
  /** @default Duration.minutes(1) */
  readonly timeout?: Duration;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /** @default RemovalPolicy.RETAIN (what aws-cdk-lib does for log groups) */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * A Lambda function built the same way for everything the library deploys: the newest
 * Node.js runtime, an explicit memory size, its own log group with a retention, and a role
 * whose permissions are one customer managed policy (its log group, plus `statements`): no
 * AWS managed policy, no inline policy.
 */
export class LibraryFunction extends Construct {
  public readonly function: lambda.Function;
  public readonly role: iam.Role;
  public readonly logGroup: logs.LogGroup;
  public readonly policy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: LibraryFunctionProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: props.removalPolicy,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: props.description.slice(0, 1000),
    });
    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      roles: [this.role],
      statements: [
        new iam.PolicyStatement({
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [this.logGroup.logGroupArn],
        }),
        ...props.statements,
      ],
    });
    this.function = new lambda.Function(this, 'Function', {
      runtime: NODEJS_RUNTIME,
      handler: 'index.handler',
      code: props.code,
      memorySize: 256,
      timeout: props.timeout ?? Duration.minutes(1),
      description: props.description,
      role: this.role,
      logGroup: this.logGroup,
    });
    // The function must not run before its role may write logs.
    this.function.node.addDependency(this.policy);
  }
}
