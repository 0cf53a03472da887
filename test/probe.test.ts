import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import { FLAG_SETTINGS, groupIdOf, IMAGE, logicalIdOf, newStack } from './helpers';
import { EcsPrivateLinkApi, PrivateLinkConsumer, PrivateLinkProbe, PrivateLinkProbeProps } from '../src';

const SERVICE = 'com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0';

describe.each(FLAG_SETTINGS)('PrivateLinkProbe with $name', ({ context }) => {
  function probed(props: Partial<PrivateLinkProbeProps> = {}, isolated = true) {
    const stack = newStack(context);
    const vpc = isolated
      ? new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] })
      : new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 });
    const consumer = new PrivateLinkConsumer(stack, 'Consumer', { vpc, serviceName: SERVICE, allowedPeers: [] });
    const probe = new PrivateLinkProbe(stack, 'Probe', { consumer, ...props });
    return { stack, vpc, consumer, probe, template: Template.fromStack(stack) };
  }

  test('a function in the consumer\'s private subnets that may reach only the endpoint, on its port', () => {
    const { template } = probed();
    const probeSg = logicalIdOf(template, 'AWS::EC2::SecurityGroup', { GroupDescription: Match.stringLikeRegexp('^Probe Test/Probe') });
    const endpointSg = logicalIdOf(template, 'AWS::EC2::SecurityGroup', { GroupDescription: Match.stringLikeRegexp('^PrivateLink endpoint') });
    // no egress of its own (allowAllOutbound: false), but the one rule to the endpoint
    expect(template.toJSON().Resources[probeSg].Properties.SecurityGroupEgress).toBeUndefined();
    expect(Object.values(template.findResources('AWS::EC2::SecurityGroupEgress')).map(r => r.Properties)).toEqual([{
      GroupId: groupIdOf(probeSg),
      DestinationSecurityGroupId: groupIdOf(endpointSg),
      FromPort: 80,
      ToPort: 80,
      IpProtocol: 'tcp',
      Description: expect.any(String),
    }]);
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: groupIdOf(endpointSg), SourceSecurityGroupId: groupIdOf(probeSg), FromPort: 80, ToPort: 80, IpProtocol: 'tcp',
    });
    // the network-interface permissions of AWSLambdaVPCAccessExecutionRole (v3), in its managed policy
    const [policy] = Object.values(template.findResources('AWS::IAM::ManagedPolicy'));
    const onAnyResource = policy.Properties.PolicyDocument.Statement.filter((st: any) => st.Resource === '*').flatMap((st: any) => [st.Action].flat());
    expect(onAnyResource).toEqual(expect.arrayContaining(['ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets',
      'ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses']));
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Handler: 'index.handler',
      MemorySize: 256,
      Timeout: 15,
      TracingConfig: { Mode: 'Active' },
      VpcConfig: { SecurityGroupIds: [groupIdOf(probeSg)], SubnetIds: [Match.objectLike({ Ref: Match.stringLikeRegexp('^Vpcprivate') }), Match.objectLike({ Ref: Match.stringLikeRegexp('^Vpcprivate') })] },
      Environment: {
        Variables: {
          API_URL: Match.anyValue(),
          PATHS: '["/"]',
          EXPECTED_STATUS: '200',
          REQUEST_TIMEOUT_MS: '5000',
          METRIC_NAMESPACE: 'PrivateLinkProbe',
          PROBE_NAME: 'Test/Probe',
        },
      },
    });
  });

  test('its URL is the endpoint\'s', () => {
    const { template, stack, consumer } = probed();
    const fn = logicalIdOf(template, 'AWS::Lambda::Function', { Description: Match.stringLikeRegexp('through PrivateLink') });
    expect(template.toJSON().Resources[fn].Properties.Environment.Variables.API_URL).toEqual(stack.resolve(consumer.url));
  });

  test('runs every 5 minutes by default, without retries (a failed run is a data point)', () => {
    const { template } = probed();
    const fn = logicalIdOf(template, 'AWS::Lambda::Function', { Description: Match.stringLikeRegexp('through PrivateLink') });
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(5 minutes)',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [fn, 'Arn'] }, RetryPolicy: { MaximumRetryAttempts: 0 } })],
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { FunctionName: { Ref: fn }, MaximumRetryAttempts: 0 });
  });

  test('the alarm: the minimum of Success over each run\'s period below 1, 2 runs in a row; missing data counts as failing', () => {
    const { template } = probed();
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'PrivateLinkProbe',
      MetricName: 'Success',
      Dimensions: [{ Name: 'Probe', Value: 'Test/Probe' }],
      Statistic: 'Minimum',
      Period: 300,
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      EvaluationPeriods: 2,
      DatapointsToAlarm: 2,
      TreatMissingData: 'breaching',
    });
    // ... notifying, on ALARM and on OK, a topic of its own, encrypted with a key CloudWatch may use
    const topic = { Ref: logicalIdOf(template, 'AWS::SNS::Topic', {}) };
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmActions: [topic], OKActions: [topic] });
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' } })]) },
    });
  });

  test('options: paths, schedule, status, timeout, evaluation periods, name and namespace', () => {
    const { template, probe } = probed({
      paths: ['/api/tasks', '/api/task/2'],
      schedule: Duration.minutes(1),
      expectedStatus: 204,
      requestTimeout: Duration.seconds(10),
      alarmEvaluationPeriods: 3,
      probeName: 'orders-from-eu',
      metricNamespace: 'Acme/Canaries',
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Timeout: 2 * 10 + 10,
      Environment: {
        Variables: Match.objectLike({
          PATHS: '["/api/tasks","/api/task/2"]',
          EXPECTED_STATUS: '204',
          REQUEST_TIMEOUT_MS: '10000',
          METRIC_NAMESPACE: 'Acme/Canaries',
          PROBE_NAME: 'orders-from-eu',
        }),
      },
    });
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 minute)' });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'Acme/Canaries', Dimensions: [{ Name: 'Probe', Value: 'orders-from-eu' }], Period: 60, EvaluationPeriods: 3,
    });
    const latency = probe.latencyMetric('/api/tasks');
    expect(latency.dimensions).toEqual({ Probe: 'orders-from-eu', Path: '/api/tasks' });
    expect(latency.statistic).toBe('p90');
  });

  test('an alarm topic gets the alarm\'s ALARM and OK notifications', () => {
    const stack = newStack(context);
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 });
    const consumer = new PrivateLinkConsumer(stack, 'Consumer', { vpc, serviceName: SERVICE });
    const topic = new sns.Topic(stack, 'OnCall');
    new PrivateLinkProbe(stack, 'Probe', { consumer, alarmTopic: topic });
    const template = Template.fromStack(stack);
    const ref = { Ref: Object.keys(template.findResources('AWS::SNS::Topic'))[0] };
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmActions: [ref], OKActions: [ref] });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'sns:Publish', Principal: { Service: 'cloudwatch.amazonaws.com' } })]) },
    });
  });

  test('a client certificate: the function reads its secret through its managed policy (no inline policy) and decrypts it', () => {
    // GIVEN an HTTPS consumer and a secret of the app, encrypted with its own key
    const stack = newStack(context);
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 });
    const consumer = new PrivateLinkConsumer(stack, 'Consumer', { vpc, serviceName: SERVICE, protocol: elbv2.ApplicationProtocol.HTTPS, privateDnsEnabled: true, privateDnsName: 'api.example.com' });
    const key = new kms.Key(stack, 'SecretKey');
    const secret = new secretsmanager.Secret(stack, 'ClientCertificate', { encryptionKey: key });
    // WHEN
    const probe = new PrivateLinkProbe(stack, 'Probe', { consumer, clientCertificate: secret });
    // THEN the function knows the secret by its full ARN
    const template = Template.fromStack(stack);
    const secretRef = { Ref: logicalIdOf(template, 'AWS::SecretsManager::Secret', {}) };
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ CLIENT_CERTIFICATE_SECRET: secretRef, API_URL: Match.anyValue() }) },
    });
    expect(consumer.url).toBe('https://api.example.com:443');
    // ... and may read it, and decrypt it through Secrets Manager only, from its managed policy
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: Match.arrayWith(['secretsmanager:GetSecretValue']), Resource: secretRef }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: 'kms:Decrypt',
          Condition: { StringEquals: { 'kms:ViaService': Match.anyValue() } },
          Principal: { AWS: stack.resolve(probe.lambdaFunction.role!.roleArn) },
        })]),
      },
    });
    expect(template.findResources('AWS::IAM::Policy')).toEqual({});
  });

  test('a client certificate imported by name: read by its name, any version suffix of it', () => {
    const stack = newStack(context);
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 });
    const consumer = new PrivateLinkConsumer(stack, 'Consumer', { vpc, serviceName: SERVICE, protocol: elbv2.ApplicationProtocol.HTTPS, privateDnsEnabled: true, privateDnsName: 'api.example.com' });
    const secret = secretsmanager.Secret.fromSecretNameV2(stack, 'ClientCertificate', 'customer-42/client-certificate');
    new PrivateLinkProbe(stack, 'Probe', { consumer, clientCertificate: secret });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ CLIENT_CERTIFICATE_SECRET: 'customer-42/client-certificate' }) },
    });
    // Secrets Manager appends six random characters to a secret's ARN
    // (https://docs.aws.amazon.com/secretsmanager/latest/userguide/reference_iam-permissions.html#iam-resources)
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: Match.arrayWith(['secretsmanager:GetSecretValue']),
          Resource: { 'Fn::Join': ['', Match.arrayWith([':secret:customer-42/client-certificate-??????'])] },
        })]),
      },
    });
  });

  test('a client certificate in another account: read by its ARN (a name is looked up in the probe\'s own account)', () => {
    const stack = newStack(context);
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 });
    const consumer = new PrivateLinkConsumer(stack, 'Consumer', {
      vpc, serviceName: SERVICE, protocol: elbv2.ApplicationProtocol.HTTPS, privateDnsEnabled: true, privateDnsName: 'api.example.com',
    });
    const secret = secretsmanager.Secret.fromSecretPartialArn(stack, 'ClientCertificate', 'arn:aws:secretsmanager:eu-west-1:222222222222:secret:pki/probe');
    new PrivateLinkProbe(stack, 'Probe', { consumer, clientCertificate: secret });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ CLIENT_CERTIFICATE_SECRET: 'arn:aws:secretsmanager:eu-west-1:222222222222:secret:pki/probe' }) },
    });
  });

  test('removalPolicy: the log group and the alarm topic\'s key go with the stack on DESTROY', () => {
    const { template } = probed({ removalPolicy: RemovalPolicy.DESTROY });
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Delete' });
    template.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Delete' });
    const retained = probed().template;
    retained.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain' });
  });

  test('bad input: a client certificate for a consumer that calls over HTTP', () => {
    const stack = newStack(context);
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 });
    const consumer = new PrivateLinkConsumer(stack, 'Consumer', { vpc, serviceName: SERVICE });
    const secret = secretsmanager.Secret.fromSecretNameV2(stack, 'ClientCertificate', 'client-certificate');
    expect(() => new PrivateLinkProbe(stack, 'Probe', { consumer, clientCertificate: secret }))
      .toThrow(/invalid clientCertificate 'client-certificate': is presented only over TLS, and the probe calls http:\/\/.*give the consumer HTTPS/);
    expect(stack.node.tryFindChild('Probe')?.node.children ?? []).toEqual([]);
  });

  test('bad input: HTTPS on the endpoint\'s own DNS name, which no certificate of the provider covers', () => {
    const stack = newStack(context);
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 });
    const consumer = new PrivateLinkConsumer(stack, 'Consumer', { vpc, serviceName: SERVICE, protocol: elbv2.ApplicationProtocol.HTTPS });
    expect(() => new PrivateLinkProbe(stack, 'Probe', { consumer }))
      .toThrow(/invalid consumer 'Test\/Consumer': calls HTTPS on the endpoint's own DNS name, which the provider's certificate cannot cover.*privateDnsEnabled: true/);
  });

  test('bad input: no client certificate for an API that verifies them', () => {
    // GIVEN an HTTPS API with mutual TLS (VERIFY) and a private DNS name, and its consumer
    const stack = newStack(context);
    const api = new EcsPrivateLinkApi(stack, 'Api', {
      image: IMAGE,
      containerPort: 8080,
      certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:eu-west-1:111122223333:certificate/abc'),
      mutualTls: { caCertificatesBundle: { bucket: s3.Bucket.fromBucketName(stack, 'Pki', 'pki'), key: 'bundle.pem' } },
      privateDnsName: 'api.example.com',
      allowedPrincipals: ['111122223333'],
    });
    const vpc = new ec2.Vpc(stack, 'ConsumerVpc', { maxAzs: 2 });
    const consumer = new PrivateLinkConsumer(stack, 'Consumer', { vpc, api, privateDnsEnabled: true });
    // WHEN / THEN
    expect(() => new PrivateLinkProbe(stack, 'Probe', { consumer }))
      .toThrow(/invalid clientCertificate undefined: is needed: Test\/Api verifies client certificates \(mutualTls\)/);
    const secret = secretsmanager.Secret.fromSecretNameV2(stack, 'ClientCertificate', 'client-certificate');
    expect(() => new PrivateLinkProbe(stack, 'Probe2', { consumer, clientCertificate: secret })).not.toThrow();
  });

  test('subnets: private with egress when the VPC has them, else isolated; or the given ones', () => {
    const withEgress = probed({}, false);
    const selected = withEgress.vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }).subnetIds
      .map(id => withEgress.stack.resolve(id));
    withEgress.template.hasResourceProperties('AWS::Lambda::Function', { VpcConfig: Match.objectLike({ SubnetIds: selected }) });
    expect(() => probed({ vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC } }))
      .toThrow(/Test\/Probe: invalid vpcSubnets \{"subnetType":"Public"\}: select no subnets in the consumer's VPC/);
  });

  test('the library acknowledges only the dead-letter and concurrency findings of the probe, with reasons', () => {
    const { template } = probed();
    const rules = (type: string) => Object.values(template.findResources(type)).flatMap(r => r.Metadata?.cdk_nag?.rules_to_suppress ?? []);
    expect(rules('AWS::Lambda::Function').map((r: any) => r.id).sort()).toEqual([
      'HIPAA.Security-LambdaConcurrency', 'HIPAA.Security-LambdaDLQ', 'NIST.800.53.R5-LambdaConcurrency', 'NIST.800.53.R5-LambdaDLQ',
      'Serverless-LambdaAsyncFailureDestination', 'Serverless-LambdaDLQ',
    ]);
    expect(rules('AWS::Events::Rule')).toEqual([expect.objectContaining({ id: 'Serverless-EventBusDLQ', reason: expect.stringMatching(/missing data point/) })]);
    expect(rules('AWS::CloudWatch::Alarm')).toEqual([]);
  });

  test.each([
    ['no paths', { paths: [] }, /invalid paths \[\]: give 1 to 10 paths/],
    ['11 paths', { paths: Array.from({ length: 11 }, (_, i) => `/p${i}`) }, /give 1 to 10 paths/],
    ['a path without /', { paths: ['api/tasks'] }, /invalid paths 'api\/tasks': each must be a URL path starting with \//],
    ['a path with a space', { paths: ['/api tasks'] }, /invalid paths '\/api tasks'/],
    ['status 600', { expectedStatus: 600 }, /invalid expectedStatus 600: must be an integer from 100 to 599/],
    ['a schedule of 90 s', { schedule: Duration.seconds(90) }, /invalid schedule 90 seconds: must be a whole number of minutes from 1 to 60/],
    ['a schedule of 2 hours', { schedule: Duration.hours(2) }, /invalid schedule 7200 seconds: must be a whole number of minutes from 1 to 60/],
    ['a timeout of 2 minutes', { requestTimeout: Duration.minutes(2) }, /invalid requestTimeout 120 seconds: must be a whole number of seconds from 1 to 60/],
    ['0 evaluation periods', { alarmEvaluationPeriods: 0 }, /invalid alarmEvaluationPeriods 0/],
    ['a window over a day', { schedule: Duration.minutes(60), alarmEvaluationPeriods: 25 }, /invalid alarmEvaluationPeriods 25: times schedule \(3600 seconds\) must be at most one day/],
    ['an AWS/ namespace', { metricNamespace: 'AWS/Probe' }, /invalid metricNamespace 'AWS\/Probe': must be 1 to 255 printable ASCII characters, not starting with : or AWS\//],
    ['an empty probe name', { probeName: '' }, /invalid probeName '': must be 1 to 1024 characters/],
  ])('bad input: %s', (_name, props, error) => {
    expect(() => probed(props as Partial<PrivateLinkProbeProps>)).toThrow(error);
  });
});
