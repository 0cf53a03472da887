import { Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import { FLAG_SETTINGS, IMAGE, newStack, newVpc } from './helpers';
import { ApiServiceRouteOptions, EcsPrivateLinkApi, EcsPrivateLinkApiProps, MutualTlsOptions, PrivateLinkConsumer, PrivateLinkConsumerProps } from '../src';

const SERVICE = 'com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0';
const cert = (stack: Stack) => acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:eu-west-1:111122223333:certificate/abc');
const zone = (stack: Stack) => route53.PublicHostedZone.fromPublicHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z1', zoneName: 'example.com' });

/** One invalid configuration: what is built, the prop the error must name, and the bad value it must show. */
interface Case {
  readonly name: string;
  readonly build: (stack: Stack) => void;
  readonly prop: string;
  readonly value: string;
  /** What the error must also say (what is allowed). */
  readonly allowed: RegExp;
  /** The construct that fails. */
  readonly subject?: string;
}

function api(props: (stack: Stack) => Partial<EcsPrivateLinkApiProps>) {
  return (stack: Stack) => {
    new EcsPrivateLinkApi(stack, 'Subject', { image: IMAGE, ...props(stack) });
  };
}
function service(props: (stack: Stack) => Partial<ApiServiceRouteOptions>, apiProps: Partial<EcsPrivateLinkApiProps> = {}) {
  return (stack: Stack) => {
    const a = new EcsPrivateLinkApi(stack, 'Api', { image: IMAGE, ...apiProps });
    a.addService('Subject', { image: IMAGE, pathPatterns: ['/orders*'], ...props(stack) });
  };
}
const SERVICE_SUBJECT = 'Test/Api/Subject';
function consumer(props: (stack: Stack) => Partial<PrivateLinkConsumerProps>) {
  return (stack: Stack) => {
    new PrivateLinkConsumer(stack, 'Subject', { vpc: newVpc(stack, 'ConsumerVpc'), serviceName: SERVICE, ...props(stack) });
  };
}
/** An HTTPS API with `mutualTls`; a trust store, and a bucket of CA bundles, to build it from. */
function mtls(options: (stack: Stack) => MutualTlsOptions, props: Partial<EcsPrivateLinkApiProps> = {}) {
  return api(s => ({ certificate: cert(s), mutualTls: options(s), ...props }));
}
const store = (stack: Stack) => elbv2.TrustStore.fromTrustStoreArn(stack, 'Store', 'arn:aws:elasticloadbalancing:eu-west-1:111122223333:truststore/cas/0123456789abcdef');
const caBundle = (key: string) => (stack: Stack) => ({ bucket: s3.Bucket.fromBucketName(stack, 'CaBundles', 'example-ca-bundles'), key });
const { OFF, PASS_THROUGH } = elbv2.MutualAuthenticationMode;
const publicOnlyVpc = (stack: Stack) =>
  new ec2.Vpc(stack, 'PublicOnly', { maxAzs: 2, subnetConfiguration: [{ name: 'pub', subnetType: ec2.SubnetType.PUBLIC }] });
const taskDefinitionWithoutPort = (stack: Stack) => {
  const taskDefinition = new ecs.FargateTaskDefinition(stack, 'Td');
  taskDefinition.addContainer('c', { image: IMAGE });
  return taskDefinition;
};

const CASES: Case[] = [
  // ---- EcsPrivateLinkApi ----
  { name: 'vpc and cluster', build: api(s => ({ vpc: newVpc(s), cluster: new ecs.Cluster(s, 'C', { vpc: newVpc(s, 'V2') }) })), prop: 'cluster', value: 'vpc and cluster were both given', allowed: /give one of them/ },
  { name: 'port 0', build: api(() => ({ port: 0 })), prop: 'port', value: '0', allowed: /integer from 1 to 65535/ },
  { name: 'port 70000', build: api(() => ({ port: 70000 })), prop: 'port', value: '70000', allowed: /integer from 1 to 65535/ },
  { name: 'port 80.5', build: api(() => ({ port: 80.5 })), prop: 'port', value: '80.5', allowed: /integer/ },
  { name: 'loadBalancerPort -1', build: api(() => ({ loadBalancerPort: -1 })), prop: 'loadBalancerPort', value: '-1', allowed: /1 to 65535/ },
  { name: 'containerPort 65536', build: api(() => ({ containerPort: 65536 })), prop: 'containerPort', value: '65536', allowed: /1 to 65535/ },
  { name: 'cpu 300', build: api(() => ({ cpu: 300 })), prop: 'cpu', value: '300', allowed: /Fargate accepts 256, 512, 1024/ },
  { name: 'memory 1536 with cpu 256', build: api(() => ({ cpu: 256, memoryLimitMiB: 1536 })), prop: 'memoryLimitMiB', value: '1536', allowed: /with cpu 256 Fargate accepts 512, 1024, 2048 MiB/ },
  { name: 'memory 1024 with cpu 1024', build: api(() => ({ cpu: 1024, memoryLimitMiB: 1024 })), prop: 'memoryLimitMiB', value: '1024', allowed: /2048 to 8192 in steps of 1024/ },
  { name: 'memory 20000 with cpu 8192', build: api(() => ({ cpu: 8192, memoryLimitMiB: 20000 })), prop: 'memoryLimitMiB', value: '20000', allowed: /16384 to 61440 in steps of 4096/ },
  { name: 'desiredCount -1', build: api(() => ({ desiredCount: -1 })), prop: 'desiredCount', value: '-1', allowed: /integer from 0/ },
  { name: 'image with taskDefinition', build: api(s => ({ taskDefinition: new ecs.FargateTaskDefinition(s, 'Td') })), prop: 'taskDefinition', value: 'image was given together with', allowed: /set it on your task definition/ },
  { name: 'memoryLimitMiB with taskDefinition', build: api(s => ({ image: undefined, memoryLimitMiB: 1024, taskDefinition: new ecs.FargateTaskDefinition(s, 'Td') })), prop: 'taskDefinition', value: 'memoryLimitMiB was given together with', allowed: /drop taskDefinition/ },
  { name: 'a taskDefinition without a port', build: api(s => ({ image: undefined, taskDefinition: taskDefinitionWithoutPort(s) })), prop: 'taskDefinition', value: "'Test/Td'", allowed: /at least one port mapping/ },
  { name: 'neither image nor taskDefinition', build: api(() => ({ image: undefined })), prop: 'image', value: 'is required', allowed: /or your own taskDefinition/ },
  { name: 'health-check path without /', build: api(() => ({ healthCheck: { path: 'health' } })), prop: 'healthCheck.path', value: "'health'", allowed: /must start with \// },
  { name: 'healthy codes out of range', build: api(() => ({ healthCheck: { healthyHttpCodes: '200-599' } })), prop: 'healthCheck.healthyHttpCodes', value: "'200-599'", allowed: /from 200 to 499/ },
  { name: 'healthy codes not codes', build: api(() => ({ healthCheck: { healthyHttpCodes: 'ok' } })), prop: 'healthCheck.healthyHttpCodes', value: "'ok'", allowed: /comma separated/ },
  { name: 'health-check interval 1 s', build: api(() => ({ healthCheck: { interval: Duration.seconds(1) } })), prop: 'healthCheck.interval', value: '1 second', allowed: /5 to 300/ },
  { name: 'health-check timeout not shorter than interval', build: api(() => ({ healthCheck: { interval: Duration.seconds(10), timeout: Duration.seconds(10) } })), prop: 'healthCheck.timeout', value: '10 seconds', allowed: /shorter than healthCheck.interval/ },
  { name: 'a principal that is neither an account nor an ARN', build: api(() => ({ allowedPrincipals: ['12345'] })), prop: 'allowedPrincipals', value: "'12345'", allowed: /12-digit AWS account ID, an IAM ARN/ },
  { name: 'a non-IAM ARN as principal', build: api(() => ({ allowedPrincipals: ['arn:aws:s3:::bucket'] })), prop: 'allowedPrincipals', value: "'arn:aws:s3:::bucket'", allowed: /IAM ARN/ },
  { name: 'idle timeouts that disagree', build: api(() => ({ loadBalancerIdleTimeout: Duration.seconds(400) })), prop: 'loadBalancerIdleTimeout', value: '400 seconds', allowed: /must not be longer than networkLoadBalancerIdleTimeout \(350 seconds\)/ },
  { name: 'ALB idle timeout 0', build: api(() => ({ loadBalancerIdleTimeout: Duration.seconds(0) })), prop: 'loadBalancerIdleTimeout', value: '0 seconds', allowed: /from 1 to 4000/ },
  { name: 'NLB idle timeout below 60 s', build: api(() => ({ networkLoadBalancerIdleTimeout: Duration.seconds(30), loadBalancerIdleTimeout: Duration.seconds(10) })), prop: 'networkLoadBalancerIdleTimeout', value: '30 seconds', allowed: /from 60 to 6000/ },
  { name: 'minHealthyPercent above 100', build: api(() => ({ minHealthyPercent: 101 })), prop: 'minHealthyPercent', value: '101', allowed: /0 to 100/ },
  { name: 'maxHealthyPercent below 100', build: api(() => ({ maxHealthyPercent: 50 })), prop: 'maxHealthyPercent', value: '50', allowed: /100 to 200/ },
  { name: 'no private subnets to place tasks in', build: api(s => ({ vpc: publicOnlyVpc(s) })), prop: 'taskSubnets', value: "There are no 'Private' subnet groups", allowed: /Give taskSubnets and loadBalancerSubnets explicitly/ },
  { name: 'load balancers in one AZ', build: api(s => ({ vpc: new ec2.Vpc(s, 'OneAz', { maxAzs: 1 }) })), prop: 'loadBalancerSubnets', value: 'are in 1 AZ', allowed: /must span at least 2 AZs/ },
  { name: 'first service routed without notFoundResponse', build: api(() => ({ pathPatterns: ['/api*'] })), prop: 'notFoundResponse', value: 'pathPatterns or hostHeaders was given for the first service', allowed: /set notFoundResponse: true/ },
  { name: 'notFoundResponse with a health-check path that can\'t be its own rule', build: api(() => ({ notFoundResponse: true, pathPatterns: ['/api/*'], healthCheck: { path: '/health%20check' } })), prop: 'healthCheck.path', value: "'/health%20check'", allowed: /becomes a path-pattern rule of its own/ },
  { name: 'autoScaling min above max', build: api(() => ({ autoScaling: { minCapacity: 5, maxCapacity: 2, targetCpuUtilizationPercent: 50 } })), prop: 'autoScaling.minCapacity', value: '5', allowed: /must not be above autoScaling.maxCapacity \(2\)/ },
  { name: 'desiredCount above autoScaling max', build: api(() => ({ desiredCount: 4, autoScaling: { maxCapacity: 3, targetCpuUtilizationPercent: 50 } })), prop: 'desiredCount', value: '4', allowed: /must not be above autoScaling.maxCapacity \(3\)/ },
  { name: 'autoScaling CPU target 0 %', build: api(() => ({ autoScaling: { maxCapacity: 4, targetCpuUtilizationPercent: 0 } })), prop: 'autoScaling.targetCpuUtilizationPercent', value: '0', allowed: /percentage from 1 to 100/ },
  { name: 'autoScaling memory target 101 %', build: api(() => ({ autoScaling: { maxCapacity: 4, targetMemoryUtilizationPercent: 101 } })), prop: 'autoScaling.targetMemoryUtilizationPercent', value: '101', allowed: /percentage from 1 to 100/ },
  { name: 'autoScaling without a target', build: api(() => ({ autoScaling: { maxCapacity: 4 } })), prop: 'autoScaling', value: 'needs a target', allowed: /targetCpuUtilizationPercent, targetMemoryUtilizationPercent or targetRequestsPerTarget/ },
  { name: 'autoScaling max 0', build: api(() => ({ autoScaling: { maxCapacity: 0, targetCpuUtilizationPercent: 50 } })), prop: 'autoScaling.maxCapacity', value: '0', allowed: /integer from 1/ },
  { name: 'a certificate with protocol HTTP', build: api(s => ({ certificate: cert(s), protocol: elbv2.ApplicationProtocol.HTTP })), prop: 'protocol', value: "'HTTP'", allowed: /must be HTTPS \(or left out\) when a certificate is given/ },
  { name: 'HTTPS without a certificate', build: api(() => ({ protocol: elbv2.ApplicationProtocol.HTTPS })), prop: 'protocol', value: "'HTTPS'", allowed: /needs a certificate/ },
  { name: 'sslPolicy without HTTPS', build: api(() => ({ sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS })), prop: 'sslPolicy', value: 'ELBSecurityPolicy-TLS13-1-2-2021-06', allowed: /only applies to HTTPS/ },
  { name: 'redirectHttp without HTTPS', build: api(() => ({ redirectHttp: true })), prop: 'redirectHttp', value: 'true', allowed: /redirects to HTTPS: give a certificate/ },
  { name: 'redirectHttp with port 80', build: api(s => ({ certificate: cert(s), redirectHttp: true, port: 80 })), prop: 'port', value: '80', allowed: /must not be 80 with redirectHttp/ },
  { name: 'a private DNS name that is not a domain', build: api(() => ({ privateDnsName: 'Not A Domain' })), prop: 'privateDnsName', value: "'Not A Domain'", allowed: /lower-case domain name such as api.example.com/ },
  { name: 'a hosted zone without a private DNS name', build: api(s => ({ publicHostedZone: zone(s) })), prop: 'publicHostedZone', value: 'was given without privateDnsName', allowed: /verification record/ },
  { name: 'an expected logical ID that is a construct path', build: api(() => ({ expectedLogicalIds: { endpointService: 'Api/EndpointService' } })), prop: 'expectedLogicalIds.endpointService', value: "'Api/EndpointService'", allowed: /CloudFormation logical ID \(letters and digits\)/ },
  { name: 'a private DNS name outside the zone', build: api(s => ({ privateDnsName: 'api.example.org', publicHostedZone: zone(s) })), prop: 'privateDnsName', value: "'api.example.org'", allowed: /in the domain of publicHostedZone \(example.com\)/ },
  { name: 'a topic with connectionNotifications false', build: api(s => ({ notificationTopic: new sns.Topic(s, 'T'), connectionNotifications: false })), prop: 'connectionNotifications', value: 'false', allowed: /notificationTopic was given/ },
  { name: 'a bucket with accessLogs false', build: api(s => ({ accessLogsBucket: new s3.Bucket(s, 'B'), accessLogs: false })), prop: 'accessLogs', value: 'false', allowed: /accessLogsBucket was given/ },
  { name: 'accessLogs in an environment-agnostic stack', build: api(() => ({ accessLogs: true })), prop: 'accessLogs', value: 'true', allowed: /needs a stack with a region/ },
  { name: 'a malformed allowed region', build: api(() => ({ allowedRegions: ['virginia'] })), prop: 'allowedRegions', value: "'virginia'", allowed: /region name such as us-east-1/ },
  { name: 'an internet-only IP address type', build: api(() => ({ ipAddressType: elbv2.IpAddressType.DUAL_STACK_WITHOUT_PUBLIC_IPV4 })), prop: 'ipAddressType', value: "'dualstack-without-public-ipv4'", allowed: /IPV4 or DUAL_STACK/ },
  // ---- EcsPrivateLinkApi: mutual TLS ----
  { name: 'mutual TLS without HTTPS', build: api(s => ({ mutualTls: { trustStore: store(s) } })), prop: 'mutualTls.mode', value: "'verify'", allowed: /needs HTTPS: the client certificate is exchanged in the TLS handshake of the ALB's HTTPS listener .*give a certificate/ },
  { name: 'mutual TLS: a trust store with PASS_THROUGH', build: mtls(s => ({ mode: PASS_THROUGH, trustStore: store(s) })), prop: 'mutualTls.trustStore', value: "'Test/Store'", allowed: /only applies to VERIFY: in PASS_THROUGH the ALB verifies no certificate/ },
  { name: 'mutual TLS: a CA bundle location that is an S3 URL, not an object key', build: mtls(s => ({ caCertificatesBundle: caBundle('s3://example-ca-bundles/ca.pem')(s) })), prop: 'mutualTls.caCertificatesBundle.key', value: "'s3://example-ca-bundles/ca.pem'", allowed: /must be the key of an object in the bucket, .*not a URL/ },
  { name: 'mutual TLS: a CA bundle location that is a folder', build: mtls(s => ({ caCertificatesBundle: caBundle('privatelink/')(s) })), prop: 'mutualTls.caCertificatesBundle.key', value: "'privatelink/'", allowed: /not a folder \(ending in \/\)/ },
  { name: 'mutual TLS: an empty CA bundle key', build: mtls(s => ({ caCertificatesBundle: caBundle('')(s) })), prop: 'mutualTls.caCertificatesBundle.key', value: "''", allowed: /not empty/ },
  { name: 'mutual TLS: VERIFY without CAs', build: mtls(() => ({})), prop: 'caCertificatesBundle', value: 'VERIFY mode needs the CAs it trusts', allowed: /a PEM bundle in S3\) or trustStore/ },
  { name: 'mutual TLS: a trust store and a CA bundle', build: mtls(s => ({ trustStore: store(s), caCertificatesBundle: caBundle('ca.pem')(s) })), prop: 'mutualTls.caCertificatesBundle', value: 'mutualTls.trustStore and mutualTls.caCertificatesBundle were both given', allowed: /give one of them/ },
  { name: 'mutual TLS: a CA bundle with PASS_THROUGH', build: mtls(s => ({ mode: PASS_THROUGH, caCertificatesBundle: caBundle('ca.pem')(s) })), prop: 'mutualTls.caCertificatesBundle', value: "'ca.pem'", allowed: /only applies to VERIFY/ },
  { name: 'mutual TLS: ignoreClientCertificateExpiry with PASS_THROUGH', build: mtls(() => ({ mode: PASS_THROUGH, ignoreClientCertificateExpiry: true })), prop: 'mutualTls.ignoreClientCertificateExpiry', value: 'true', allowed: /only applies to VERIFY/ },
  { name: 'mutual TLS: no revocation lists in the list', build: mtls(s => ({ trustStore: store(s), revocationLists: [] })), prop: 'mutualTls.revocationLists', value: '[]', allowed: /at least one revocation list/ },
  { name: 'mutual TLS: a revocation list location that is a URL', build: mtls(s => ({ trustStore: store(s), revocationLists: [caBundle('https://example.com/ca.crl')(s)] })), prop: 'mutualTls.revocationLists[0].key', value: "'https://example.com/ca.crl'", allowed: /must be the key of an object in the bucket/ },
  { name: 'mutual TLS: mode OFF with a trust store', build: mtls(s => ({ mode: OFF, trustStore: store(s) })), prop: 'mutualTls.trustStore', value: "'Test/Store'", allowed: /mode OFF turns mutual TLS off/ },
  { name: 'mutual TLS: the health-check port on the consumers\' listener', build: mtls(s => ({ trustStore: store(s), healthCheckPort: 443 })), prop: 'mutualTls.healthCheckPort', value: '443', allowed: /must differ from loadBalancerPort \(443\): the NLB's health check, which has no client certificate, needs a listener of its own/ },
  { name: 'mutual TLS: the health-check port on the redirect\'s 80', build: mtls(s => ({ trustStore: store(s), healthCheckPort: 80 }), { redirectHttp: true }), prop: 'mutualTls.healthCheckPort', value: '80', allowed: /must not be 80 with redirectHttp/ },
  { name: 'mutual TLS: a default health-check port of 80 with redirectHttp', build: mtls(s => ({ trustStore: store(s) }), { redirectHttp: true, loadBalancerPort: 79 }), prop: 'mutualTls.healthCheckPort', value: '80', allowed: /it is the default, loadBalancerPort \+ 1: set healthCheckPort/ },
  { name: 'mutual TLS: health-check port 70000', build: mtls(s => ({ trustStore: store(s), healthCheckPort: 70000 })), prop: 'mutualTls.healthCheckPort', value: '70000', allowed: /integer from 1 to 65535/ },
  { name: 'mutual TLS: a health-check path that can\'t be the health-check listener\'s rule', build: mtls(s => ({ trustStore: store(s) }), { healthCheck: { path: '/health%20check' } }), prop: 'healthCheck.path', value: "'/health%20check'", allowed: /path-pattern rule of the health-check listener mutual TLS adds/ },
  // ---- addService ----
  { name: 'addService without pathPatterns or hostHeaders', build: service(() => ({ pathPatterns: undefined })), prop: 'pathPatterns or hostHeaders', value: 'is required', allowed: /already go to Test\/Api\/Service/, subject: SERVICE_SUBJECT },
  { name: 'addService without routing under notFoundResponse', build: service(() => ({ pathPatterns: undefined }), { notFoundResponse: true, pathPatterns: ['/*'] }), prop: 'pathPatterns or hostHeaders', value: 'is required', allowed: /the fixed 404 response/, subject: SERVICE_SUBJECT },
  { name: 'addService priority 0', build: service(() => ({ priority: 0 })), prop: 'priority', value: '0', allowed: /integer from 1 to 50000/, subject: SERVICE_SUBJECT },
  { name: 'addService priority already used', build: service(() => ({ priority: 10 }), { notFoundResponse: true, pathPatterns: ['/*'] }), prop: 'priority', value: '10', allowed: /already used by Test\/Api\/Service/, subject: SERVICE_SUBJECT },
  { name: 'addService priority without a route', build: service(() => ({ pathPatterns: undefined, priority: 5 })), prop: 'priority', value: 'was given without pathPatterns or hostHeaders', allowed: /orders routing rules/, subject: SERVICE_SUBJECT },
  { name: 'addService path pattern without /', build: service(() => ({ pathPatterns: ['orders'] })), prop: 'pathPatterns', value: "'orders'", allowed: /must start with \//, subject: SERVICE_SUBJECT },
  { name: 'addService empty pathPatterns', build: service(() => ({ pathPatterns: [], hostHeaders: ['a.example.com'] })), prop: 'pathPatterns', value: '[]', allowed: /at least one value/, subject: SERVICE_SUBJECT },
  { name: 'addService malformed host header', build: service(() => ({ hostHeaders: ['bad host!'] })), prop: 'hostHeaders', value: "'bad host!'", allowed: /host name of at most 128 characters/, subject: SERVICE_SUBJECT },
  { name: 'addService six condition values', build: service(() => ({ pathPatterns: ['/a', '/b', '/c', '/d', '/e', '/f'] })), prop: 'pathPatterns + hostHeaders', value: '["/a","/b","/c","/d","/e","/f"]', allowed: /at most 5 values/, subject: SERVICE_SUBJECT },
  { name: 'addService EC2 capacity provider', build: service(() => ({ capacityProviderStrategies: [{ capacityProvider: 'my-asg-provider', weight: 1 }] })), prop: 'capacityProviderStrategies', value: "'my-asg-provider'", allowed: /FARGATE or FARGATE_SPOT/, subject: SERVICE_SUBJECT },
  { name: 'addService capacity weights all 0', build: service(() => ({ capacityProviderStrategies: [{ capacityProvider: 'FARGATE_SPOT', weight: 0 }] })), prop: 'capacityProviderStrategies', value: '"FARGATE_SPOT"', allowed: /weight above 0/, subject: SERVICE_SUBJECT },
  { name: 'addService two bases', build: service(() => ({ capacityProviderStrategies: [{ capacityProvider: 'FARGATE', base: 1, weight: 1 }, { capacityProvider: 'FARGATE_SPOT', base: 1, weight: 1 }] })), prop: 'capacityProviderStrategies', value: '"base":1', allowed: /only one capacity provider may have a base/, subject: SERVICE_SUBJECT },
  { name: 'addService invalid Fargate size', build: service(() => ({ cpu: 512, memoryLimitMiB: 512 })), prop: 'memoryLimitMiB', value: '512', allowed: /with cpu 512 Fargate accepts 1024, 2048, 3072, 4096 MiB/, subject: SERVICE_SUBJECT },
  { name: 'addService containerPort 0', build: service(() => ({ containerPort: 0 })), prop: 'containerPort', value: '0', allowed: /1 to 65535/, subject: SERVICE_SUBJECT },
  // ---- inputs that once passed silently (issue #12) ----
  { name: 'a host header with a port', build: service(() => ({ pathPatterns: undefined, hostHeaders: ['admin.example.com:443'] })), prop: 'hostHeaders', value: "'admin.example.com:443'", allowed: /no scheme, no port/, subject: SERVICE_SUBJECT },
  { name: 'a host header with a scheme', build: service(() => ({ pathPatterns: undefined, hostHeaders: ['https://admin.example.com'] })), prop: 'hostHeaders', value: "'https://admin.example.com'", allowed: /no scheme, no port/, subject: SERVICE_SUBJECT },
  { name: 'a host header without a dot', build: service(() => ({ pathPatterns: undefined, hostHeaders: ['localhost'] })), prop: 'hostHeaders', value: "'localhost'", allowed: /with a dot/, subject: SERVICE_SUBJECT },
  { name: 'a health-check path with a space', build: api(() => ({ healthCheck: { path: '/api/health check' } })), prop: 'healthCheck.path', value: "'/api/health check'", allowed: /without spaces or #/ },
  { name: 'an empty environment name', build: api(() => ({ environment: { '': 'x' } })), prop: 'environment', value: "''", allowed: /non-empty, without = or whitespace/ },
  { name: 'an environment name with =', build: api(() => ({ environment: { 'A=B': 'x' } })), prop: 'environment', value: "'A=B'", allowed: /without = or whitespace/ },
  { name: 'a secret name with a space', build: api(s => ({ secrets: { 'API KEY': ecs.Secret.fromSecretsManager(secretsmanager.Secret.fromSecretNameV2(s, 'S', 'x')) } })), prop: 'secrets', value: "'API KEY'", allowed: /without = or whitespace/ },
  { name: 'a name given as environment and as secret', build: api(s => ({ environment: { TOKEN: 'plain' }, secrets: { TOKEN: ecs.Secret.fromSecretsManager(secretsmanager.Secret.fromSecretNameV2(s, 'S', 'x')) } })), prop: 'environment', value: "'TOKEN'", allowed: /is also a name in secrets/ },
  { name: 'a container name ECS rejects', build: api(() => ({ containerName: 'my api' })), prop: 'containerName', value: "'my api'", allowed: /letters, digits, underscores and hyphens/ },
  { name: 'two services with the same routing conditions', build: (s: Stack) => { const a = new EcsPrivateLinkApi(s, 'Api', { image: IMAGE }); a.addService('Orders', { image: IMAGE, pathPatterns: ['/orders*'] }); a.addService('Subject', { image: IMAGE, pathPatterns: ['/orders*'] }); }, prop: 'pathPatterns/hostHeaders', value: 'pathPatterns ["/orders*"]', allowed: /are the conditions of Test\/Api\/Orders \(priority 10\) too: .*Test\/Api\/Subject \(priority 20\) would never get a request/, subject: SERVICE_SUBJECT },
  { name: 'an allowed principal of another partition', build: (s: Stack) => { new EcsPrivateLinkApi(new Stack(s.node.root as any, 'Cn', { env: { account: '111122223333', region: 'cn-north-1' } }), 'Subject', { image: IMAGE, allowedPrincipals: ['arn:aws:iam::444455556666:root'] }); }, prop: 'allowedPrincipals', value: "'arn:aws:iam::444455556666:root'", allowed: /must be in the stack's partition \(aws-cn, region cn-north-1\)/, subject: 'Cn/Subject' },
  { name: 'containerInsights with a given cluster', build: api(s => ({ cluster: new ecs.Cluster(s, 'C', { vpc: newVpc(s) }), containerInsights: true })), prop: 'containerInsights', value: 'true', allowed: /only applies to the cluster the library creates/ },
  // ---- PrivateLinkConsumer ----
  { name: 'consumer: api and serviceName', build: consumer(s => ({ api: new EcsPrivateLinkApi(s, 'Api', { image: IMAGE }) })), prop: 'serviceName', value: 'api and serviceName were both given', allowed: /give one of them/ },
  { name: 'consumer: neither api nor serviceName', build: consumer(() => ({ serviceName: undefined })), prop: 'serviceName', value: 'give the service to connect to', allowed: /com.amazonaws.vpce.<region>.vpce-svc-<id>/ },
  { name: 'consumer: an empty service name', build: consumer(() => ({ serviceName: '' })), prop: 'serviceName', value: "''", allowed: /must look like com.amazonaws.vpce.<region>.vpce-svc-<id>/ },
  { name: 'consumer: a service ID instead of a name', build: consumer(() => ({ serviceName: 'vpce-svc-0123456789abcdef0' })), prop: 'serviceName', value: "'vpce-svc-0123456789abcdef0'", allowed: /must look like/ },
  { name: 'consumer: upper-case service ID', build: consumer(() => ({ serviceName: 'com.amazonaws.vpce.eu-west-1.vpce-svc-XYZ' })), prop: 'serviceName', value: "'com.amazonaws.vpce.eu-west-1.vpce-svc-XYZ'", allowed: /must look like/ },
  { name: 'consumer: port 0', build: consumer(() => ({ port: 0 })), prop: 'port', value: '0', allowed: /1 to 65535/ },
  { name: 'consumer: port 65536', build: consumer(() => ({ port: 65536 })), prop: 'port', value: '65536', allowed: /1 to 65535/ },
  { name: 'consumer: no private subnets', build: consumer(s => ({ vpc: publicOnlyVpc(s) })), prop: 'subnets', value: "'private subnets'", allowed: /select no subnets in the VPC/ },
  { name: 'consumer: a subnet group that does not exist', build: consumer(() => ({ subnets: { subnetGroupName: 'nope' } })), prop: 'subnets', value: '{"subnetGroupName":"nope"}', allowed: /select no subnets/ },
  { name: 'consumer: an AZ name instead of an AZ ID', build: consumer(() => ({ availabilityZoneIds: ['eu-west-1a'] })), prop: 'availabilityZoneIds', value: "'eu-west-1a'", allowed: /AZ ID such as euw1-az1/ },
  { name: 'consumer: no AZ IDs', build: consumer(() => ({ availabilityZoneIds: [] })), prop: 'availabilityZoneIds', value: '[]', allowed: /at least one AZ ID/ },
  { name: 'consumer: a malformed service region', build: consumer(() => ({ serviceRegion: 'Europe' })), prop: 'serviceRegion', value: "'Europe'", allowed: /region name such as eu-west-1/ },
  { name: 'consumer: IPv6 to an IPv4-only provider', build: consumer(s => ({ serviceName: undefined, api: new EcsPrivateLinkApi(s, 'Api', { image: IMAGE }), ipAddressType: ec2.VpcEndpointIpAddressType.IPV6 })), prop: 'ipAddressType', value: "'ipv6'", allowed: /needs a dual-stack provider/ },
  { name: 'consumer: private DNS with a same-app provider', build: consumer(s => ({ serviceName: undefined, api: new EcsPrivateLinkApi(s, 'Api', { image: IMAGE }), privateDnsEnabled: true })), prop: 'privateDnsEnabled', value: 'true', allowed: /api has no private DNS name/ },
];

describe.each(FLAG_SETTINGS)('bad input with $name', ({ context }) => {
  test('the table holds at least 25 invalid configurations across both constructs and addService', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(25);
    expect(CASES.some(c => c.subject === SERVICE_SUBJECT)).toBe(true);
    expect(new Set(CASES.map(c => c.name)).size).toBe(CASES.length);
  });

  test.each(CASES)('$name: a synth-time error naming $prop and the bad value, before anything is created', (c) => {
    // GIVEN
    const stack = newStack(context);
    // WHEN
    let message = '';
    try {
      c.build(stack);
    } catch (e) {
      message = (e as Error).message;
    }
    // THEN
    const subject = c.subject ?? 'Test/Subject';
    expect(message.startsWith(`${subject}: `)).toBe(true);
    expect(message).toContain(c.prop);
    expect(message).toContain(c.value);
    expect(message).toMatch(c.allowed);
    expect(stack.node.findAll().find(x => x.node.path === subject)?.node.children ?? []).toEqual([]);
  });
});

describe.each(FLAG_SETTINGS)('warnings for risky but legal choices with $name', ({ context }) => {
  const warningsOf = (stack: Stack) => Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('.*'))
    .map(w => String(w.entry.data));

  test.each<[string, (stack: Stack) => void, RegExp | undefined]>([
    ['* with acceptanceRequired false', api(() => ({ allowedPrincipals: ['*'], acceptanceRequired: false })), /any AWS account can connect to this API without your approval/],
    ['enforced PrivateLink inbound rules', api(() => ({ enforceSecurityGroupInboundRulesOnPrivateLinkTraffic: true })), /consumer traffic is dropped unless you add inbound rules/],
    ['consumer private DNS by service name', consumer(() => ({ privateDnsEnabled: true, serviceRegion: 'eu-west-1' })), /the deploy fails unless the provider has verified a private DNS name/],
    ['* with acceptance required (no warning)', api(() => ({ allowedPrincipals: ['*'] })), undefined],
    ['named principals without acceptance (no warning)', api(() => ({ allowedPrincipals: ['111122223333'], acceptanceRequired: false })), undefined],
    ['a rule shadowed by an earlier, broader one', (s: Stack) => {
      const a = new EcsPrivateLinkApi(s, 'Api', { image: IMAGE });
      a.addService('All', { image: IMAGE, pathPatterns: ['/api*'] });
      a.addService('Orders', { image: IMAGE, pathPatterns: ['/api/orders', '/api/orders/*'] });
    }, /Test\/Api\/Orders \(priority 20, .*\) never gets a request: every request it matches also matches Test\/Api\/All \(priority 10/],
    ['a narrower rule first (no warning)', (s: Stack) => {
      const a = new EcsPrivateLinkApi(s, 'Api', { image: IMAGE });
      a.addService('Orders', { image: IMAGE, pathPatterns: ['/api/orders*'] });
      a.addService('All', { image: IMAGE, pathPatterns: ['/api*'] });
    }, undefined],
    ['tasks in public subnets (no public IP)', api(s => ({ vpc: newVpc(s), taskSubnets: { subnetType: ec2.SubnetType.PUBLIC } })), /taskSubnets selects public subnets, and the tasks get no public IP/],
    ['an environment name shells cannot read', api(() => ({ environment: { 'my-var': 'x' } })), /environment name 'my-var' is not letters, digits and underscores/],
    ['mutual TLS in PASS_THROUGH (the service must verify)', mtls(() => ({ mode: PASS_THROUGH })), /PASS_THROUGH: the ALB verifies no client certificate. Your service must verify the chain/],
    ['mutual TLS admitting expired client certificates', mtls(s => ({ trustStore: store(s), ignoreClientCertificateExpiry: true })), /the ALB admits expired client certificates/],
    ['mutual TLS in VERIFY (no warning)', mtls(s => ({ trustStore: store(s), revocationLists: [caBundle('ca.crl')(s)] })), undefined],
  ])('%s', (_name, build, warning) => {
    const stack = newStack(context);
    build(stack);
    const found = warningsOf(stack).filter(w => !/cross-stack-reference|feature flag/i.test(w));
    expect(found).toEqual(warning ? [expect.stringMatching(warning)] : []);
  });
});
